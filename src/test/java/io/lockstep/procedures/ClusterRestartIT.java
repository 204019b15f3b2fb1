package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.testing.LabNodeShell;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.ssh.NodeShell;
import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * P4 on the lab: the whole cluster stopped and started again, two users approving every phase.
 * While etcd is stopped the lab's API server answers 503, as a real one without quorum: the
 * console keeps serving its pages and says the API is away, the run goes on over SSH, and the
 * wait for the nodes waits for the API. The order of the unit stops and starts across the nodes
 * is read back from the audit trail.
 */
class ClusterRestartIT extends LabConsoleTest {

  static final List<String> NODES = List.of("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
  static final List<String> ETCD = List.of("node-1", "node-2", "node-3");
  static final Duration RUN = Duration.ofMinutes(4);

  private final int port;
  private final ConsoleClient console;
  private final ObjectMapper json;
  private final KubernetesClient client;
  private final LabNodeShell shell;

  @Autowired
  ClusterRestartIT(@Value("${local.server.port}") int port, ObjectMapper json, Kubernetes kubernetes, NodeShell shell) {
    this.port = port;
    this.console = new ConsoleClient(port);
    this.json = json;
    this.client = kubernetes.client();
    this.shell = new LabNodeShell(shell);
  }

  @Test
  void p4StopsTheWholeClusterInTheSeedsOrderAndStartsItInTheReverseOrder() {
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-cluster", "P4 whole cluster",
        "{\"nodes\":\"" + String.join(", ", NODES) + "\",\"etcd_nodes\":\"" + String.join(", ", ETCD) + "\"}");
    run.approveAll();
    run.untilWaitingAt(RUN, "stop-cluster.maintenance-done");

    // The cluster is down: units stopped everywhere, the API away. The console keeps working and says so.
    for (String node : NODES) {
      assertThat(ssh(node, 3, "systemctl", "is-active", "kubelet", "docker")).isEqualTo("inactive\ninactive\n");
    }
    for (String node : ETCD) {
      assertThat(ssh(node, 3, "systemctl", "is-active", "etcd")).isEqualTo("inactive\n");
    }
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
        !json.readTree(console.getAs("op1", PW, "/api/kubernetes/status").body()).get("up").asBoolean());
    assertThat(json.readTree(console.getAs("op1", PW, "/api/kubernetes/status").body()).get("reason").asText())
        .contains("no quorum");
    var page = console.getAs("op1", PW, "/runs/" + run.runId);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"api-down\"").contains("Kubernetes API unreachable");
    assertThat(run.details().get("warning").asText()).contains("Kubernetes API is down");
    try (Browser browser = new Browser("http://localhost:" + port)) {
      browser.logIn("ap1", PW);
      browser.open("/runs/" + run.runId);
      browser.waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id("api-down")));
      assertThat(browser.textOf(By.id("api-down"))).contains("Kubernetes API unreachable").contains("no quorum");
      assertThat(browser.textOf(By.cssSelector(".run-warning"))).contains("Make no other changes to the cluster");
      browser.screenshot("p4-api-down");
    }

    assertThat(run.until(RUN)).as(run.message()).isEqualTo("SUCCEEDED");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        json.readTree(console.getAs("op1", PW, "/api/kubernetes/status").body()).get("up").asBoolean());
    for (String node : NODES) {
      assertThat(client.nodes().withName(node).get().getStatus().getConditions()).as(node)
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      assertThat(ssh(node, 0, "systemctl", "is-active", "docker", "kubelet")).isEqualTo("active\nactive\n");
    }
    assertThat(ssh("node-3", 0, "etcdctl", "--endpoints=https://127.0.10.3:2379", "--cacert=/etc/ssl/etcd/ssl/ca.pem",
        "--cert=/etc/ssl/etcd/ssl/member-node-3.pem", "--key=/etc/ssl/etcd/ssl/member-node-3-key.pem",
        "endpoint", "health", "--cluster")).contains("https://127.0.10.1:2379 is healthy")
        .contains("https://127.0.10.2:2379 is healthy").contains("https://127.0.10.3:2379 is healthy");

    // The audit trail: every node's kubelet stopped before any etcd, every etcd before any docker;
    // started in the reverse order.
    List<String> actions = run.auditedActions();
    assertGroupsInOrder(actions, List.of(
        group("stop-cluster.stop-kubelet", NODES, "systemctl stop kubelet"),
        group("stop-cluster.stop-etcd", ETCD, "systemctl stop etcd"),
        group("stop-cluster.stop-docker", NODES, "systemctl stop docker"),
        group("start-cluster.start-docker", NODES, "systemctl start docker"),
        group("start-cluster.start-etcd", ETCD, "systemctl start etcd"),
        group("start-cluster.start-kubelet", NODES, "systemctl start kubelet")));
  }

  /**
   * P4 aborted with the whole cluster down (every node NotReady, kubelet, etcd and docker stopped):
   * the run page and the API say what is down, the dashboard keeps the run in sight, and the
   * procedure's way back starts the cluster in the right order, audited; then a new P4 passes its
   * preconditions again.
   */
  @Test
  void p4AbortedWithTheClusterDownIsBroughtBackByItsWayBack() {
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-cluster", "P4 aborted",
        "{\"nodes\":\"" + String.join(", ", NODES) + "\",\"etcd_nodes\":\"" + String.join(", ", ETCD) + "\"}");
    run.approveAll();
    run.untilWaitingAt(RUN, "stop-cluster.maintenance-done");
    var abort = console.postAs("op1", PW, "/api/runs/" + run.runId + "/abort", "{\"reason\":\"power is back early\"}");
    assertThat(abort.statusCode()).as(abort.body()).isEqualTo(200);

    await().atMost(Duration.ofMinutes(2)).until(() -> {
      JsonNode r = recovery(run);
      return r != null && !r.get("unchecked").asBoolean() && r.get("checks").size() == 3;
    });
    JsonNode back = recovery(run);
    assertThat(back.get("down").asBoolean()).isTrue();
    List<String> found = new ArrayList<>();
    back.get("checks").forEach(c -> found.add(c.get("found").asText()));
    assertThat(String.join("\n", found)).contains("docker is inactive on node-1").contains("kubelet is inactive on node-1")
        .contains("etcd is inactive on node-1");
    assertThat(console.getAs("op1", PW, "/runs/" + run.runId).body()).contains("run-recovery")
        .contains("data-action=\"start-cluster\"");
    assertThat(console.getAs("op1", PW, "/").body()).contains("recovery-run\" data-run=\"" + run.runId + "\"");

    // op2 brings it back from the run page, in Chromium: what is down, the button, and then nothing down.
    try (Browser browser = new Browser("http://localhost:" + port)) {
      browser.logIn("op2", PW);
      browser.open("/runs/" + run.runId);
      browser.waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector(".run-recovery .recovery-down")));
      assertThat(browser.textOf(By.cssSelector(".run-recovery"))).contains("docker is inactive on node-1")
          .contains("Start the cluster again");
      browser.screenshot("p4-way-back");
      browser.driver().findElement(By.cssSelector("button.run-action[data-action='start-cluster']")).click();
      browser.waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent()).accept();
      browser.waitUpTo(Duration.ofMinutes(4)).until(ExpectedConditions.visibilityOfElementLocated(
          By.cssSelector(".run-recovery .recovery-up")));
      assertThat(browser.driver().findElements(By.cssSelector(".run-recovery .recovery-down"))).isEmpty();
      assertThat(browser.driver().findElements(By.cssSelector(".run-error"))).isEmpty();
    }
    for (String node : NODES) {
      assertThat(client.nodes().withName(node).get().getStatus().getConditions()).as(node)
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      assertThat(ssh(node, 0, "systemctl", "is-active", "docker", "kubelet")).isEqualTo("active\nactive\n");
    }
    for (String node : ETCD) {
      assertThat(ssh(node, 0, "systemctl", "is-active", "etcd")).isEqualTo("active\n");
    }
    assertThat(recovery(run).get("down").asBoolean()).as(recovery(run).toString()).isFalse();
    assertThat(console.getAs("op1", PW, "/").body()).doesNotContain("recovery-run\" data-run=\"" + run.runId + "\"");
    assertThat(run.state()).isEqualTo("ABORTED");
    List<String> actions = run.auditedActions();
    assertGroupsInOrder(actions, List.of(
        group("actions.start-cluster.start-docker", NODES, "systemctl start docker"),
        group("actions.start-cluster.start-etcd", ETCD, "systemctl start etcd"),
        group("actions.start-cluster.start-kubelet", NODES, "systemctl start kubelet")));

    // A new P4 is no longer refused by its own preconditions.
    ProcedureRun again = ProcedureRun.plan(console, json, "restart-cluster", "P4 again",
        "{\"nodes\":\"" + String.join(", ", NODES) + "\",\"etcd_nodes\":\"" + String.join(", ", ETCD) + "\"}");
    again.approveUpTo("preconditions");
    again.until(RUN, () -> again.state().equals("AWAITING_APPROVAL")
        && again.details().get("run").get("phaseId").asText().equals("stop-cluster"), "the preconditions to pass");
    again.abort();
  }

  /**
   * Issue 13: P4 takes the whole cluster. A plan with 5 of the 6 nodes and 2 of the 3 etcd members
   * is refused when saved, each field named with what it leaves out, and nothing is stored; the
   * same lists with a reason are taken, and the stop phase's preview names what keeps running.
   */
  @Test
  void aPartialClusterIsRefusedAtPlanTimeUnlessThePlanSaysWhy() {
    int before = json.readTree(console.getAs("op1", PW, "/api/plans").body()).size();
    String partial = "\"nodes\":\"node-1, node-2, node-3, node-4, node-5\",\"etcd_nodes\":\"node-1, node-2\"";
    var refused = console.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"restart-cluster\",\"title\":\"P4 partial\",\"values\":{" + partial + "}}");
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    JsonNode errors = json.readTree(refused.body()).get("errors");
    List<String> fields = new ArrayList<>();
    errors.forEach(e -> fields.add(e.get("parameter").asText()));
    assertThat(fields).containsExactly("etcd_nodes", "nodes");
    assertThat(errors.get(0).get("pointer").asText()).isEqualTo("#/values/etcd_nodes");
    assertThat(errors.get(0).get("detail").asText()).startsWith("etcd_nodes leaves out 1 of the 3 etcd members: node-3");
    assertThat(errors.get(1).get("detail").asText()).startsWith("nodes leaves out 1 of the cluster's 6 nodes: node-6")
        .contains("partial_reason");
    assertThat(json.readTree(console.getAs("op1", PW, "/api/plans").body()).size()).as("nothing stored").isEqualTo(before);

    var taken = console.postAs("op1", PW, "/api/plans", "{\"procedure\":\"restart-cluster\",\"title\":\"P4 partial\","
        + "\"values\":{" + partial + ",\"partial_reason\":\"node-6 and node-3 are on the other power feed\"}}");
    assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
    // the stop phase's preview names what keeps running
    ProcedureRun run = ProcedureRun.request(console, json, json.readTree(taken.body()).get("id").asText());
    try {
      String preview = console.getAs("op1", PW, "/api/runs/" + run.runId + "/phases/stop-cluster/preview").body();
      assertThat(preview).contains("keeps running while the rest stops: nodes node-6 (kubelet, docker) and the etcd"
          + " members on node-3").contains("node-6 and node-3 are on the other power feed");
    } finally {
      run.abort();
    }
  }

  private JsonNode recovery(ProcedureRun run) {
    for (JsonNode r : run.details().get("recovery")) {
      if (r.get("action").asText().equals("start-cluster")) {
        return r;
      }
    }
    return null;
  }

  private static List<String> group(String step, List<String> nodes, String command) {
    return nodes.stream().map(n -> step + " " + n + ": " + command).toList();
  }

  /** Each group's actions all happened, and every one of a group before any of the next group. */
  private static void assertGroupsInOrder(List<String> actions, List<List<String>> groups) {
    int previousLast = -1;
    for (List<String> group : groups) {
      List<Integer> at = new ArrayList<>();
      for (String action : group) {
        assertThat(actions).as("audited").contains(action);
        at.add(actions.indexOf(action));
      }
      int first = at.stream().mapToInt(Integer::intValue).min().orElseThrow();
      assertThat(first).as(group.get(0) + " … after the previous group's last action").isGreaterThan(previousLast);
      previousLast = at.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
  }

  private static final String PW = ProcedureRun.PW;

  private String ssh(String node, int status, String... argv) {
    return shell.run(node, status, argv);
  }

}
