package io.lockstep.ssh;

import java.time.Duration;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Builds the one MINA {@link SshClient} the console uses, configured so that nothing but
 * {@link SshProperties} decides how nodes are reached.
 */
final class SshClients {

  /**
   * How often an idle connection asks the node for a sign of life. Heartbeats keep a connection
   * alive while a command runs silently (MINA would otherwise close it after ten minutes without
   * traffic, killing a quiet rsync) and detect a node that went away.
   */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /** Unanswered heartbeats after which the connection counts as dead (about a minute). */
  static final int HEARTBEATS_MISSED = 4;

  private SshClients() {}

  static SshClient started(SshProperties properties, Credentials credentials) {
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(new PinnedHostKeys(properties.knownHosts()));
    // ~/.ssh/config and ~/.ssh/id_* of whoever runs the console must not change how we log in
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setUserAuthFactories(credentials.methods());
    CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, properties.connectTimeout());
    CoreModuleProperties.AUTH_TIMEOUT.set(client, properties.authTimeout());
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, HEARTBEAT);
    CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, HEARTBEATS_MISSED);
    client.start();
    return client;
  }
}
