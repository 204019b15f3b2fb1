package io.lockstep.ssh;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The console's connections to its nodes, one per {@link SshTarget}, kept open between commands
 * because a login costs a key exchange and several round trips while a channel costs one. A
 * connection without commands for {@link #IDLE_LIMIT} is closed the next time any node is used.
 */
final class NodeSessions implements AutoCloseable {

  static final Duration IDLE_LIMIT = Duration.ofMinutes(5);

  private final Logins logins;
  private final @Nullable Integer maxSessions;
  private final ConcurrentMap<SshTarget, NodeConnection> nodes = new ConcurrentHashMap<>();

  NodeSessions(Logins logins, @Nullable Integer maxSessions) {
    this.logins = logins;
    this.maxSessions = maxSessions;
  }

  NodeConnection of(SshTarget target) {
    nodes.values().forEach(node -> node.closeIfIdle(IDLE_LIMIT));
    return nodes.computeIfAbsent(target, t -> new NodeConnection(t, logins, maxSessions));
  }

  @Override
  public void close() {
    nodes.values().forEach(NodeConnection::close);
    nodes.clear();
  }
}
