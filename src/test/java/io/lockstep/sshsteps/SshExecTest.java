package io.lockstep.sshsteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.NodeShell;
import io.lockstep.sshsteps.TestNodes.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * {@code ssh.exec} against real SSH servers standing for the nodes (commands run by {@code
 * /bin/sh}, coreutils {@code timeout} the real one) and a Kubernetes API that knows their
 * addresses.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class SshExecTest {

  static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static TestNodes nodes;
  static NodeShell shell;

  KubernetesClient client;
  SshExec exec;

  @BeforeAll
  static void startTheNodes() throws Exception {
    nodes = TestNodes.start(dir, new Spec("node-1", 1, true), new Spec("node-2", 2, true),
        new Spec("node-3", 3, true), new Spec("node-stranger", 9, false));
    shell = new NodeShell(nodes.sshProperties());
  }

  @AfterAll
  static void stopTheNodes() throws Exception {
    shell.close();
    nodes.close();
  }

  @BeforeEach
  void setUp() {
    ACluster.node(client, "node-1", "127.0.77.1");
    ACluster.node(client, "node-2", "127.0.77.2");
    ACluster.node(client, "node-3", "127.0.77.3");
    ACluster.node(client, "node-stranger", "127.0.77.9");
    ACluster.node(client, "node-gone", TestNodes.nowhere());
    exec = executor(16);
    nodes.commandLines().clear();
  }

  @Test
  void oneNodeRunsTheCommandUnderTimeoutAndItsOutputGoesToTheLogLineByLine() throws Exception {
    var context = context(AnExec.on("node-1")
        .command("sh", "-c", "echo \"hello from $NODE_NAME\"; echo careful >&2; echo bye"));

    assertThat(exec.execute(context)).isEqualTo("node-1: exit 0");
    assertThat(context.saidIn(Locale.SIMPLIFIED_CHINESE)).isEqualTo("node-1：退出码 0");

    assertThat(context.log()).startsWith(
        "info: running on node-1: sh -c 'echo \"hello from $NODE_NAME\"; echo careful >&2; "
            + "echo bye' (exit 0 expected; the node runs it under 'timeout --kill-after=1s 20s …'"
            + " so that it ends the command itself when the step's time is up)",
        "action node-1: sh -c 'echo \"hello from $NODE_NAME\"; echo careful >&2; echo bye'")
        .endsWith("exit node-1: 0");
    assertThat(context.lines("out"))
        .containsExactly("out node-1: hello from node-1", "out node-1: bye");
    assertThat(context.lines("err")).containsExactly("err node-1: careful");
    assertThat(nodes.commandLines()).containsExactly("node-1: timeout --kill-after=1s 20s sh -c "
        + "'echo \"hello from $NODE_NAME\"; echo careful >&2; echo bye'");
  }

  @Test
  void manyNodesRunAtOnceAndEachLineIsAttributedToItsNode() throws Exception {
    Path barrier = Files.createDirectories(dir.resolve("barrier"));
    // every node waits until all three have started: run one after the other, this times out
    var context = context(AnExec.on("node-1", "node-2", "node-3").command("sh", "-c",
        "touch \"$1/$NODE_NAME\"; until [ \"$(ls \"$1\" | wc -l)\" -ge 3 ]; do sleep 0.05; done;"
            + " echo \"all there, says $NODE_NAME\"", "sh", barrier.toString()));

    assertThat(exec.execute(context)).isEqualTo("3 nodes: exit 0");

    assertThat(context.lines("out")).containsExactlyInAnyOrder(
        "out node-1: all there, says node-1",
        "out node-2: all there, says node-2",
        "out node-3: all there, says node-3");
    assertThat(context.lines("action")).hasSize(3);
    assertThat(context.lines("exit"))
        .containsExactlyInAnyOrder("exit node-1: 0", "exit node-2: 0", "exit node-3: 0");
    assertThat(context.lines("info")).singleElement().asString()
        .startsWith("info: running on node-1, node-2, node-3 in parallel: sh -c ");
  }

  @Test
  void inOrderTheFirstFailureEndsTheStepAndLaterNodesAreNotTouched() {
    var context = context(AnExec.on("node-1", "node-2", "node-3").inOrder()
        .command("sh", "-c", "echo \"on $NODE_NAME\"; test \"$NODE_NAME\" != node-2"));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("failed on 1 of 3 nodes (exit 0 expected): node-2 exit 1; not run on node-3"
            + " (stopped at the first failure)");

    assertThat(context.log()).filteredOn(line -> !line.startsWith("info")).containsExactly(
        "action node-1: sh -c 'echo \"on $NODE_NAME\"; test \"$NODE_NAME\" != node-2'",
        "out node-1: on node-1",
        "exit node-1: 0",
        "action node-2: sh -c 'echo \"on $NODE_NAME\"; test \"$NODE_NAME\" != node-2'",
        "out node-2: on node-2",
        "exit node-2: 1");
    assertThat(nodes.commandLines()).noneMatch(line -> line.startsWith("node-3"));
  }

  @Test
  void inParallelEveryNodeRunsToItsEndAndEveryFailureIsNamed() {
    var context = context(AnExec.on("node-1", "node-2", "node-3")
        .command("sh", "-c",
            "case $NODE_NAME in node-1) exit 0;; node-2) exit 2;; *) exit 7;; esac"));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("failed on 2 of 3 nodes (exit 0 expected): node-2 exit 2; node-3 exit 7");
    assertThat(context.lines("exit"))
        .containsExactlyInAnyOrder("exit node-1: 0", "exit node-2: 2", "exit node-3: 7");
  }

  @Test
  void expectedStatusesCountAsSuccess() throws Exception {
    var context = context(AnExec.on("node-1", "node-2", "node-3").expectExit(0, 3)
        .command("sh", "-c", "test \"$NODE_NAME\" != node-2 || exit 3"));

    assertThat(exec.execute(context))
        .isEqualTo("3 nodes: exit 0 on node-1, node-3; exit 3 on node-2");
    assertThat(context.saidIn(Locale.SIMPLIFIED_CHINESE)).isEqualTo("3 个节点：node-1, node-3 上退出码 0；node-2 上退出码 3");
  }

  @Test
  void aStatusNotExpectedFailsTheStepWithTheStatusRecorded() {
    var context = context(AnExec.on("node-1").command("sh", "-c", "exit 3"));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("failed (exit 0 expected): node-1 exit 3");
    assertThat(context.lines("exit")).containsExactly("exit node-1: 3");
  }

  @Test
  void aNodeThatCannotBeReachedFailsTheStepAfterTheOthersRan() {
    var context = context(AnExec.on("node-1", "node-gone").command("echo", "S3cret-Arg"));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("failed on 1 of 2 nodes (exit 0 expected): node-gone: cannot "
            + "connect to node-gone (" + TestNodes.nowhere() + ":")
        .hasMessageEndingWith("connection refused")
        .message().doesNotContain("S3cret-Arg");
    assertThat(context.lines("exit")).containsExactly("exit node-1: 0");
    assertThat(context.lines("info")).last().asString()
        .startsWith("info: node-gone: cannot connect");
  }

  @Test
  void aNodeWhoseHostKeyIsNotPinnedIsRefusedBeforeAnythingIsSent() {
    var context = context(AnExec.on("node-stranger").command("true"));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("node-stranger: host key of node-stranger (127.0.77.9:")
        .hasMessageContaining("is not in known_hosts: ");
    assertThat(nodes.commandLines()).isEmpty();
    assertThat(context.lines("exit")).isEmpty();
  }

  @Test
  void aNodeTheClusterDoesNotHaveFailsTheStepBeforeAnyNodeIsTouched() {
    var context = context(AnExec.on("node-1", "node-9").command("true"));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("node 'node-9' is not a node of the cluster");
    assertThat(nodes.commandLines()).isEmpty();
    assertThat(context.log()).isEmpty();
  }

  @Test
  void badParamsFailTheStepBeforeAnyNodeIsTouched() {
    var context = context(AnExec.on("node-1").command("true").with("sudo", true));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown param 'sudo'");
    assertThat(nodes.commandLines()).isEmpty();
  }

  @Test
  void listItemsAreSplicedAndEveryArgumentArrivesAsItIs() throws Exception {
    var context = context(AnExec.on("node-1").command("sh", "-c", "for a; do echo \"[$a]\"; done",
        "sh", List.of("a b", "it's"), "$HOME", "*", "; reboot"));

    exec.execute(context);

    assertThat(context.lines("out"))
        .containsExactly("out node-1: [a b]", "out node-1: [it's]", "out node-1: [$HOME]",
            "out node-1: [*]", "out node-1: [; reboot]");
    assertThat(context.lines("action")).containsExactly("action node-1: sh -c "
        + "'for a; do echo \"[$a]\"; done' sh 'a b' 'it'\\''s' '$HOME' '*' '; reboot'");
  }

  @Test
  void aCommandOutOfTimeIsStoppedByTheNodeItself() throws Exception {
    Path pid = dir.resolve("stopped.pid");
    int stoppedBefore = nodes.stoppedWhileRunning();
    var context = new RecordingContext(AnExec.on("node-1").command("sh", "-c",
        "echo $$ > \"$1\"; exec sleep 30", "sh", pid.toString()).params(), Duration.ofSeconds(1));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("failed (exit 0 expected): node-1: did not finish within 1s and was stopped "
            + "on the node (exit 124)");

    assertThat(context.lines("exit")).containsExactly("exit node-1: 124");
    assertThat(TestNodes.running(Long.parseLong(Files.readString(pid).strip()))).isFalse();
    assertThat(nodes.stoppedWhileRunning()).as("commands the console had to cut off")
        .isEqualTo(stoppedBefore);
  }

  @Test
  void aCommandIgnoringTheStopIsKilledByTheNodeAfterKillAfter() throws Exception {
    Path pid = dir.resolve("killed.pid");
    var context = new RecordingContext(AnExec.on("node-1").command("sh", "-c",
        "trap '' TERM; echo $$ > \"$1\"; sleep 30; echo survived", "sh", pid.toString()).params(),
        Duration.ofSeconds(1));

    assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("failed (exit 0 expected): node-1: did not finish within 1s and was killed "
            + "on the node (exit 137)");

    assertThat(context.lines("out")).isEmpty();
    assertThat(TestNodes.running(Long.parseLong(Files.readString(pid).strip()))).isFalse();
  }

  @ParameterizedTest(name = "parallel: {0}")
  @ValueSource(booleans = {true, false})
  void anInterruptStopsTheCommandOnEveryNodePromptly(boolean parallel) throws Exception {
    int stoppedBefore = nodes.stoppedWhileRunning();
    int running = parallel ? 3 : 1;
    var context = new RecordingContext(AnExec.on("node-1", "node-2", "node-3")
        .with("parallel", parallel)
        .command("sh", "-c", "echo started; exec sleep 30").params(), Duration.ofMinutes(1));
    FutureTask<String> step = new FutureTask<>(() -> exec.execute(context));
    Thread engine = new Thread(step, "engine");
    engine.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> context.lines("out").size() == running);

    long interrupted = System.nanoTime();
    engine.interrupt();

    assertThatThrownBy(() -> step.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - interrupted)).isLessThan(Duration.ofSeconds(3));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> nodes.stoppedWhileRunning() == stoppedBefore + running);
    assertThat(context.lines("exit")).isEmpty();
    assertThat(context.lines("action")).hasSize(running);
  }

  @Test
  void withFewerThreadsThanNodesTheNodesTakeTurns() throws Exception {
    SshExec oneAtATime = executor(1);
    // each node holds a lock for a moment; two nodes at once would find it taken (exit 9)
    var context = context(AnExec.on("node-1", "node-2", "node-3").command("sh", "-c",
        "mkdir \"$1\" || exit 9; sleep 0.2; rmdir \"$1\"", "sh", dir.resolve("lock").toString()));

    assertThat(oneAtATime.execute(context)).isEqualTo("3 nodes: exit 0");
  }

  @Test
  void argumentsReachTheRunsLogOnlyThroughTheContextNeverTheConsolesOwnLog() throws Exception {
    Logger ssh = (Logger) LoggerFactory.getLogger("io.lockstep");
    Level level = ssh.getLevel();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.list = new java.util.concurrent.CopyOnWriteArrayList<>();
    logged.start();
    ssh.addAppender(logged);
    ssh.setLevel(Level.DEBUG);
    try {
      var context = context(AnExec.on("node-1").command("sh", "-c", "exit 4", "sh", "S3cret-Arg"));
      assertThatThrownBy(() -> exec.execute(context)).isInstanceOf(StepFailedException.class)
          .message().doesNotContain("S3cret-Arg");
      assertThat(context.lines("action")).singleElement().asString().contains("S3cret-Arg");
    } finally {
      ssh.detachAppender(logged);
      ssh.setLevel(level);
    }
    assertThat(logged.list).isNotEmpty()
        .noneMatch(event -> event.getFormattedMessage().contains("S3cret-Arg"));
  }

  private static RecordingContext context(AnExec step) {
    return new RecordingContext(step.params(), STEP_TIMEOUT);
  }

  /** The executor on these nodes and cluster; nodes kill a command 1s after asking it to stop. */
  private SshExec executor(int parallelism) {
    return new SshExec(shell, new NodeAddresses(ACluster.kubernetes(client)),
        new SshStepsProperties(parallelism, Duration.ofSeconds(1)));
  }
}
