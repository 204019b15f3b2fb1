package io.lockstep.ssh;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.future.Cancellable;
import org.jspecify.annotations.Nullable;

/**
 * Opens authenticated sessions to nodes and turns every way that can fail into an {@link
 * SshException} an operator understands: connection refused or timed out, host key refused (see
 * {@link PinnedHostKeys}), authentication failed, login too slow.
 */
final class Logins {

  private final SshClient client;
  private final SshProperties properties;
  private final Credentials credentials;

  Logins(SshClient client, SshProperties properties, Credentials credentials) {
    this.client = client;
    this.properties = properties;
    this.credentials = credentials;
  }

  /**
   * A new session to {@code target}, logged in as the configured user; the caller closes it.
   *
   * @throws HostKeyRejectedException the node's host key is not pinned in known_hosts
   * @throws SshAuthenticationException the node refused every credential
   * @throws SshTimeoutException connecting or logging in took too long
   * @throws SshException the node could not be reached, or the connection broke
   * @throws InterruptedException the calling thread was interrupted
   */
  ClientSession open(SshTarget target) throws InterruptedException {
    AtomicReference<HostKeyRejection> rejection = new AtomicReference<>();
    ClientSession session = connect(target, rejection);
    try {
      credentials.offerTo(session);
      authenticate(session, target, rejection);
      return session;
    } catch (InterruptedException | RuntimeException e) {
      session.close(true);
      throw e;
    }
  }

  private ClientSession connect(SshTarget target, AtomicReference<HostKeyRejection> rejection)
      throws InterruptedException {
    Duration timeout = properties.connectTimeout();
    @Nullable ConnectFuture connected = null;
    try {
      connected = client.connect(properties.user(), target.host(), target.port(),
          AttributeRepository.ofKeyValuePair(PinnedHostKeys.REJECTION, rejection), null);
      return connected.verify(timeout).getClientSession();
    } catch (InterruptedIOException e) {
      throw interrupted(connected);
    } catch (IOException e) {
      if (connected != null && !connected.isDone()) {
        connected.cancel();
        throw new SshTimeoutException(
            target + " did not accept a connection within " + Shown.duration(timeout));
      }
      throw new SshException("cannot connect to " + target + ": " + reason(e, target), e);
    }
  }

  private void authenticate(ClientSession session, SshTarget target,
      AtomicReference<HostKeyRejection> rejected) throws InterruptedException {
    String login = properties.user() + "@" + target.node();
    @Nullable AuthFuture auth = null;
    long started = System.nanoTime();
    try {
      auth = session.auth();
      auth.verify(properties.authTimeout());
    } catch (InterruptedIOException e) {
      throw interrupted(auth);
    } catch (IOException e) {
      HostKeyRejection rejection = rejected.get();
      if (rejection != null) {
        throw new HostKeyRejectedException(rejection.describe(target), rejection.fingerprint());
      }
      boolean timeIsUp = System.nanoTime() - started >= properties.authTimeout().toNanos();
      if (auth != null && (!auth.isDone() || timeIsUp && session.getServerKey() == null)) {
        // a login that ran out of time may also end as "session is being closed": say what happened
        throw new SshTimeoutException(login + " (" + target.address()
            + "): login did not finish within " + Shown.duration(properties.authTimeout()));
      }
      PublicKey hostKey = session.getServerKey();
      if (hostKey != null && session.isOpen()) {
        throw new SshAuthenticationException(
            login + ": authentication failed (" + credentials.methodNames() + ")",
            Fingerprints.of(hostKey));
      }
      throw new SshException("login to " + target + " failed: "
          + credentials.scrub(String.valueOf(e.getMessage())));
    }
  }

  private static InterruptedException interrupted(@Nullable Cancellable pending) {
    if (pending != null) {
      pending.cancel();
    }
    return new InterruptedException("interrupted while logging in");
  }

  private static String reason(IOException failure, SshTarget target) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof ConnectException) {
      return cause.getMessage() == null
          ? "connection refused"
          : cause.getMessage().toLowerCase(Locale.ROOT);
    }
    if (cause instanceof UnresolvedAddressException) {
      return "host name " + target.host() + " does not resolve";
    }
    if (cause instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (cause instanceof SocketTimeoutException) {
      return "connection timed out";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
