package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.ssh.OutputListener.Stream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's stdin: the caller's bytes, then EOF; large inputs flow both ways without a deadlock. */
class NodeShellStdinTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static TestSshServer server;
  static NodeShell shell;
  static SshTarget node;

  @BeforeAll
  static void start() throws Exception {
    server = TestSshServer.start(ClientKeys.ed25519().getPublic(), dir);
    shell = new NodeShell(SshSettings.password(server.writeKnownHosts(dir.resolve("known_hosts")),
        TestSshServer.PASSWORD));
    node = server.target("node-4");
  }

  @AfterAll
  static void stop() throws Exception {
    shell.close();
    server.close();
  }

  private static List<String> stdout(RemoteCommand command, byte[] input) {
    List<String> lines = new ArrayList<>();
    ExecResult result = shell.exec(node, command, TIMEOUT, input, (stream, line) -> {
      if (stream == Stream.STDOUT) {
        lines.add(line);
      }
    });
    assertThat(result.exitStatus()).isZero();
    return lines;
  }

  @Test
  void theCommandReadsTheInputThenEndOfFile() throws Exception {
    Path file = dir.resolve("written.yaml");
    byte[] yaml = "nodes:\n  - name: node-4\n    ip4: 10.0.0.4\npassword: 'it''s $(id)'\n"
        .getBytes(StandardCharsets.UTF_8);

    // tee would wait forever for more without EOF; it ends, and both copies are exact
    List<String> echoed = stdout(RemoteCommand.of("tee", file.toString()), yaml);

    assertThat(Files.readAllBytes(file)).isEqualTo(yaml);
    assertThat(String.join("\n", echoed) + "\n").isEqualTo(new String(yaml, StandardCharsets.UTF_8));
  }

  /**
   * A command that echoes what it reads while it reads: the console must read the output while it
   * still writes the input, or both sides wait for each other once the SSH windows are full (2 MB
   * each way, plus the console's line backlog). MINA's process shell pumps a process's pipes on one
   * thread and cannot do this for big data, so the echo is a server command of its own here, one
   * that passes stdin to stdout as a node's {@code cat} does.
   */
  @Test
  void aLargeInputIsPassedWhileTheCommandEchoesIt() throws Exception {
    String text = IntStream.range(0, 200_000).mapToObj(i -> "line " + i + " of the input")
        .collect(Collectors.joining("\n", "", "\n"));
    byte[] input = text.getBytes(StandardCharsets.UTF_8);
    assertThat(input.length).isGreaterThan(4_500_000);
    try (EchoServer echo = EchoServer.start(dir)) {
      List<String> echoed = new ArrayList<>(); // the listener runs on this thread
      ExecResult result = echo.shell.exec(echo.target, RemoteCommand.of("echo-stdin"), TIMEOUT, input,
          (stream, line) -> echoed.add(line));

      assertThat(result.exitStatus()).isZero();
      assertThat(echoed).hasSize(200_000);
      assertThat(echoed.get(199_999)).isEqualTo("line 199999 of the input");
    }
  }

  @Test
  void binaryInputArrivesByteForByte() throws Exception {
    byte[] random = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(random);
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(random));

    List<String> sum = stdout(RemoteCommand.of("sha256sum"), random);

    assertThat(sum).singleElement().asString().startsWith(expected + "  -");
  }

  @Test
  void aCommandThatDoesNotReadItsInputStillEnds() {
    byte[] input = new byte[4 * 1024 * 1024];

    ExecResult result = shell.exec(node, RemoteCommand.of("sh", "-c", "echo done; exit 3"), TIMEOUT,
        input, OutputListener.IGNORE);

    assertThat(result.exitStatus()).isEqualTo(3);
  }

  @Test
  void emptyInputIsEndOfFileAtOnce() {
    assertThat(stdout(RemoteCommand.of("wc", "-c"), new byte[0])).singleElement().asString()
        .isEqualToIgnoringWhitespace("0");
  }

  @Test
  void aCommandThatNeverReadsNorEndsStillTimesOut() {
    stdout(RemoteCommand.of("true"), new byte[0]); // the connection is open: the time is the command's
    int before = server.hangsStopped();

    assertThatThrownBy(() -> shell.exec(node, RemoteCommand.of("hang"), Duration.ofMillis(1500),
        new byte[8 * 1024 * 1024], OutputListener.IGNORE))
        .isInstanceOf(SshTimeoutException.class)
        .hasMessageContaining("did not finish within");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> server.hangsStopped() > before);
  }

  /** An SSH server whose every command copies its stdin to its stdout, then exits 0. */
  private static final class EchoServer implements AutoCloseable {
    final SshServer server = SshServer.setUpDefaultServer();
    NodeShell shell;
    SshTarget target;

    static EchoServer start(Path dir) throws Exception {
      EchoServer echo = new EchoServer();
      KeyPair hostKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
      echo.server.setHost("127.0.0.1");
      echo.server.setPort(0);
      echo.server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
      echo.server.setPasswordAuthenticator((user, password, session) ->
          TestSshServer.PASSWORD.equals(password));
      echo.server.setCommandFactory((channel, commandLine) -> new Echo());
      echo.server.start();
      int port = echo.server.getPort();
      Path knownHosts = Files.writeString(dir.resolve("echo_known_hosts"),
          "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
      echo.shell = new NodeShell(SshSettings.password(knownHosts, TestSshServer.PASSWORD));
      echo.target = new SshTarget("echo", "127.0.0.1", port);
      return echo;
    }

    @Override
    public void close() throws Exception {
      shell.close();
      server.stop(true);
    }
  }

  private static final class Echo implements Command {
    private InputStream in;
    private OutputStream out;
    private ExitCallback exit;

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {}

    @Override
    public void setExitCallback(ExitCallback exit) {
      this.exit = exit;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
      Thread copy = new Thread(() -> {
        try {
          in.transferTo(out);
          out.flush();
          exit.onExit(0);
        } catch (IOException e) {
          exit.onExit(1, e.getMessage());
        }
      }, "echo-stdin");
      copy.setDaemon(true);
      copy.start();
    }

    @Override
    public void destroy(ChannelSession channel) {}
  }
}
