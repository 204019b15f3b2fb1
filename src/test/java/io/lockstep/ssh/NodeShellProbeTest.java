package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Probing nodes: pinned host keys, both ways to log in, and what an operator is told. */
class NodeShellProbeTest {

  @TempDir static Path dir;
  static KeyPair clientKey;
  static TestSshServer server;
  static SshTarget node;
  static Path knownHosts;
  static Path keyFile;

  @BeforeAll
  static void start() throws Exception {
    clientKey = ClientKeys.ed25519();
    server = TestSshServer.start(clientKey.getPublic(), dir);
    node = server.target("node-4");
    knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
    keyFile = ClientKeys.write(clientKey, dir.resolve("id_ed25519"));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void aPinnedNodeIsReachableAndShowsItsFingerprint() {
    NodeShell.Probe probe = probe(SshSettings.key(knownHosts, keyFile));

    assertThat(probe.reachable()).isTrue();
    assertThat(probe.message()).isEmpty();
    assertThat(probe.fingerprint()).isEqualTo(openSshFingerprint(server.hostKey()));
  }

  @Test
  void anUnknownHostKeyIsRefusedWithTheNodeAndItsFingerprint() throws Exception {
    // OpenSSH semantics: an entry without a port is for port 22, another port is another host
    Path elsewhere = Files.writeString(dir.resolve("known_hosts_elsewhere"),
        "127.0.0.1 " + PublicKeyEntry.toString(server.hostKey()) + "\n"
            + "[127.0.0.1]:1 " + PublicKeyEntry.toString(server.hostKey()) + "\n");
    byte[] before = Files.readAllBytes(elsewhere);
    FileTime modified = Files.getLastModifiedTime(elsewhere);
    String fingerprint = openSshFingerprint(server.hostKey());

    NodeShell.Probe probe = probe(SshSettings.password(elsewhere, TestSshServer.PASSWORD));

    assertThat(probe.message()).isEqualTo("host key of node-4 (127.0.0.1:" + server.port()
        + ") is not in known_hosts: ssh-ed25519 " + fingerprint + "; check it on the node and "
        + "add it to " + elsewhere);
    assertThat(probe.reachable()).isFalse();
    assertThat(probe.fingerprint()).isEqualTo(fingerprint);
    assertThat(Files.readAllBytes(elsewhere)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(elsewhere)).isEqualTo(modified);
  }

  @Test
  void aMissingKnownHostsFileIsNamedAndNotCreated() {
    Path missing = dir.resolve("no-such-known_hosts");

    NodeShell.Probe probe = probe(SshSettings.password(missing, TestSshServer.PASSWORD));

    assertThat(probe.reachable()).isFalse();
    assertThat(probe.message()).contains("is not in known_hosts",
        "(known_hosts file " + missing + " is missing)");
    assertThat(missing).doesNotExist();
  }

  @Test
  void aChangedHostKeyIsRefusedAsPossibleManInTheMiddle() throws Exception {
    PublicKey other = ClientKeys.ed25519().getPublic();
    Path stale = Files.writeString(dir.resolve("known_hosts_stale"),
        "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(other) + "\n");
    byte[] before = Files.readAllBytes(stale);

    NodeShell.Probe probe = probe(SshSettings.password(stale, TestSshServer.PASSWORD));

    assertThat(probe.reachable()).isFalse();
    assertThat(probe.fingerprint()).isEqualTo(openSshFingerprint(server.hostKey()));
    assertThat(probe.message()).isEqualTo("host key of node-4 (127.0.0.1:" + server.port()
        + ") CHANGED: presented " + openSshFingerprint(server.hostKey()) + ", known_hosts has "
        + openSshFingerprint(other) + " — possible man-in-the-middle; fix known_hosts if the node "
        + "was reinstalled");
    assertThat(Files.readAllBytes(stale)).isEqualTo(before);
  }

  @Test
  void aRevokedHostKeyIsRefused() throws Exception {
    Path revoked = Files.writeString(dir.resolve("known_hosts_revoked"),
        "@revoked " + server.knownHostsLine() + "\n");

    NodeShell.Probe probe = probe(SshSettings.password(revoked, TestSshServer.PASSWORD));

    assertThat(probe.reachable()).isFalse();
    assertThat(probe.message()).isEqualTo("host key of node-4 (127.0.0.1:" + server.port()
        + ") is marked @revoked in known_hosts: ssh-ed25519 "
        + openSshFingerprint(server.hostKey()));
  }

  @Test
  void execOnANodeWithAChangedKeyThrowsAndSendsNothing() throws Exception {
    PublicKey other = ClientKeys.ed25519().getPublic();
    Path stale = Files.writeString(dir.resolve("known_hosts_stale_exec"),
        "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(other) + "\n");
    server.commandLines().clear();
    try (NodeShell shell = new NodeShell(SshSettings.password(stale, TestSshServer.PASSWORD))) {
      assertThatThrownBy(() -> shell.exec(node, RemoteCommand.of("true"), Duration.ofSeconds(5),
              OutputListener.IGNORE))
          .isInstanceOfSatisfying(HostKeyRejectedException.class, e -> assertThat(e.fingerprint())
              .isEqualTo(openSshFingerprint(server.hostKey())))
          .hasMessageContaining("CHANGED");
    }
    assertThat(server.commandLines()).isEmpty();
  }

  @Test
  void aFixedKnownHostsFileTakesEffectWithoutRestart() throws Exception {
    Path file = Files.writeString(dir.resolve("known_hosts_fixed_later"), "");
    try (NodeShell shell = new NodeShell(SshSettings.key(file, keyFile))) {
      assertThat(shell.probe(node).reachable()).isFalse();
      server.writeKnownHosts(file);
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
      assertThat(shell.probe(node).reachable()).isTrue();
    }
  }

  @Test
  void passwordAloneLogsIn() {
    NodeShell.Probe probe = probe(SshSettings.password(knownHosts, TestSshServer.PASSWORD));
    assertThat(probe.reachable()).isTrue();
  }

  @Test
  void anEncryptedKeyLogsInWithItsPassphrase() throws Exception {
    Path encrypted =
        ClientKeys.writeEncrypted(clientKey, "key-passphrase-42", dir.resolve("id_enc"));

    assertThat(probe(SshSettings.of(knownHosts, encrypted, "key-passphrase-42", null, null))
        .reachable()).isTrue();

    NodeShell.Probe wrong =
        probe(SshSettings.of(knownHosts, encrypted, "wrong-passphrase-43", null, null));
    assertThat(wrong.reachable()).isFalse();
    assertThat(wrong.message()).startsWith("cannot read the private key " + encrypted)
        .doesNotContain("wrong-passphrase-43");
  }

  @Test
  void aWrongPasswordSaysAuthenticationFailedAndNeverShowsThePassword() {
    String wrongPassword = "Wr0ng-Secret-Pa55";
    try (CapturedLogs logs = new CapturedLogs(Level.DEBUG)) {
      NodeShell.Probe probe = probe(SshSettings.password(knownHosts, wrongPassword));

      assertThat(probe.reachable()).isFalse();
      assertThat(probe.message()).isEqualTo("root@node-4: authentication failed (password)");
      assertThat(probe.fingerprint()).isEqualTo(openSshFingerprint(server.hostKey()));
      assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(wrongPassword));
    }
  }

  @Test
  void anUnauthorizedKeyAndAWrongPasswordNameBothMethods() throws Exception {
    Path stranger = ClientKeys.write(ClientKeys.ed25519(), dir.resolve("id_stranger"));
    NodeShell.Probe probe = probe(SshSettings.of(knownHosts, stranger, null, "nope", null));
    assertThat(probe.message())
        .isEqualTo("root@node-4: authentication failed (publickey,password)");
  }

  @Test
  void aKeyAcceptedBeforeAWrongPasswordLogsIn() {
    assertThat(probe(SshSettings.of(knownHosts, keyFile, null, "nope", null)).reachable()).isTrue();
  }

  @Test
  void withoutCredentialsTheProbeStillShowsTheKeyAndSaysWhatToSet() {
    NodeShell.Probe probe = probe(SshSettings.of(knownHosts, null, null, null, null));
    assertThat(probe.reachable()).isFalse();
    assertThat(probe.fingerprint()).isEqualTo(openSshFingerprint(server.hostKey()));
    assertThat(probe.message()).isEqualTo("root@node-4: authentication failed (no credentials "
        + "configured: set lockstep.ssh.private-key or lockstep.ssh.password)");
  }

  @Test
  void aClosedPortIsConnectionRefused() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SshTarget nowhere = new SshTarget("node-9", "127.0.0.1", closedPort);
    try (NodeShell shell = new NodeShell(SshSettings.key(knownHosts, keyFile))) {
      NodeShell.Probe probe = shell.probe(nowhere);

      assertThat(probe.reachable()).isFalse();
      assertThat(probe.fingerprint()).isEmpty();
      assertThat(probe.message())
          .isEqualTo("cannot connect to node-9 (127.0.0.1:" + closedPort + "): connection refused");
    }
  }

  private static NodeShell.Probe probe(SshProperties settings) {
    try (NodeShell shell = new NodeShell(settings)) {
      return shell.probe(node);
    }
  }

  /** SHA-256 over the key blob, unpadded base64: computed here independently of the module. */
  private static String openSshFingerprint(PublicKey key) {
    try {
      byte[] blob = Base64.getDecoder().decode(PublicKeyEntry.toString(key).split(" ")[1]);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

}
