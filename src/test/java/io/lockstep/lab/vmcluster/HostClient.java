package io.lockstep.lab.vmcluster;

import io.lockstep.lab.LabProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Reaches the cluster's hosts as the console does: MINA's SSH client, host keys pinned by the
 * lab's known_hosts, root with the lab's client key; a new session per command.
 */
final class HostClient implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What a command left: exit status (-1 when the session ended without one), stdout, stderr. */
  record Result(int status, String out, String err) {}

  private final SshClient client;
  private final VmClusterLab lab;
  private final KeyPair key;

  HostClient(LabProperties props, VmClusterLab lab) throws Exception {
    this.lab = lab;
    try (InputStream in = Files.newInputStream(props.clientKey())) {
      this.key = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("client"), in, null).iterator().next();
    }
    client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, props.knownHosts()));
    client.start();
  }

  /** Runs a command on a host. */
  Result exec(String host, String command) throws IOException {
    return exec(host, command, null);
  }

  /** Runs a command on a host, feeding it {@code input} on stdin. */
  Result exec(String host, String command, String input) throws IOException {
    try (ClientSession session = client.connect("root", lab.ip(host), lab.sshPort()).verify(TIMEOUT).getSession()) {
      session.addPublicKeyIdentity(key);
      session.auth().verify(TIMEOUT);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (ChannelExec channel = session.createExecChannel(command)) {
        channel.setOut(out);
        channel.setErr(err);
        if (input != null) {
          channel.setIn(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        }
        channel.open().verify(TIMEOUT);
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
        Integer status = channel.getExitStatus();
        return new Result(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
      }
    }
  }

  /** Whether the host accepts an SSH connection. */
  boolean answers(String host) {
    try {
      return exec(host, "true").status() == 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    client.stop();
  }
}
