package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.lockstep.ssh.OutputListener.Stream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands on a real SSH server: streaming, exit status, timeouts, quoting, connection reuse. */
class NodeShellExecTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir static Path dir;
  static TestSshServer server;
  static NodeShell shell;
  static SshTarget node;

  @BeforeAll
  static void start() throws Exception {
    server = TestSshServer.start(ClientKeys.ed25519().getPublic(), dir);
    Path knownHosts = server.writeKnownHosts(dir.resolve("known_hosts"));
    shell = new NodeShell(SshSettings.password(knownHosts, TestSshServer.PASSWORD));
    node = server.target("node-4");
  }

  @AfterAll
  static void stop() throws Exception {
    shell.close();
    server.close();
  }

  @BeforeEach
  void forgetEarlierCommands() {
    server.commandLines().clear();
  }

  record Seen(long atNanos, Stream stream, String line) {}

  static final class Recorder implements OutputListener {
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Override
    public void onLine(Stream stream, String line) {
      seen.add(new Seen(System.nanoTime(), stream, line));
    }

    List<String> lines(Stream stream) {
      return seen.stream().filter(s -> s.stream() == stream).map(Seen::line).toList();
    }
  }

  @Test
  void linesArriveWhileTheCommandStillRuns() {
    Recorder output = new Recorder();
    ExecResult result = shell.exec(node,
        RemoteCommand.of("sh", "-c", "echo first; sleep 0.8; echo second"), TIMEOUT, output);
    long ended = System.nanoTime();

    assertThat(output.lines(Stream.STDOUT)).containsExactly("first", "second");
    assertThat(Duration.ofNanos(ended - output.seen.get(0).atNanos()))
        .isGreaterThan(Duration.ofMillis(500));
    assertThat(result.exitStatus()).isZero();
    assertThat(result.took()).isGreaterThan(Duration.ofMillis(700));
  }

  @Test
  void exitStatusAndStderrComeBackSeparately() {
    Recorder output = new Recorder();
    ExecResult failed = shell.exec(node,
        RemoteCommand.of("sh", "-c", "echo out; echo err >&2; exit 7"), TIMEOUT, output);

    assertThat(failed.exitStatus()).isEqualTo(7);
    assertThat(failed.succeeded()).isFalse();
    assertThat(output.lines(Stream.STDOUT)).containsExactly("out");
    assertThat(output.lines(Stream.STDERR)).containsExactly("err");
    ExecResult succeeded =
        shell.exec(node, RemoteCommand.of("true"), TIMEOUT, OutputListener.IGNORE);
    assertThat(succeeded.exitStatus()).isZero();
    assertThat(succeeded.succeeded()).isTrue();
  }

  @Test
  void progressRedrawnWithCarriageReturnsIsSeenLineByLine() {
    Recorder output = new Recorder();
    shell.exec(node, RemoteCommand.of("printf", "ibdata1\\n  10%%\\r  50%%\\r 100%%\\r\\ndone\\n"),
        TIMEOUT, output);
    assertThat(output.lines(Stream.STDOUT))
        .containsExactly("ibdata1", "  10%", "  50%", " 100%", "done");
  }

  @Test
  void everyArgumentArrivesAsOneLiteralArgument() {
    List<String> nasty = List.of("a b", "it's", "\"double\"", "$(touch /tmp/lockstep-pwned)",
        "`id`", "a;b", "x && y", "a|b", "$HOME", "${PATH}", "*", "~", "#comment", "back\\slash",
        "", "  padded  ", "tab\there", "/数据/mysql", "-n", "--", "'", "''", "!", "%s");
    RemoteCommand printf = RemoteCommand.of("printf", "%s\\n").with(nasty.toArray(String[]::new));
    Recorder output = new Recorder();

    shell.exec(node, printf, TIMEOUT, output);

    assertThat(output.lines(Stream.STDOUT)).containsExactlyElementsOf(nasty);
    assertThat(server.commandLines()).contains(printf.toShell());
    assertThat(Path.of("/tmp/lockstep-pwned")).doesNotExist();
  }

  @Test
  void randomArgumentsSurviveTheRemoteShell() {
    int[] alphabet = " \t'\"`$\\;&|<>(){}[]*?~#!%=,:@+-./aZ9数😀".codePoints().toArray();
    Random random = new Random(20261123);
    List<String> arguments = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder argument = new StringBuilder();
      random.ints(random.nextInt(12), 0, alphabet.length)
          .forEach(c -> argument.appendCodePoint(alphabet[c]));
      arguments.add(argument.toString());
    }
    Recorder output = new Recorder();

    shell.exec(node, RemoteCommand.of("printf", "%s\\n").with(arguments.toArray(String[]::new)),
        TIMEOUT, output);

    assertThat(output.lines(Stream.STDOUT)).containsExactlyElementsOf(arguments);
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsStopped() {
    int stoppedBefore = server.hangsStopped();
    long started = System.nanoTime();

    assertThatThrownBy(() -> shell.exec(node, RemoteCommand.of("hang"), Duration.ofSeconds(1),
            OutputListener.IGNORE))
        .isInstanceOf(SshTimeoutException.class)
        .hasMessage("command 'hang' on " + node + " did not finish within 1s; its channel was "
            + "closed to stop it");

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(950), Duration.ofMillis(2500));
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hangsStopped() > stoppedBefore);
  }

  @Test
  void muchOutputArrivesCompleteAndInOrderEvenForASlowListener() {
    List<String> seen = new ArrayList<>();
    shell.exec(node, RemoteCommand.of("seq", "1", "30000"), TIMEOUT, (stream, line) -> {
      seen.add(line);
      if (seen.size() % 3000 == 0) {
        sleep(Duration.ofMillis(50));
      }
    });
    assertThat(seen).hasSize(30000).startsWith("1", "2").endsWith("29999", "30000");
  }

  @Test
  void aCommandThatNeverStopsTalkingIsStillStoppedAtItsTimeout() {
    long started = System.nanoTime();
    assertThatThrownBy(() -> shell.exec(node, RemoteCommand.of("sh", "-c", "exec yes"),
            Duration.ofSeconds(1), OutputListener.IGNORE))
        .isInstanceOf(SshTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** MINA itself logs command lines at DEBUG, so production keeps org.apache.sshd at INFO. */
  @Test
  void aSecretArgumentIsSentButNeitherLoggedNorInTheTimeoutMessage() {
    RemoteCommand secret = RemoteCommand.of("hang", "-p").withSecret("s3cr3t-arg");
    try (CapturedLogs logs = new CapturedLogs(Level.INFO)) {
      assertThatThrownBy(() ->
              shell.exec(node, secret, Duration.ofMillis(500), OutputListener.IGNORE))
          .isInstanceOf(SshTimeoutException.class)
          .hasMessageStartingWith("command 'hang -p ******' on node-4")
          .hasMessageNotContaining("s3cr3t-arg");
      assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains("s3cr3t-arg"));
    }
    assertThat(server.commandLines()).containsExactly("hang -p s3cr3t-arg");
  }

  @Test
  void interruptingTheCallerStopsTheCommand() throws Exception {
    int stoppedBefore = server.hangsStopped();
    AtomicBoolean stillInterrupted = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        shell.exec(node, RemoteCommand.of("hang"), TIMEOUT, OutputListener.IGNORE);
      } catch (SshException e) {
        stillInterrupted.set(Thread.currentThread().isInterrupted()
            && e.getMessage().contains("was interrupted"));
      }
    });
    caller.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.commandLines().contains("hang")
        && server.hangsStopped() == stoppedBefore && caller.isAlive());
    Thread.sleep(200);
    caller.interrupt();
    caller.join(5000);

    assertThat(caller.isAlive()).isFalse();
    assertThat(stillInterrupted).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hangsStopped() > stoppedBefore);
  }

  @Test
  void aFailingListenerStopsTheCommandAndIsRethrown() {
    int stoppedBefore = server.hangsStopped();
    assertThatThrownBy(() -> shell.exec(node, RemoteCommand.of("hang", "boom"), TIMEOUT,
            (stream, line) -> {
              throw new IllegalStateException("listener failed on " + line);
            }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("listener failed on boom");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.hangsStopped() > stoppedBefore);
  }

  @Test
  void stdinIsEmptySoAQuestionDoesNotHang() {
    ExecResult cat = shell.exec(node, RemoteCommand.of("cat"), Duration.ofSeconds(5),
        OutputListener.IGNORE);
    assertThat(cat.exitStatus()).isZero();
  }

  @Test
  void commandsShareOneConnectionAndABrokenOneIsReplaced() {
    shell.exec(node, RemoteCommand.of("true"), TIMEOUT, OutputListener.IGNORE);
    int sessions = server.sessionsOpened();
    shell.exec(node, RemoteCommand.of("true"), TIMEOUT, OutputListener.IGNORE);
    shell.exec(node, RemoteCommand.of("true"), TIMEOUT, OutputListener.IGNORE);
    assertThat(server.sessionsOpened()).isEqualTo(sessions);

    server.dropConnections();
    Recorder output = new Recorder();
    shell.exec(node, RemoteCommand.of("echo", "again"), TIMEOUT, output);

    assertThat(output.lines(Stream.STDOUT)).containsExactly("again");
    assertThat(server.sessionsOpened()).isEqualTo(sessions + 1);
  }

  @Test
  void aConnectionLostMidCommandIsReportedAsSuch() {
    CompletableFuture.runAsync(() -> {
      await().atMost(Duration.ofSeconds(5)).until(() -> server.commandLines().contains("hang"));
      server.dropConnections();
    });

    assertThatThrownBy(() -> shell.exec(node, RemoteCommand.of("hang"), TIMEOUT,
            OutputListener.IGNORE))
        .isInstanceOf(SshException.class)
        .hasMessage("command 'hang' on " + node + " ended without an exit status: the connection "
            + "to the node was lost");
  }

  @Test
  void maxSessionsMakesFurtherCommandsWaitWithinTheirTimeout() throws Exception {
    SshProperties oneAtATime = SshSettings.of(dir.resolve("known_hosts"), null, null,
        TestSshServer.PASSWORD, 1);
    try (NodeShell narrow = new NodeShell(oneAtATime)) {
      CompletableFuture<ExecResult> first = CompletableFuture.supplyAsync(() -> narrow.exec(node,
          RemoteCommand.of("sleep", "1"), TIMEOUT, OutputListener.IGNORE));
      await().until(() -> server.commandLines().contains("sleep 1"));

      assertThatThrownBy(() -> narrow.exec(node, RemoteCommand.of("true"), Duration.ofMillis(300),
              OutputListener.IGNORE))
          .isInstanceOf(SshTimeoutException.class)
          .hasMessage("command 'true' on " + node + " did not start within 300ms: "
              + "lockstep.ssh.max-sessions=1 commands were already running there");
      assertThat(narrow.exec(node, RemoteCommand.of("true"), TIMEOUT, OutputListener.IGNORE)
          .succeeded()).isTrue();
      assertThat(first.get().succeeded()).isTrue();
    }
  }
}
