package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.ObjectMapper;

/**
 * P6 on the lab's host cluster and its two Kosmos members (config/lab/kosmos.yml): the MySQL
 * cluster's replicas moved where the plan says with two users approving every phase, then found
 * there through each cluster's own API; and the refusal to move a replica into a member that does
 * not import the primary's Service.
 */
class KosmosMoveIT extends LabConsoleTest {

  static final Duration RUN = Duration.ofMinutes(4);
  static final String NS = "mysql";

  private final ConsoleClient console;
  private final ObjectMapper json;
  private final KubernetesClient host;
  private final MemberClusters members;

  @Autowired
  KosmosMoveIT(@Value("${local.server.port}") int port, ObjectMapper json, Kubernetes kubernetes, MemberClusters members) {
    this.console = new ConsoleClient(port);
    this.json = json;
    this.host = kubernetes.client();
    this.members = members;
  }

  @BeforeEach
  @AfterEach
  void freshLab() {
    MigrationPlans.resetLab(console);
  }

  @Test
  void oneReplicaStaysInTheHostAndOneMovesToAMember() {
    ProcedureRun run = ProcedureRun.plan(console, json, "move-mysql-kosmos", "P6 host + member-1",
        "{\"replicas\":\"node-4, member-1\"}");
    run.approveAll();
    assertThat(run.until(RUN)).as(run.message()).isEqualTo("SUCCEEDED");

    // One pod spec serves both replicas: which ordinal takes which planned place is the scheduler's.
    java.util.List<Pod> pods = host.pods().inNamespace(NS).withLabel("mysql.presslabs.org/cluster", "mysql").list()
        .getItems();
    assertThat(pods).extracting(pod -> pod.getSpec().getNodeName()).containsExactlyInAnyOrder("node-4", "kosmos-member-1");
    assertThat(pods).allMatch(KosmosMoveIT::ready);
    Pod moved = pods.stream().filter(pod -> pod.getSpec().getNodeName().equals("kosmos-member-1")).findFirst().orElseThrow();
    Pod inMember = members.client("member-1").pods().inNamespace(NS).withName(moved.getMetadata().getName()).get();
    assertThat(inMember.getSpec().getNodeName()).startsWith("m1-node-");
    assertThat(ready(inMember)).as("the replica reaches its primary through the imported Service").isTrue();
    assertThat(members.client("member-2").pods().inNamespace(NS).list().getItems()).isEmpty();

    assertThat(host.genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceExport").inNamespace(NS)
        .withName("mysql-mysql-master").get()).isNotNull();
    var imported = members.client("member-1").genericKubernetesResources("multicluster.x-k8s.io/v1alpha1",
        "ServiceImport").inNamespace(NS).withName("mysql-mysql-master").get();
    assertThat(imported.getAdditionalProperties().get("spec").toString()).contains("ClusterSetIP").contains("3306");
    assertThat(run.undoRecordKeys()).contains("kosmos/podSpec/mysql/mysql");
  }

  @Test
  void bothReplicasMoveIntoOneMember() {
    ProcedureRun run = ProcedureRun.plan(console, json, "move-mysql-kosmos", "P6 both in member-2",
        "{\"replicas\":\"member-2, member-2\"}");
    run.approveAll();
    assertThat(run.until(RUN)).as(run.message()).isEqualTo("SUCCEEDED");

    for (String pod : new String[] {"mysql-mysql-0", "mysql-mysql-1"}) {
      assertThat(host.pods().inNamespace(NS).withName(pod).get().getSpec().getNodeName()).isEqualTo("kosmos-member-2");
      Pod inMember = members.client("member-2").pods().inNamespace(NS).withName(pod).get();
      assertThat(inMember.getSpec().getNodeName()).startsWith("m2-node-");
      assertThat(ready(inMember)).as(pod).isTrue();
    }
  }

  @Test
  void aServiceNotExportedToTheMemberIsRefusedBeforeAnyReplicaMoves() {
    ProcedureRun run = ProcedureRun.plan(console, json, "move-mysql-kosmos", "P6 import removed",
        "{\"replicas\":\"node-4, member-1\"}");
    run.approveUpTo("export");
    try {
      run.until(RUN, () -> "SUCCEEDED".equals(run.stepState("export.export"))
          && "AWAITING_APPROVAL".equals(run.state()), "the export phase to end");
      // Someone removes the export (and with it Kosmos' import) between the phases.
      host.genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceExport")
          .inNamespace(NS).withName("mysql-mysql-master").delete();
      members.client("member-1").genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceImport")
          .inNamespace(NS).withName("mysql-mysql-master").delete();
      run.approveAll();

      assertThat(run.until(RUN)).as(run.message()).isEqualTo("FAILED");
      assertThat(run.stepState("move.service-exported")).isEqualTo("FAILED");
      assertThat(run.message()).contains("Service mysql/mysql-mysql-master is not exported from the host cluster"
          + " (no ServiceExport)").contains("Service mysql/mysql-mysql-master is not imported in member-1 (no ServiceImport)");
      assertThat(run.stepState("move.place")).isEqualTo("PENDING");
      assertThat(host.pods().inNamespace(NS).withLabel("mysql.presslabs.org/cluster", "mysql").list().getItems())
          .as("no replica moved").extracting(pod -> pod.getSpec().getNodeName())
          .containsExactlyInAnyOrder("node-4", "node-5");
    } finally {
      run.abort();
    }
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
