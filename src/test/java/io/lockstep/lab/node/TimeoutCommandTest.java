package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.node.NodeClient.Result;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code timeout} on a lab node, which the console wraps around every {@code ssh.exec} command:
 * over SSH as the console meets it, and directly for what SSH cannot show (a command that ignores
 * being stopped, a channel closed while it runs).
 */
class TimeoutCommandTest {

  static final String NODE_1 = "127.0.10.1";

  @TempDir
  static Path state;

  static RecordingCluster cluster = new RecordingCluster();
  static LabNodes nodes;
  static NodeClient ssh;

  @BeforeAll
  static void startTheLab() throws Exception {
    var props = ALab.props(state);
    nodes = new LabNodes(ALab.seed("1MB"), props, cluster);
    nodes.start();
    ssh = new NodeClient(props, nodes.sshPort());
  }

  @AfterAll
  static void stopTheLab() throws Exception {
    ssh.close();
    nodes.stop();
  }

  @Test
  void aCommandWithinItsTimeEndsAsItWouldWithout() throws Exception {
    Result echo = ssh.exec(NODE_1, "timeout 10s echo 'within time'");
    assertThat(echo.out()).isEqualTo("within time\n");
    assertThat(echo.status()).isZero();
    assertThat(ssh.exec(NODE_1, "timeout 1m false").status()).isEqualTo(1);
    assertThat(ssh.exec(NODE_1, "timeout 5 /usr/bin/hostname").out()).isEqualTo("node-1\n");
    assertThat(ssh.exec(NODE_1, "timeout 0 echo 'no limit'").out()).isEqualTo("no limit\n");
    assertThat(ssh.exec(NODE_1, "which timeout").out()).isEqualTo("/usr/bin/timeout\n");
  }

  @Test
  void theConsolesWrapRunsTheNodesOwnCommands() throws Exception {
    Result stop = ssh.exec(NODE_1, "timeout --kill-after=10s 120s systemctl stop kubelet");
    assertThat(stop.status()).isZero();
    assertThat(cluster.events).contains("kubelet node-1 false");
    assertThat(ssh.exec(NODE_1, "timeout -k 10s 120s systemctl is-active kubelet").status())
        .isEqualTo(3);
    assertThat(ssh.exec(NODE_1, "timeout --kill-after=10s 120s systemctl start kubelet").status())
        .isZero();
  }

  @Test
  void aCommandOutOfTimeIsStoppedWithStatus124() throws Exception {
    long started = System.nanoTime();
    Result slept = ssh.exec(NODE_1, "timeout 0.2s sleep 30 && echo not-here");
    assertThat(slept.status()).isEqualTo(124);
    assertThat(slept.out()).isEmpty();
    assertThat(ssh.exec(NODE_1, "timeout --kill-after=10s 0.2 sleep 30").status()).isEqualTo(124);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void mistakesInTheTimeoutCommandItselfExit125AndAMissingCommand127() throws Exception {
    assertThat(ssh.exec(NODE_1, "timeout")).isEqualTo(new Result(125, "", "timeout: missing operand\n"));
    assertThat(ssh.exec(NODE_1, "timeout 5s").status()).isEqualTo(125);
    assertThat(ssh.exec(NODE_1, "timeout soon echo x"))
        .isEqualTo(new Result(125, "", "timeout: invalid time interval 'soon'\n"));
    assertThat(ssh.exec(NODE_1, "timeout --kill-after=-1 5 echo x"))
        .isEqualTo(new Result(125, "", "timeout: invalid time interval '-1'\n"));
    assertThat(ssh.exec(NODE_1, "timeout --signal=KILL 5 echo x"))
        .isEqualTo(new Result(125, "", "timeout: invalid option '--signal=KILL'\n"));
    assertThat(ssh.exec(NODE_1, "timeout 5s nosuch")).isEqualTo(new Result(127, "",
        "timeout: failed to run command 'nosuch': No such file or directory\n"));
    assertThat(ssh.exec("127.0.10.4", "timeout 5s helm4 list").status()).as("a command the node lacks")
        .isEqualTo(127);
  }

  @Test
  void aCommandThatIgnoresBeingStoppedIsGivenUpOnAfterKillAfterWithStatus137() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    NodeCommand stubborn = call -> {
      while (true) {
        try {
          release.await();
          return 0;
        } catch (InterruptedException e) {
          stopped.countDown();
        }
      }
    };
    try {
      assertThat(run(Map.of("stubborn", stubborn), "--kill-after=0.1s", "0.1s", "stubborn"))
          .isEqualTo(Timeout.KILLED);
      assertThat(stopped.getCount()).as("asked to stop first").isZero();
    } finally {
      release.countDown();
    }
  }

  @Test
  void closingTheChannelStopsTheCommandTimeoutRuns() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    NodeCommand waiting = call -> {
      running.countDown();
      try {
        new CountDownLatch(1).await();
        return 0;
      } finally {
        stopped.countDown();
      }
    };
    FutureTask<Integer> timeout = new FutureTask<>(() -> run(Map.of("wait", waiting), "1h", "wait"));
    Thread session = new Thread(timeout, "lab-node-session");
    session.start();
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    session.interrupt();

    assertThat(stopped.await(10, TimeUnit.SECONDS)).as("the command was stopped").isTrue();
    session.join(10_000);
    assertThat(session.isAlive()).isFalse();
  }

  /** Runs {@code timeout ARGS…} with only {@code commands} on the node; returns its status. */
  private static int run(Map<String, NodeCommand> commands, String... args) throws Exception {
    Invocation call = new Invocation("timeout", List.of(args), InputStream.nullInputStream(),
        new ByteArrayOutputStream(), new ByteArrayOutputStream());
    int status = new Timeout(name -> Optional.ofNullable(commands.get(name))).run(call);
    assertThat(((ByteArrayOutputStream) call.err()).toString(StandardCharsets.UTF_8)).isEmpty();
    return status;
  }
}
