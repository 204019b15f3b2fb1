package io.lockstep.lab.node;

import io.lockstep.lab.LabProperties;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Reaches lab nodes the way the console does: MINA's SSH client, host keys pinned by the lab's
 * known_hosts (anything unknown rejected), logging in as root with the lab's client key.
 */
final class NodeClient implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** What a command left: exit status, standard output, standard error. */
  record Result(int status, String out, String err) {}

  private final SshClient client;
  private final int port;
  private final KeyPair key;
  private final Map<String, ClientSession> sessions = new HashMap<>();

  NodeClient(LabProperties props, int port) throws Exception {
    this.port = port;
    try (InputStream in = Files.newInputStream(props.clientKey())) {
      this.key = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("client"), in, null).iterator().next();
    }
    client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, props.knownHosts()));
    client.start();
  }

  /** Runs {@code command} on the node at {@code ip} as root with the client key (one session per node). */
  Result exec(String ip, String command) throws IOException {
    ClientSession session = sessions.get(ip);
    if (session == null || !session.isOpen()) {
      session = session("root", ip);
      session.addPublicKeyIdentity(key);
      session.auth().verify(TIMEOUT);
      sessions.put(ip, session);
    }
    return run(session, command);
  }

  /** Logs in with a password; throws when the server refuses. */
  Result execWithPassword(String user, String password, String ip, String command) throws IOException {
    try (ClientSession session = session(user, ip)) {
      session.addPasswordIdentity(password);
      session.auth().verify(TIMEOUT);
      return run(session, command);
    }
  }

  /** Logs in as another user with the client key; throws when the server refuses. */
  Result execAs(String user, String ip, String command) throws IOException {
    try (ClientSession session = session(user, ip)) {
      session.addPublicKeyIdentity(key);
      session.auth().verify(TIMEOUT);
      return run(session, command);
    }
  }

  private ClientSession session(String user, String ip) throws IOException {
    return client.connect(user, ip, port).verify(TIMEOUT).getSession();
  }

  private static Result run(ClientSession session, String command) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ChannelExec channel = session.createExecChannel(command)) {
      channel.setOut(out);
      channel.setErr(err);
      channel.open().verify(TIMEOUT);
      channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS), TIMEOUT);
      channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
      Integer status = channel.getExitStatus();
      return new Result(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() throws IOException {
    for (ClientSession session : sessions.values()) {
      session.close();
    }
    client.stop();
  }
}
