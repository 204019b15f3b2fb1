package io.lockstep.kosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import io.lockstep.lab.kube.LabKube;
import io.lockstep.run.StepFailedException;
import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kosmos.remove-stale-imports} and its way back {@code kosmos.restore-imports} against the
 * lab's member clusters (their own API servers): the import a plan no longer needs is recorded,
 * removed, and created again from the record; a member still running a replica keeps its import.
 */
class KosmosImportsOnTheLabTest {

  static final Duration STEP = Duration.ofMinutes(1);
  static final String NS = "mysql";

  @TempDir static Path state;
  static LabKube lab;
  static MemberClusters members;

  @BeforeAll
  static void start() throws Exception {
    LabSeed seed;
    try (InputStream in = Files.newInputStream(Path.of("config/lab/platform.yml"))) {
      seed = LabSeed.read(in);
    }
    lab = new LabKube(seed, new LabProperties(state, "config/lab/platform.yml", 0, 0, Duration.ofMillis(100),
        Duration.ofMillis(300), "rsync", "ssh", "file:config/lab/kosmos.yml"));
    lab.start();
    members = mock(MemberClusters.class);
    when(members.names()).thenReturn(new TreeSet<>(lab.memberClusters()));
    for (String member : lab.memberClusters()) {
      when(members.client(member)).thenReturn(lab.memberClient(member));
    }
  }

  @AfterAll
  static void stop() {
    lab.stop();
  }

  static Map<String, Object> plan(String... replicas) {
    return Map.of("namespace", NS, "name", "mysql", "replicas", List.of(replicas));
  }

  static GenericKubernetesResource imported(String member) {
    return lab.memberClient(member).genericKubernetesResources(MysqlClusters.MCS_API, "ServiceImport").inNamespace(NS)
        .withName("mysql-mysql-master").get();
  }

  static void importInto(String member) {
    if (imported(member) != null) {
      return;
    }
    KubernetesClient client = lab.memberClient(member);
    if (client.namespaces().withName(NS).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }
    client.genericKubernetesResources(MysqlClusters.MCS_API, "ServiceImport").inNamespace(NS)
        .resource(new GenericKubernetesResourceBuilder().withApiVersion(MysqlClusters.MCS_API).withKind("ServiceImport")
            .withNewMetadata().withName("mysql-mysql-master").withNamespace(NS).addToLabels("team", "db").endMetadata()
            .addToAdditionalProperties("spec", Map.of("type", "ClusterSetIP",
                "ports", List.of(Map.of("port", 3306, "protocol", "TCP"))))
            .build()).create();
  }

  @Test
  void theImportOfAMemberThePlanLeavesIsRecordedRemovedAndCreatedAgainByTheWayBack() throws Exception {
    importInto("member-1");
    importInto("member-2");
    InMemoryUndoRecords run = new InMemoryUndoRecords();

    RecordingStepContext removal = new RecordingStepContext("move.stale-imports", plan("member-2", "member-2"), STEP, run);
    assertThat(new KosmosStaleImports(members).execute(removal))
        .isEqualTo("removed the stale ServiceImport mysql/mysql-mysql-master from member-1 (recorded first)");
    assertThat(imported("member-1")).isNull();
    assertThat(imported("member-2")).as("member-2 receives the replicas").isNotNull();
    String key = "kosmos/removed/ServiceImport/member-1/mysql/mysql-mysql-master";
    assertThat(run.get(key)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("\"kind\":\"ServiceImport\"").contains("ClusterSetIP").contains("3306").contains("\"team\":\"db\"")
        .doesNotContain("uid").doesNotContain("resourceVersion");
    assertThat(new KosmosStaleImports(members).execute(new RecordingStepContext("move.stale-imports",
        plan("member-2", "member-2"), STEP, run))).as("repeated: nothing left to remove")
        .startsWith("no stale ServiceImport");

    RecordingStepContext back = new RecordingStepContext("back.imports", Map.of(), STEP, run);
    assertThat(new KosmosRestoreImports(members).execute(back))
        .isEqualTo("created again the ServiceImport member-1: mysql/mysql-mysql-master");
    GenericKubernetesResource again = imported("member-1");
    assertThat(again).isNotNull();
    assertThat(again.getMetadata().getLabels()).containsEntry("team", "db");
    assertThat(again.getAdditionalProperties().get("spec").toString()).contains("ClusterSetIP").contains("3306");
    assertThat(run.get(key)).as("settled: the original is back").isEmpty();
    assertThat(run.recorded(key)).isPresent();
  }

  @Test
  void aMemberWhereAReplicaStillRunsKeepsItsImportAndTheStepSaysSo() {
    importInto("member-1");
    KubernetesClient member1 = lab.memberClient("member-1");
    member1.pods().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata().withName("mysql-mysql-1").withNamespace(NS)
        .addToLabels(MysqlClusters.CLUSTER_LABEL, "mysql").endMetadata()
        .withNewSpec().addNewContainer().withName("mysql").withImage("docker.io/percona:5.7").endContainer().endSpec()
        .build()).create();
    try {
      InMemoryUndoRecords run = new InMemoryUndoRecords();
      assertThatThrownBy(() -> new KosmosStaleImports(members).execute(new RecordingStepContext("move.stale-imports",
          plan("node-4", "member-2"), STEP, run))).isInstanceOf(StepFailedException.class)
          .hasMessageContaining("member-1 still runs mysql-mysql-1 of MysqlCluster mysql/mysql");
      assertThat(imported("member-1")).isNotNull();
      assertThat(run.all("kosmos/")).isEmpty();
    } finally {
      member1.pods().inNamespace(NS).withName("mysql-mysql-1").withGracePeriod(0).delete();
    }
  }
}
