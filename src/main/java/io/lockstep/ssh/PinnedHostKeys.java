package io.lockstep.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * Accepts a node's host key only when known_hosts holds exactly that key for the node's host (and
 * port, as {@code [host]:port}, when it is not 22); refuses it otherwise and never writes
 * known_hosts. The file is re-read when it changes, so an operator who fixes it needs no restart.
 *
 * <p>A refusal is recorded, with the presented key (and the known one, if it changed), in the
 * holder the login passed under {@link #REJECTION} in the connection context: the login reports it
 * with the node's name. (Not on the session itself: a refused session closes and clears its
 * attributes, racing the login that wants to read them.)
 */
final class PinnedHostKeys extends KnownHostsServerKeyVerifier {

  static final AttributeKey<AtomicReference<HostKeyRejection>> REJECTION = new AttributeKey<>();

  PinnedHostKeys(Path knownHosts) {
    super(RejectAllServerKeyVerifier.INSTANCE, knownHosts);
  }

  @Override
  protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote,
      PublicKey presented) {
    return refuse(session, HostKeyRejection.Kind.UNKNOWN, presented, null, "");
  }

  @Override
  public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote,
      KnownHostEntry entry, PublicKey known, PublicKey presented) {
    return refuse(session, HostKeyRejection.Kind.CHANGED, presented, known, "");
  }

  @Override
  protected void handleRevokedKey(ClientSession session, SocketAddress remote,
      PublicKey presented) {
    refuse(session, HostKeyRejection.Kind.REVOKED, presented, null, "");
  }

  @Override
  protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress remote,
      PublicKey presented, Throwable reason) {
    return refuse(session, HostKeyRejection.Kind.UNREADABLE, presented, null,
        String.valueOf(reason.getMessage()));
  }

  private boolean refuse(ClientSession session, HostKeyRejection.Kind kind, PublicKey presented,
      @Nullable PublicKey known, String detail) {
    AttributeRepository context = session.getConnectionContext();
    AtomicReference<HostKeyRejection> holder =
        context == null ? null : context.getAttribute(REJECTION);
    if (holder != null) {
      holder.set(new HostKeyRejection(kind, presented, known, getPath(), detail));
    }
    return false;
  }
}
