package io.lockstep.ssh;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Runs commands on nodes over SSH and checks that nodes can be reached: the one way the console
 * touches a node's operating system.
 *
 * <p>Every connection pins the node's host key against known_hosts and logs in with the
 * credentials of {@link SshProperties}. Connections are kept per node and shared by the commands
 * that run there (each command gets its own channel); a connection that broke is replaced on next
 * use, one idle for five minutes is closed. Safe for use by many threads at once.
 *
 * <p>One MINA client serves the whole console; {@link #close()} stops it, which Spring does at
 * shutdown.
 */
@Component
public class NodeShell implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(NodeShell.class);
  private static final byte[] NO_INPUT = new byte[0];

  private final SshProperties properties;
  private final SshClient client;
  private final Logins logins;
  private final NodeSessions sessions;
  private final ExecutorService outputReaders = Executors.newCachedThreadPool(runnable -> {
    Thread reader = new Thread(runnable, "ssh-output");
    reader.setDaemon(true);
    return reader;
  });

  public NodeShell(SshProperties properties) {
    Credentials credentials = new Credentials(properties);
    this.properties = properties;
    this.client = SshClients.started(properties, credentials);
    this.logins = new Logins(client, properties, credentials);
    this.sessions = new NodeSessions(logins, properties.maxSessions());
  }

  /** The node on the configured SSH port ({@code lockstep.ssh.port}). */
  public SshTarget target(String node, String host) {
    return new SshTarget(node, host, properties.port());
  }

  /** Runs {@code command} with the configured {@code lockstep.ssh.command-timeout}. */
  public ExecResult exec(SshTarget target, RemoteCommand command, OutputListener listener) {
    return exec(target, command, properties.commandTimeout(), listener);
  }

  /**
   * Runs {@code command} on the node and waits for it to end, handing its output to {@code
   * listener} line by line as it arrives (see {@link OutputListener} for what a line is and on
   * which thread it arrives). The command's stdin is empty, so a command that asks a question
   * reads end-of-file instead of waiting for an answer (the overload with {@code input} gives it
   * something to read).
   *
   * @param timeout how long the command may take, counted from this call: it includes the wait
   *     for a free slot on the node ({@code lockstep.ssh.max-sessions}) and, when the node's
   *     connection has to be opened first, the login; then the command's channel is closed to stop
   *     it
   * @return the command's exit status, also when it is not 0: what a status means is the caller's
   *     to judge
   * @throws SshTimeoutException the command did not finish within {@code timeout} and was stopped
   * @throws HostKeyRejectedException the node's host key is not pinned in known_hosts
   * @throws SshAuthenticationException the node refused every configured credential
   * @throws SshException the node could not be reached, the connection broke, the command ended
   *     without an exit status (killed by a signal), or the calling thread was interrupted (then
   *     the command was stopped, and the thread's interrupt flag is set again)
   */
  public ExecResult exec(SshTarget target, RemoteCommand command, Duration timeout,
      OutputListener listener) {
    return exec(target, command, timeout, NO_INPUT, listener);
  }

  /**
   * {@link #exec(SshTarget, RemoteCommand, Duration, OutputListener)} with {@code input} on the
   * command's stdin, followed by end-of-file: {@code tee FILE} writes it to a file, {@code
   * kubectl apply -f -} reads it as a manifest. The input is sent while the output is read, so a
   * command that echoes what it reads ({@code cat}, {@code tee}) cannot deadlock on a large input;
   * a command that ends without reading it all simply does not get the rest.
   *
   * <p>The input is never logged nor put in a message, so it may carry secrets (a configuration
   * with passwords). Empty input is the same as the overload without it: stdin is at EOF at once.
   *
   * @param input the bytes the command reads on stdin; the array is not modified
   */
  public ExecResult exec(SshTarget target, RemoteCommand command, Duration timeout, byte[] input,
      OutputListener listener) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(listener, "listener");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout of command '" + command + "' is not positive: "
          + timeout);
    }
    Deadline deadline = Deadline.after(timeout);
    NodeConnection node = sessions.of(target);
    try {
      if (!node.take(deadline)) {
        throw new SshTimeoutException("command '" + command + "' on " + target
            + " did not start within " + Shown.duration(timeout) + ": lockstep.ssh.max-sessions="
            + properties.maxSessions() + " commands were already running there");
      }
      try {
        return new CommandRun(target, command, timeout, input, listener, outputReaders)
            .run(node, deadline);
      } finally {
        node.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SshException("command '" + command + "' on " + target
          + " was interrupted (and stopped, if it had started)", e);
    }
  }

  /**
   * Connects to the node and logs in, to tell whether commands could run there. Always opens a
   * fresh connection (a kept one would prove nothing about now) and closes it again.
   *
   * @return never null; when the node is not reachable, the probe says why: connection refused or
   *     timed out, host key unknown or CHANGED (with both fingerprints), authentication failed.
   *     An interrupted probe reports that and leaves the thread's interrupt flag set.
   */
  public Probe probe(SshTarget target) {
    Objects.requireNonNull(target, "target");
    @Nullable ClientSession session = null;
    try {
      session = logins.open(target);
      return new Probe(true, Fingerprints.of(session.getServerKey()), "");
    } catch (HostKeyRejectedException e) {
      return unreachable(target, e.fingerprint(), e);
    } catch (SshAuthenticationException e) {
      return unreachable(target, e.fingerprint(), e);
    } catch (SshException e) {
      return unreachable(target, "", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe(false, "", "probe of " + target + " was interrupted");
    } finally {
      if (session != null) {
        session.close(false);
      }
    }
  }

  /** Closes every connection and stops the SSH client; commands still running are stopped. */
  @Override
  public void close() {
    sessions.close();
    client.stop();
    outputReaders.shutdownNow();
  }

  private static Probe unreachable(SshTarget target, String fingerprint, SshException reason) {
    log.debug("probe of {}: {}", target, reason.getMessage());
    return new Probe(false, fingerprint, String.valueOf(reason.getMessage()));
  }

  /**
   * What {@link #probe} found out about a node.
   *
   * @param reachable the node accepted the connection, presented a pinned host key and let the
   *     configured user log in: commands can run there
   * @param fingerprint the SHA256 fingerprint of the host key the node presented ({@code
   *     SHA256:…}, as {@code ssh-keygen -l} prints it), also when that key was refused or the
   *     login failed; empty when the node presented none (it could not be reached)
   * @param message empty when the node is reachable, otherwise why not, in words an operator can
   *     act on
   */
  public record Probe(boolean reachable, String fingerprint, String message) {}
}
