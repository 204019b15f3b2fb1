package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.testing.LabNodeShell;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.ssh.NodeShell;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * P1 aborted deep in its downtime — applications stopped, new nodes added, both Secrets rewritten,
 * the components uninstalled, the host services stopped on every node (the lab's API is down then,
 * as a real one is without its masters' runtimes) — and brought back by its recovery actions, as an
 * operator and an approver would on a bad night: the run page and the API say what is down, a way
 * back that cannot work yet answers an error instead of 200, and the actions in their order bring
 * the platform back to how it was before the run, checked through the Kubernetes API and over
 * SSH. Every action is audited; the run stays ABORTED, and the dashboard lists it until nothing is
 * down.
 */
class ProtonMigrationAbortIT extends LabConsoleTest {

  static final String PW = ProcedureRun.PW;
  static final List<String> NODES = List.of("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
  static final Duration WAIT = Duration.ofMinutes(4);

  private final ConsoleClient console;
  private final ObjectMapper json;
  private final KubernetesClient client;
  private final LabNodeShell shell;

  @Autowired
  ProtonMigrationAbortIT(@Value("${local.server.port}") int port, ObjectMapper json, Kubernetes kubernetes,
      NodeShell shell) {
    this.console = new ConsoleClient(port);
    this.json = json;
    this.client = kubernetes.client();
    this.shell = new LabNodeShell(shell);
  }

  @BeforeEach
  void freshLab() {
    MigrationPlans.resetLab(console);
  }

  @AfterEach
  void labForTheOthers() {
    MigrationPlans.resetLab(console);
  }

  @Test
  void abortedWithTheHostServicesStoppedTheRecoveryActionsBringThePlatformBack() {
    await().atMost(WAIT).until(() -> componentNodes().values().stream().flatMap(List::stream)
        .noneMatch(n -> n.equals("missing") || n.endsWith("(not ready)"))); // the lab settled after its reset
    Map<String, Integer> replicas = appReplicas();
    Map<String, List<String>> components = componentNodes();
    String planId = MigrationPlans.retireOldMasters(console, "P1 aborted in downtime");
    ProcedureRun run = ProcedureRun.request(console, json, planId);
    run.approveUpTo("add-nodes");
    run.until(WAIT, () -> run.state().equals("AWAITING_APPROVAL")
        && run.details().get("run").get("phaseId").asText().equals("rewrite-secrets"), "phase 7 to end");
    Map<String, String> secrets = secrets(); // as the rewrite finds them: phase 7 recorded the new nodes in one
    run.approveUpTo("stop-host-services");
    run.until(WAIT, () -> run.state().equals("AWAITING_APPROVAL")
        && run.details().get("run").get("phaseId").asText().equals("final-copy"), "phase 10 to end");
    HttpResponse<String> aborted = console.postAs("op1", PW, "/api/runs/" + run.runId + "/abort",
        "{\"reason\":\"the change window was cancelled\"}");
    assertThat(aborted.statusCode()).as(aborted.body()).isEqualTo(200);

    // What is down, said plainly: the recovery checks look after the stop.
    await().atMost(Duration.ofMinutes(2)).until(() -> recovery(run).size() == 4
        && recovery(run).values().stream().noneMatch(r -> r.get("unchecked").asBoolean()));
    Map<String, JsonNode> down = recovery(run);
    assertThat(down.keySet()).containsExactly("start-host-services", "restore-secrets", "reinstall-components",
        "start-apps");
    assertThat(found(down.get("start-host-services"))).contains("docker is inactive on node-1");
    assertThat(found(down.get("restore-secrets"))).as("the API is down: the check cannot look, and says so")
        .contains("cannot read Secret").contains("503");
    assertThat(down.values()).allMatch(r -> r.get("down").asBoolean());
    assertThat(down.get("reinstall-components").get("approver").asBoolean()).isTrue();
    assertThat(console.getAs("op1", PW, "/runs/" + run.runId).body()).contains("run-recovery")
        .contains("docker is inactive on node-1").contains("data-action=\"start-host-services\"");
    String dashboard = console.getAs("viewer", PW, "/").body();
    assertThat(dashboard).as("an aborted run is never shown as if the platform were healthy")
        .contains("needs-recovery").contains("recovery-run\" data-run=\"" + run.runId + "\"");

    // The Secrets cannot be put back while the API is down: an error, not a silent 200.
    HttpResponse<String> tooEarly = action(run, "op2", "restore-secrets");
    assertThat(tooEarly.statusCode()).as(tooEarly.body()).isEqualTo(502);
    assertThat(json.readTree(tooEarly.body()).get("detail").asText()).contains("restore-secrets").contains("failed");

    assertOk(action(run, "op2", "start-host-services"));
    for (String node : NODES) {
      assertThat(shell.run(node, 0, "systemctl", "is-active", "docker", "kubelet")).isEqualTo("active\nactive\n");
    }
    assertThat(found(recovery(run).get("restore-secrets"))).as("with the API back the check sees the rewrite")
        .contains("is not as it was before the rewrite");
    assertOk(action(run, "op2", "restore-secrets"));
    assertThat(secrets()).as("both Secrets exactly as before the rewrite").isEqualTo(secrets);

    HttpResponse<String> notAnApprover = action(run, "op2", "reinstall-components");
    assertThat(notAnApprover.statusCode()).as(notAnApprover.body()).isEqualTo(403);
    assertOk(action(run, "ap1", "reinstall-components"));
    assertThat(componentNodes()).as("the components back on the nodes they ran on").isEqualTo(components);

    assertOk(action(run, "op1", "start-apps"));
    assertThat(appReplicas()).isEqualTo(replicas);
    for (DaemonSet ds : client.apps().daemonSets().inNamespace("anyshare").list().getItems()) {
      Map<String, String> selector = ds.getSpec().getTemplate().getSpec().getNodeSelector();
      assertThat(selector == null ? Map.of() : selector).as(ds.getMetadata().getName()).doesNotContainKey("stop-by-admin");
    }

    // Nothing is down any more; the run is still what it was: aborted.
    assertThat(recovery(run).values()).allSatisfy(r -> assertThat(r.get("down").asBoolean()).as(r.toString()).isFalse());
    assertThat(console.getAs("viewer", PW, "/").body()).doesNotContain("recovery-run\" data-run=\"" + run.runId + "\"");
    assertThat(run.state()).isEqualTo("ABORTED");
    List<String> types = auditTypes(run);
    assertThat(types).containsSubsequence("RUN_ABORTED", "RECOVERY_CHECKED", "ACTION_REQUESTED", "ACTION_FAILED",
        "ACTION_REQUESTED", "ACTION_SUCCEEDED", "ACTION_REQUESTED", "ACTION_SUCCEEDED", "ACTION_REQUESTED",
        "ACTION_SUCCEEDED", "ACTION_REQUESTED", "ACTION_SUCCEEDED");
    assertThat(run.details().get("actions")).hasSize(5);
  }

  private HttpResponse<String> action(ProcedureRun run, String user, String action) {
    return console.postAs(user, PW, "/api/runs/" + run.runId + "/actions/" + action, "{}");
  }

  private void assertOk(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
  }

  /** The run's recovery actions by id, as the API shows them. */
  private Map<String, JsonNode> recovery(ProcedureRun run) {
    Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
    run.details().get("recovery").forEach(r -> found.put(r.get("action").asText(), r));
    return found;
  }

  private static String found(JsonNode recovery) {
    List<String> lines = new ArrayList<>();
    recovery.get("checks").forEach(c -> lines.add(c.get("found").asText()));
    return String.join("\n", lines);
  }

  private List<String> auditTypes(ProcedureRun run) {
    JsonNode page = json.readTree(console.getAs("op1", PW, "/api/audit?run=" + run.runId
        + "&order=newest&size=500").body()); // the newest 500: a P1 run has more, the way back is at the end
    List<String> types = new ArrayList<>();
    page.get("entries").forEach(e -> types.add(0, e.get("type").asText()));
    return types;
  }

  private Map<String, Integer> appReplicas() {
    Map<String, Integer> found = new TreeMap<>();
    client.apps().deployments().inNamespace("anyshare").list().getItems()
        .forEach(d -> found.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getReplicas()));
    client.apps().statefulSets().inNamespace("anyshare").list().getItems()
        .forEach(s -> found.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getReplicas()));
    return found;
  }

  private Map<String, String> secrets() {
    Map<String, String> data = new TreeMap<>();
    for (Secret secret : client.secrets().inAnyNamespace().list().getItems()) {
      String name = secret.getMetadata().getName();
      if (List.of("persist-component-manage-components", "proton-cli-config").contains(name)
          && secret.getData() != null) {
        secret.getData().forEach((key, value) -> data.put(name + "/" + key, value));
      }
    }
    return data;
  }

  /** Each component StatefulSet of namespace resource with the nodes of its Ready pods, by ordinal. */
  private Map<String, List<String>> componentNodes() {
    Map<String, List<String>> found = new TreeMap<>();
    for (StatefulSet sts : client.apps().statefulSets().inNamespace("resource").list().getItems()) {
      String name = sts.getMetadata().getName();
      List<String> nodes = new ArrayList<>();
      for (int ordinal = 0; ordinal < sts.getSpec().getReplicas(); ordinal++) {
        Pod pod = client.pods().inNamespace("resource").withName(name + "-" + ordinal).get();
        nodes.add(pod == null ? "missing" : pod.getSpec().getNodeName() + (ready(pod) ? "" : " (not ready)"));
      }
      found.put(name, nodes);
    }
    return found;
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
