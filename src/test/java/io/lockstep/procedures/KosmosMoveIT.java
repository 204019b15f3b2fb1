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
 * there through each cluster's own API; the database answering a real query (MariaDB behind the
 * lab's MySQL operator) through the Service each receiving member imports; a later plan removing
 * the import it no longer needs, recorded; and the refusal to move a replica into a member that
 * does not import the primary's Service.
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

  /** Three rows in a table of the cluster's database, written straight to MariaDB: the query must find them there. */
  static void threeOrders() throws java.sql.SQLException {
    try (var c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/", "root", "");
        var sql = c.createStatement()) {
      sql.execute("CREATE DATABASE IF NOT EXISTS lab_mysql_mysql");
      sql.execute("CREATE TABLE IF NOT EXISTS lab_mysql_mysql.orders (id INT PRIMARY KEY)");
      sql.execute("DELETE FROM lab_mysql_mysql.orders");
      sql.execute("INSERT INTO lab_mysql_mysql.orders VALUES (1), (2), (3)");
    }
  }

  @Test
  void oneReplicaStaysInTheHostAndOneMovesToAMemberAndTheDatabaseAnswersThere() throws Exception {
    threeOrders();
    ProcedureRun run = ProcedureRun.plan(console, json, "move-mysql-kosmos", "P6 host + member-1",
        "{\"replicas\":\"node-4, member-1\",\"query\":\"SELECT COUNT(*) FROM orders\"}");
    String preview = console.getAs("ap1", ProcedureRun.PW, "/api/runs/" + run.runId + "/phases/move/preview").body();
    assertThat(preview).as("node-4 is listed first, which chooses nothing: the preview says so")
        .contains("placement is per place, not per replica").contains("ordinal 0 is the primary")
        .contains("kubectl exec -c mysql -- mysql --host=mysql-mysql-master");
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

    // the log names where each ordinal went (the scheduler's choice, whatever the order of the list)
    String log = console.getAs("op1", ProcedureRun.PW, "/runs/" + run.runId + "/log.txt").body();
    Pod stayed = pods.stream().filter(pod -> pod.getSpec().getNodeName().equals("node-4")).findFirst().orElseThrow();
    assertThat(log).contains(stayed.getMetadata().getName() + " on node-4")
        .contains(moved.getMetadata().getName() + " in member-1 on " + inMember.getSpec().getNodeName());

    // the real query, through the Service member-1 imports, from the replica's own container
    assertThat(run.stepState("move.answers")).isEqualTo("SUCCEEDED");
    assertThat(run.step("move.answers").get("summary").asText())
        .contains("member-1 (from " + moved.getMetadata().getName() + "): 3");
    assertThat(log).contains("member-1: mysql-mysql-master:3306 answered 'SELECT COUNT(*) FROM orders' (from "
        + moved.getMetadata().getName() + "): 3");
    assertThat(run.auditedActions()).anySatisfy(a -> assertThat(a).startsWith("move.answers member-1: kubectl exec -n mysql "
        + moved.getMetadata().getName() + " -c mysql -- mysql --host=mysql-mysql-master --port=3306")
        .contains("(the password is the container's MYSQL_ROOT_PASSWORD)"));
    assertThat(audited(run, "STEP_SUCCEEDED")).anySatisfy(a -> assertThat(a).startsWith("move.answers succeeded")
        .contains("'SELECT COUNT(*) FROM orders' → member-1 (from " + moved.getMetadata().getName() + "): 3"));
    assertThat(log + audited(run, null)).doesNotContain("Mysql-R00t-Pa55");
  }

  @Test
  void aLaterPlanThatMovesTheReplicasElsewhereRemovesTheImportItNoLongerNeedsRecordedFirst() {
    ProcedureRun first = ProcedureRun.plan(console, json, "move-mysql-kosmos", "P6 host + member-1",
        "{\"replicas\":\"node-4, member-1\"}");
    first.approveAll();
    assertThat(first.until(RUN)).as(first.message()).isEqualTo("SUCCEEDED");
    assertThat(serviceImport("member-1")).isNotNull();

    ProcedureRun second = ProcedureRun.plan(console, json, "move-mysql-kosmos", "P6 both in member-2",
        "{\"replicas\":\"member-2, member-2\"}");
    second.approveAll();
    assertThat(second.until(RUN)).as(second.message()).isEqualTo("SUCCEEDED");

    assertThat(serviceImport("member-1")).as("no replica goes to member-1 any more").isNull();
    assertThat(members.client("member-1").pods().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(serviceImport("member-2")).isNotNull();
    assertThat(second.step("move.stale-imports").get("summary").asText())
        .isEqualTo("removed the stale ServiceImport mysql/mysql-mysql-master from member-1 (recorded first)");
    String key = "kosmos/removed/ServiceImport/member-1/mysql/mysql-mysql-master";
    assertThat(second.undoRecordKeys()).contains(key);
    for (var record : second.details().get("undo")) {
      if (record.get("key").asText().equals(key)) {
        assertThat(record.toString()).contains("ServiceImport").contains("ClusterSetIP").contains("3306");
      }
    }
    assertThat(second.auditedActions()).contains(
        "move.stale-imports member-1: delete ServiceImport mysql/mysql-mysql-master (no replica goes to member-1)");
    assertThat(second.step("move.answers").get("summary").asText()).contains("member-2 (from mysql-mysql-0)");
  }

  private io.fabric8.kubernetes.api.model.GenericKubernetesResource serviceImport(String member) {
    return members.client(member).genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceImport")
        .inNamespace(NS).withName("mysql-mysql-master").get();
  }

  /** The run's audit summaries of one type (null: all), oldest first. */
  private java.util.List<String> audited(ProcedureRun run, String type) {
    var page = json.readTree(console.getAs("op1", ProcedureRun.PW, "/api/audit?run=" + run.runId
        + (type == null ? "" : "&type=" + type) + "&order=oldest&size=500").body());
    java.util.List<String> summaries = new java.util.ArrayList<>();
    page.get("entries").forEach(e -> summaries.add(e.get("summary").asText() + " " + e.get("details")));
    return summaries;
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
