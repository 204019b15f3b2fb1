package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
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
