package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.lab.LabPlatform;
import io.lockstep.lab.vmcluster.VmClusterLab;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * Issue 11, "fail before downtime, not during": runs whose plan carries a credential the platform
 * refuses, every phase approved in advance by ap1, stop in their first phase, before anything
 * stops — P1 with a wrong root password (which proton-cli apply would have met in phase 7, after
 * the applications were stopped), P5 with a wrong BMC password (met when the islet workers were to
 * be powered off) — and the secret is found nowhere the console answers. Also P6 with a plan the
 * MySQL cluster cannot take, refused before anything is exported.
 */
class PreflightIT extends LabConsoleTest {

  static final String PW = ProcedureRun.PW;
  static final Duration RUN = Duration.ofMinutes(4);
  static final String WRONG_ROOT = "Wr0ng-r00t-Passw0rd";
  static final String WRONG_BMC = "Wr0ng-bmc-Passw0rd";

  private final ConsoleClient console;
  private final ObjectMapper json;
  private final KubernetesClient client;
  private final NodeShell shell;
  private final VmClusterLab vms;

  @Autowired
  PreflightIT(@Value("${local.server.port}") int port, ObjectMapper json, Kubernetes kubernetes, NodeShell shell,
      LabPlatform platform) {
    this.console = new ConsoleClient(port);
    this.json = json;
    this.client = kubernetes.client();
    this.shell = shell;
    this.vms = platform.vmCluster().orElseThrow();
  }

  @BeforeEach
  @AfterEach
  void freshLab() {
    MigrationPlans.resetLab(console);
  }

  @Test
  void p1WithAWrongRootPasswordFailsInItsFirstPhaseAndNoApplicationStops() {
    Map<String, Integer> before = appReplicas();
    String planId = MigrationPlans.retireOldMasters(console, "P1 wrong password", Map.of("ssh_password", WRONG_ROOT));
    ProcedureRun run = ProcedureRun.request(console, json, planId);
    String preview = console.getAs("ap1", PW, "/api/runs/" + run.runId + "/phases/prepare/preview").body();
    run.approveAll();
    try {
      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");

      assertThat(run.stepState("prepare.conf-add-nodes")).isEqualTo("FAILED");
      assertThat(run.message()).contains("the root password of the plan was refused by node-1 (127.0.10.1:"
          + sshPort() + ")").contains("node-4 (127.0.10.4:" + sshPort() + ")")
          .contains("proton-cli apply -p would fail there the same way");
      JsonNode details = run.details();
      for (JsonNode phase : details.get("phases")) {
        if (!phase.get("id").asText().equals("prepare")) {
          // prewarm is off in this plan (its default): skipped by plan from the request on
          assertThat(phase.get("state").asText()).as(phase.get("id").asText())
              .isEqualTo(phase.get("id").asText().equals("prewarm") ? "SKIPPED" : "PENDING");
        }
      }
      assertThat(run.stepState("stop-apps.scale-down")).isEqualTo("PENDING");
      // no application stopped, read through the Kubernetes API
      assertThat(before).as("applications running before").containsEntry("Deployment/deploy-service", 2);
      assertThat(appReplicas()).isEqualTo(before);
      for (DaemonSet ds : client.apps().daemonSets().inNamespace("anyshare").list().getItems()) {
        Map<String, String> selector = ds.getSpec().getTemplate().getSpec().getNodeSelector();
        assertThat(selector == null ? Map.of() : selector).as(ds.getMetadata().getName())
            .doesNotContainKey("stop-by-admin");
      }
      assertThat(run.undoRecordKeys()).as("nothing recorded, nothing changed").isEmpty();
      // the password is nowhere the console answers
      String everything = String.join("\n", preview, details.toString(),
          console.getAs("op1", PW, "/runs/" + run.runId + "/log.txt").body(),
          console.getAs("op1", PW, "/api/audit?run=" + run.runId + "&size=500").body(),
          console.getAs("op1", PW, "/api/plans/" + planId).body(),
          console.getAs("ap1", PW, "/api/runs/" + run.runId + "/phases/prepare/preview").body());
      assertThat(everything).contains("prepare.conf-add-nodes").doesNotContain(WRONG_ROOT)
          .doesNotContain("lab-root-secret");
      assertThat(preview).contains("log in as root with the plan's password (never shown)");
    } finally {
      run.abort();
    }
  }

  @Test
  void p5WithAWrongBmcPasswordFailsInItsFirstPhaseAndNoVmStops() {
    shell.exec(shell.target("bastion", "127.0.20.10"), RemoteCommand.of("tee", "/root/.ipmi/wrong"),
        Duration.ofSeconds(30), (WRONG_BMC + "\n").getBytes(StandardCharsets.UTF_8), OutputListener.IGNORE);
    Map<String, String> vmsBefore = vms.vmStates();
    ProcedureRun run = ProcedureRun.plan(console, json, "restart-vm-cluster", "P5 wrong BMC password",
        VmClusterRestartIT.values(Map.of("ipmi_password_file", "/root/.ipmi/wrong")));
    run.approveAll();
    try {
      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");

      assertThat(run.stepState("preconditions.bmc-credentials")).isEqualTo("FAILED");
      assertThat(run.message()).contains("ipmitool chassis power status failed for 7 of 7 hosts: top1 (BMC top1-bmc,"
          + " user admin, password file /root/.ipmi/wrong on bastion): exit 1: Error: Unable to establish IPMI v2 /"
          + " RMCP+ session");
      assertThat(run.stepState("stop-vms.record")).isEqualTo("PENDING");
      assertThat(vms.vmStates()).isEqualTo(vmsBefore);
      for (String host : List.of("top1", "top2", "top3", "worker1", "worker2", "iw1", "iw2")) {
        assertThat(vms.power(host)).as(host).isEqualTo("on");
      }
      String everything = run.details().toString() + console.getAs("op1", PW, "/runs/" + run.runId + "/log.txt").body()
          + console.getAs("op1", PW, "/api/audit?run=" + run.runId + "&size=500").body();
      assertThat(everything).doesNotContain(WRONG_BMC).doesNotContain("lab-ipmi-secret");
    } finally {
      run.abort();
    }
  }

  @Test
  void p6WithMoreReplicasThanTheClusterHasIsRefusedBeforeAnythingIsExported() {
    ProcedureRun run = ProcedureRun.plan(console, json, "move-mysql-kosmos", "P6 three replicas",
        "{\"replicas\":\"node-4, member-1, member-2\"}");
    run.approveAll();
    try {
      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");

      assertThat(run.stepState("export.check")).isEqualTo("FAILED");
      assertThat(run.message()).contains("MysqlCluster mysql/mysql has 2 replicas, the plan places 3")
          .endsWith("nothing was changed");
      assertThat(run.stepState("export.export")).isEqualTo("PENDING");
      assertThat(client.genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceExport")
          .inNamespace("mysql").withName("mysql-mysql-master").get()).as("nothing exported").isNull();
    } finally {
      run.abort();
    }
  }

  private Map<String, Integer> appReplicas() {
    Map<String, Integer> replicas = new TreeMap<>();
    client.apps().deployments().inNamespace("anyshare").list().getItems()
        .forEach(d -> replicas.put("Deployment/" + d.getMetadata().getName(), d.getSpec().getReplicas()));
    client.apps().statefulSets().inNamespace("anyshare").list().getItems()
        .forEach(s -> replicas.put("StatefulSet/" + s.getMetadata().getName(), s.getSpec().getReplicas()));
    return replicas;
  }
}
