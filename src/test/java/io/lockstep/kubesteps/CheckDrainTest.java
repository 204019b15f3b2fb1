package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.lockstep.run.StepFailedException;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code k8s.check-drain}: PodDisruptionBudgets and room on the other nodes, before a drain. */
class CheckDrainTest extends KubeStepTest {

  final CheckDrain check = new CheckDrain(cluster.kubernetes);

  @BeforeEach
  void nodes() {
    node("node-1", "8", "16Gi");
    node("node-2", "4", "8Gi");
    node("node-3", "4", "8Gi");
  }

  @Test
  void passesWhenNoBudgetBlocksAndTheOthersHaveRoom() throws Exception {
    pod("web-1", "web", "node-1", "1", "2Gi", true);
    pod("web-2", "web", "node-2", "1", "2Gi", true);
    kube.daemonSetPod("agent-1", "agent", "node-1");
    budget("web-pdb", "web", new IntOrString(1), null);

    String summary = check.execute(new RecordingContext(Map.of("node", "node-1")));

    assertThat(summary).isEqualTo("1 pods can leave node-1: no PodDisruptionBudget blocks them and the other nodes have room");
  }

  @Test
  void aBudgetThatAllowsNoDisruptionIsNamedWithThePodsItWouldBlock() {
    pod("zk-0", "zk", "node-1", "100m", "1Gi", true);
    pod("zk-1", "zk", "node-2", "100m", "1Gi", true);
    pod("zk-2", "zk", "node-3", "100m", "1Gi", true);
    budget("zk-pdb", "zk", new IntOrString(3), null);

    assertThatThrownBy(() -> check.execute(new RecordingContext(Map.of("node", "node-1"))))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("the drain of node-1 would not succeed: PodDisruptionBudget anyshare/zk-pdb (minAvailable 3, 3 of 3"
            + " pods healthy) allows 0 disruptions, so it would block the eviction of anyshare/zk-0");
  }

  @Test
  void aBudgetAllowingOneDisruptionBlocksTheSecondOfItsPodsOnTheNode() {
    pod("kafka-0", "kafka", "node-1", "100m", "1Gi", true);
    pod("kafka-1", "kafka", "node-1", "100m", "1Gi", true);
    pod("kafka-2", "kafka", "node-2", "100m", "1Gi", true);
    budget("kafka-pdb", "kafka", null, new IntOrString("34%"));

    assertThatThrownBy(() -> check.execute(new RecordingContext(Map.of("node", "node-1"))))
        .hasMessageContaining("PodDisruptionBudget anyshare/kafka-pdb (maxUnavailable 34%, 3 of 3 pods healthy) allows 1"
            + " disruption, so it would block the eviction of anyshare/kafka-1");
  }

  @Test
  void podsThatDoNotFitOnTheOtherNodesAreRefusedWithWhatIsShort() {
    pod("big-1", "big", "node-1", "6", "4Gi", true);
    pod("small-2", "small", "node-2", "3", "1Gi", true);

    assertThatThrownBy(() -> check.execute(new RecordingContext(Map.of("node", "node-1"))))
        .hasMessage("the drain of node-1 would not succeed: the other nodes lack room for its pods: cpu (the pods"
            + " request 6 cores, the other nodes have 5 cores free)");
  }

  @Test
  void aCordonedOrNotReadyNodeIsNoRoom() {
    client.nodes().withName("node-2").edit(n -> new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build());
    kube.nodeReady("node-3", "False");
    pod("web-1", "web", "node-1", "1", "1Gi", true);

    assertThatThrownBy(() -> check.execute(new RecordingContext(Map.of("node", "node-1"))))
        .hasMessageContaining("no other node is Ready and schedulable to take its 1 pods");
  }

  /**
   * Issue 13: pods bound to a local volume on the node, or held to it by a nodeSelector, cannot
   * leave; the check names each with why and what happens to it (a warning, not a refusal: they
   * come back with the node), and their requests do not count against the other nodes' room.
   */
  @Test
  void podsThatCannotLeaveAreNamedWithWhyAndWhatHappensToThemWithoutARefusal() throws Exception {
    pod("web-1", "web", "node-1", "1", "1Gi", true);
    localVolume("data-kafka-0", "pv-kafka-node-1", "node-1", "/sysvol/kafka/kafka_data");
    client.pods().inNamespace(AKube.NS).resource(new PodBuilder(podOf("kafka-0", "kafka", "node-1", "7", "12Gi"))
        .editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-kafka-0")
        .endPersistentVolumeClaim().endVolume().endSpec().build()).create();
    client.pods().inNamespace(AKube.NS).resource(new PodBuilder(podOf("pinned-0", "pinned", "node-1", "100m", "1Gi"))
        .editSpec().withNodeSelector(Map.of("kubernetes.io/hostname", "node-1")).endSpec().build()).create();
    RecordingContext context = new RecordingContext(Map.of("node", "node-1"));

    String summary = check.execute(context);

    assertThat(summary).isEqualTo("warning: 2 pods cannot leave node-1 and will be Pending, their replicas down, until"
        + " it is back: anyshare/kafka-0: bound to a local volume on node-1 (PersistentVolume pv-kafka-node-1,"
        + " /sysvol/kafka/kafka_data); Pending until node-1 is back; anyshare/pinned-0: its nodeSelector"
        + " {kubernetes.io/hostname=node-1} matches no other Ready, schedulable node; Pending until node-1 is back."
        + " The other 1 of the 3 pods can leave node-1: no PodDisruptionBudget blocks them and the other nodes have room");
    assertThat(context.infos()).anyMatch(l -> l.startsWith("anyshare/kafka-0 cannot leave node-1: bound to a local volume"));
    assertThat(context.saidLine().english()).isEqualTo(summary);
    assertThat(context.saidIn(Locale.SIMPLIFIED_CHINESE)).startsWith("警告：2 个 Pod 无法离开 node-1，在它恢复前将处于 Pending，"
        + "其副本停止：anyshare/kafka-0: bound to a local volume").endsWith("。3 个 Pod 中其余 1 个可以离开 node-1："
        + "没有 PodDisruptionBudget 阻止，其他节点也有空间");
  }

