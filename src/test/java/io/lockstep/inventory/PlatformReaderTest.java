package io.lockstep.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lockstep.inventory.InventorySnapshot.ComponentRow;
import io.lockstep.inventory.InventorySnapshot.ReplicaRow;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inventory's reading of the Kubernetes API, against fabric8's mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true, https = false)
class PlatformReaderTest {

  KubernetesClient client;
  PlatformReader reader;

  @BeforeEach
  void setUp() {
    var properties = new KubernetesProperties(null, null, "anyshare", "resource", Duration.ofSeconds(5));
    reader = new PlatformReader(new Kubernetes(properties, client), new InventoryProperties(List.of(), Duration.ofSeconds(1)));
  }

  @Test
  void aReplicaIsPlacedByItsClaimsVolumeNotByWhereItsPodHappensToRun() {
    statefulSet("kafka", 2);
    localVolume("kafka", 0, "node-1", "/sysvol/kafka/kafka_data");
    localVolume("kafka", 1, "node-2", "/sysvol/kafka/kafka_data");
    pod("kafka-0", "node-1", true);

    ComponentRow kafka = reader.components().get(0);
    assertThat(kafka.name()).isEqualTo("kafka");
    assertThat(kafka.managedBy()).isEqualTo("Helm");
    assertThat(kafka.replicas()).extracting(ReplicaRow::ordinal, ReplicaRow::node, ReplicaRow::dataPath, ReplicaRow::podPhase)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "node-1", "/sysvol/kafka/kafka_data", "Running"),
            org.assertj.core.groups.Tuple.tuple(1, "node-2", "/sysvol/kafka/kafka_data", "Absent"));
    assertThat(kafka.ready()).isEqualTo(1);
    assertThat(kafka.replicas().get(0).pvc()).isEqualTo("data-kafka-0");
  }

  @Test
  void nodesShowRolesReadinessAndAddress() {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1")
        .withLabels(Map.of("node-role.kubernetes.io/control-plane", "", "node-role.kubernetes.io/master", "")).endMetadata()
        .withNewSpec().withUnschedulable(true).endSpec()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("10.0.0.11").endAddress()
        .addNewCondition().withType("Ready").withStatus("False").endCondition().endStatus().build()).create();
    var node = reader.nodes().get(0);
    assertThat(PlatformReader.roles(node)).containsExactly("control-plane", "master");
    assertThat(PlatformReader.ready(node)).isFalse();
    assertThat(PlatformReader.internalIp(node)).isEqualTo("10.0.0.11");
  }

  @Test
  void theAppNamespaceIsWhereDeployServiceLives() {
    client.apps().deployments().inNamespace("biz").resource(new DeploymentBuilder()
        .withNewMetadata().withName("deploy-service").endMetadata()
        .withNewSpec().withReplicas(2).endSpec().build()).create();
    assertThat(reader.appNamespace()).isEqualTo("biz");
    assertThat(reader.workloads("biz")).singleElement()
        .satisfies(w -> assertThat(w.desired()).isEqualTo(2));
  }

  @Test
  void withoutDeployServiceTheConfiguredNamespaceIsUsed() {
    assertThat(reader.appNamespace()).isEqualTo("anyshare");
  }

  private void statefulSet(String name, int replicas) {
    client.apps().statefulSets().inNamespace("resource").resource(new StatefulSetBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("app.kubernetes.io/instance", name,
            "app.kubernetes.io/managed-by", "Helm")).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().endVolumeClaimTemplate()
        .endSpec().build()).create();
  }

  private void localVolume(String component, int ordinal, String node, String path) {
    String pv = component + "-data-" + node;
    client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(pv).endMetadata()
        .withNewSpec().withCapacity(Map.of("storage", new Quantity("10Gi"))).withNewLocal().withPath(path).endLocal()
        .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey("kubernetes.io/hostname").withOperator("In").withValues(node).endMatchExpression()
        .endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
    client.persistentVolumeClaims().inNamespace("resource").resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("data-" + component + "-" + ordinal).endMetadata()
        .withNewSpec().withVolumeName(pv).endSpec().build()).create();
  }

  private void pod(String name, String node, boolean ready) {
    client.pods().inNamespace("resource").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNodeName(node).endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .endCondition().endStatus().build()).create();
  }
}
