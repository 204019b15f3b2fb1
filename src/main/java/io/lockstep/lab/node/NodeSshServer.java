package io.lockstep.lab.node;

import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;

/**
 * A lab node's SSH server on the node's own loopback address: the node's host key; logins only as
 * {@code root}, with the console's key or the platform's root password; {@code exec} requests run
 * by the node's {@link NodeShell}. No interactive shell, no SFTP, no port forwarding.
 */
final class NodeSshServer {

  private final SshServer server;

  NodeSshServer(LabSeed.Node node, int port, KeyPair hostKey, PublicKey authorizedKey, String rootPassword,
      NodeShell shell, ExecutorService sessions) {
    byte[] password = rootPassword.getBytes(StandardCharsets.UTF_8);
    server = SshServer.setUpDefaultServer();
    server.setHost(node.ip());
    server.setPort(port);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator((user, key, session) -> "root".equals(user) && KeyUtils.compareKeys(key, authorizedKey));
    server.setPasswordAuthenticator((user, given, session) ->
        "root".equals(user) && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), password));
    server.setKeyboardInteractiveAuthenticator(null);
    server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
    server.setCommandFactory((channel, command) -> new NodeExec(shell, command, sessions));
  }

  void start() throws IOException {
    server.start();
  }

  void stop() {
    try {
      server.stop(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