  @Test
  void aLocalVolumeOnAnotherNodeToo() throws Exception {
    // a volume every node can reach (affinity to several nodes) does not hold its pod
    client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
        .withNewMetadata().withName("pv-shared").endMetadata().withNewSpec()
        .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey("kubernetes.io/hostname").withOperator("In").withValues("node-1", "node-2")
        .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
    client.persistentVolumeClaims().inNamespace(AKube.NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
        .withNewMetadata().withName("shared").withNamespace(AKube.NS).endMetadata()
        .withNewSpec().withVolumeName("pv-shared").endSpec().build()).create();
    client.nodes().withName("node-2").edit(n -> new NodeBuilder(n).editMetadata()
        .addToLabels("kubernetes.io/hostname", "node-2").endMetadata().build());
    client.pods().inNamespace(AKube.NS).resource(new PodBuilder(podOf("db-0", "db", "node-1", "100m", "1Gi"))
        .editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("shared")
        .endPersistentVolumeClaim().endVolume().endSpec().build()).create();

    assertThat(check.execute(new RecordingContext(Map.of("node", "node-1"))))
        .isEqualTo("1 pods can leave node-1: no PodDisruptionBudget blocks them and the other nodes have room");
  }

  @Test
  void theNodeIsCheckedBeforeTheApiIsAsked() {
    assertThatThrownBy(() -> check.preview(Map.of("node", "node 1"))).isInstanceOf(IllegalArgumentException.class);
    assertThat(check.preview(Map.of("node", "node-1")).actions()).singleElement().asString()
        .startsWith("check, changing nothing, that no PodDisruptionBudget would block evicting the pods on node-1");
  }

  private void node(String name, String cpu, String memory) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addToAllocatable("cpu", new Quantity(cpu)).addToAllocatable("memory", new Quantity(memory))
        .addToAllocatable("pods", new Quantity("110")).endStatus().build()).create();
  }

  private void localVolume(String claim, String pv, String node, String path) {
    client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
        .withNewMetadata().withName(pv).endMetadata().withNewSpec().withNewLocal().withPath(path).endLocal()
        .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
        .withKey("kubernetes.io/hostname").withOperator("In").withValues(node)
        .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
    client.persistentVolumeClaims().inNamespace(AKube.NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(claim).withNamespace(AKube.NS).endMetadata()
        .withNewSpec().withVolumeName(pv).endSpec().build()).create();
  }

  private static io.fabric8.kubernetes.api.model.Pod podOf(String name, String app, String node, String cpu, String memory) {
    return new PodBuilder().withNewMetadata().withName(name)
        .withNamespace(AKube.NS).withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName(app).withImage(app + ":1")
        .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
        .endResources().endContainer().endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
        .endCondition().endStatus().build();
  }

  private void pod(String name, String app, String node, String cpu, String memory, boolean ready) {
    client.pods().inNamespace(AKube.NS).resource(new PodBuilder().withNewMetadata().withName(name)
        .withNamespace(AKube.NS).withLabels(Map.of("app", app)).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName(app).withImage(app + ":1")
        .withNewResources().addToRequests("cpu", new Quantity(cpu)).addToRequests("memory", new Quantity(memory))
        .endResources().endContainer().endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .endCondition().endStatus().build()).create();
  }

  private void budget(String name, String app, IntOrString minAvailable, IntOrString maxUnavailable) {
    client.policy().v1().podDisruptionBudget().inNamespace(AKube.NS).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName(name).withNamespace(AKube.NS).endMetadata()
        .withNewSpec().withMinAvailable(minAvailable).withMaxUnavailable(maxUnavailable)
        .withNewSelector().addToMatchLabels("app", app).endSelector().endSpec().build()).create();
  }
}
