package io.lockstep.sshsteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the approver sees of an {@code ssh.exec} step, and the params it refuses: checked without
 * touching a node or the cluster.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class SshExecPreviewTest {

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;
  NodeShell shell;
  SshExec exec;

  @BeforeEach
  void setUp() {
    shell = new NodeShell(new SshProperties("root", 22, null, null, "unused",
        dir.resolve("known_hosts"), Duration.ofSeconds(1), Duration.ofSeconds(1),
        Duration.ofSeconds(1), null));
    exec = new SshExec(shell, new NodeAddresses(ACluster.kubernetes(client)),
        new SshStepsProperties(16, Duration.ofSeconds(10)));
  }

  @AfterEach
  void tearDown() {
    shell.close();
  }

  @Test
  void oneNodeIsOneLineWithTheCommandAsTheShellGetsIt() {
    var preview = exec.preview(
        AnExec.on("node-1").command("systemctl", "stop", "kubelet").params());

    assertThat(preview.actions()).containsExactly("node-1: systemctl stop kubelet");
    assertThat(preview.diff()).isNull();
    assertThat(exec.type()).isEqualTo("ssh.exec");
  }

  @Test
  void nodesInParallelShareOneLineAndNodesInOrderHaveOneEach() {
    assertThat(exec.preview(AnExec.on("node-1", "node-2").command("df", "-k", "/sysvol").params())
        .actions()).containsExactly("on node-1, node-2 in parallel: df -k /sysvol");
    assertThat(exec.preview(AnExec.on("node-1", "node-2").command("df", "-k", "/sysvol")
        .inOrder().params()).actions())
        .containsExactly("node-1: df -k /sysvol", "node-2: df -k /sysvol");
  }

  @Test
  void listItemsAreSplicedAndEveryArgumentIsQuotedWhereTheShellNeedsIt() {
    var params = AnExec.on("node-1")
        .command("systemctl", "stop", List.of("kubelet", "docker"), "it's $(here)").params();

    assertThat(exec.preview(params).actions())
        .containsExactly("node-1: systemctl stop kubelet docker 'it'\\''s $(here)'");
  }

  @Test
  void statusesOtherThanZeroAreShownWhenExpected() {
    var params = AnExec.on("node-4").command("systemctl", "is-active", "kubelet").expectExit(3)
        .params();

    assertThat(exec.preview(params).actions())
        .containsExactly("node-4: systemctl is-active kubelet (exit 3 expected)");
  }

  @Test
  void numbersAndBooleansInTheCommandAreWrittenAsText() {
    assertThat(exec.preview(AnExec.on("node-1").command("sleep", 5, "--force", true).params())
        .actions()).containsExactly("node-1: sleep 5 --force true");
  }

  @Test
  void unknownParamsAreNamedAllAtOnce() {
    var params = AnExec.on("node-1").command("true").with("paralel", false).with("user", "x")
        .params();

    assertThatThrownBy(() -> exec.preview(params)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown params 'paralel', 'user'");
  }

  @Test
  void theNodesMustBeNodeNames() {
    assertRefused(Map.of("command", List.of("true")), "param 'on' is missing");
    assertRefused(AnExec.on("Node_1").command("true").params(), "param 'on': node name 'Node_1'");
    assertRefused(AnExec.on("-oProxyCommand=x").command("true").params(), "param 'on': node name");
    assertRefused(AnExec.on("node-1", "node-1").command("true").params(),
        "param 'on' names node node-1 twice");
    assertRefused(AnExec.on("node-1").with("on", List.of()).command("true").params(),
        "param 'on' names no node");
    assertRefused(AnExec.on("node-1").with("on", Map.of("a", "b")).command("true").params(),
        "param 'on' must be a node name or a list of node names, not a map");
    assertRefused(AnExec.on("node-1").with("on", List.of("node-1", List.of(7)))
        .command("true").params(), "param 'on' must list node names; it holds");
    assertRefused(AnExec.on("node-1").with("on", List.of("node-1", List.of("node-2", "node-1")))
        .command("true").params(), "param 'on' names node node-1 twice");
  }

  @Test
  void theCommandMustBeANonEmptyListOfTexts() {
    assertRefused(AnExec.on("node-1").params(), "param 'command' is missing");
    assertRefused(AnExec.on("node-1").with("command", "systemctl stop kubelet").params(),
        "param 'command' must be a list");
    assertRefused(AnExec.on("node-1").command().params(), "param 'command' is empty");
    assertRefused(AnExec.on("node-1").command(List.of()).params(), "param 'command' is empty");
    assertRefused(AnExec.on("node-1").command("echo", Map.of("a", 1)).params(),
        "item 1 of param 'command' must be text (or a list of texts), not a map");
    assertRefused(AnExec.on("node-1").command("echo", List.of(List.of("x"))).params(),
        "item 1 of param 'command' must be text (or a list of texts), not a list");
    assertRefused(AnExec.on("node-1").command("sleep", 1.5).params(),
        "item 1 of param 'command' must be text (or a list of texts), not 1.5");
    assertRefused(AnExec.on("node-1").command("echo", "two\nlines").params(),
        "param 'command': argument 1 of the 'echo' command contains a line break");
    assertRefused(AnExec.on("node-1").command("", "x").params(),
        "param 'command': the program of a remote command is empty");
  }

  @Test
  void parallelIsTrueOrFalse() {
    assertRefused(AnExec.on("node-1").command("true").with("parallel", "yes").params(),
        "param 'parallel' must be true or false, not text");
    assertThat(exec.preview(AnExec.on("node-1", "node-2").command("true")
        .with("parallel", "false").params()).actions()).hasSize(2);
  }

  @Test
  void expectedStatusesAreWholeNumbersFrom0To255() {
    assertRefused(AnExec.on("node-1").command("true").expectExit(256).params(),
        "param 'expect_exit' holds 256; an exit status is between 0 and 255");
    assertRefused(AnExec.on("node-1").command("true").expectExit(-1).params(),
        "param 'expect_exit' holds -1");
    assertRefused(AnExec.on("node-1").command("true").expectExit("three").params(),
        "param 'expect_exit' must list exit statuses (whole numbers 0-255), not text");
    assertRefused(AnExec.on("node-1").command("true").expectExit().params(),
        "param 'expect_exit' names no exit status");
    assertThat(exec.preview(AnExec.on("node-1").command("true").expectExit(0L, "3").params())
        .actions()).containsExactly("node-1: true (exit 0 or 3 expected)");
  }

  @Test
  void aPreviewAsksNeitherTheClusterNorANode() {
    exec.preview(AnExec.on("node-1", "node-2").command("true").params());

    assertThat(server.getRequestCount()).isZero();
  }

  private void assertRefused(Map<String, Object> params, String message) {
    assertThatThrownBy(() -> exec.preview(params)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(message);
  }
}
