package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code k8s.cordon} and {@code k8s.uncordon}, and the record that connects them. */
class CordonNodeTest extends KubeStepTest {

  final CordonNode cordon = new CordonNode(cluster.kubernetes);
  final UncordonNode uncordon = new UncordonNode(cluster.kubernetes);

  @Test
  void cordonMarksTheNodeUnschedulableRecordingThatItWasNot() throws Exception {
    kube.node("node-3");
    var context = new RecordingContext(Map.of("node", "node-3"));

    assertThat(cordon.execute(context)).isEqualTo("cordoned node node-3");

    assertThat(unschedulable("node-3")).isTrue();
    assertThat(context.records().recorded()).containsExactlyEntriesOf(Map.of("unschedulable/node-3", "false"));
    assertThat(context.actions()).containsExactly("cordon node node-3 (spec.unschedulable: true)");
    assertThat(context.infos()).contains("cordoned node node-3");
  }

  @Test
  void aRerunOfCordonKeepsTheFirstRecord() throws Exception {
    kube.node("node-3");
    var context = new RecordingContext(Map.of("node", "node-3"));
    cordon.execute(context);

    var rerun = context.rerun();
    assertThat(cordon.execute(rerun)).isEqualTo("node node-3 was already cordoned");

    assertThat(rerun.records().recorded()).containsEntry("unschedulable/node-3", "false");
    assertThat(rerun.actions()).isEmpty();
  }

  @Test
  void uncordonAfterCordonMakesTheNodeSchedulableAndSettlesTheRecord() throws Exception {
    kube.node("node-3");
    var context = new RecordingContext(Map.of("node", "node-3"));
    cordon.execute(context);

    var later = context.next(Map.of("node", "node-3"));
    assertThat(uncordon.execute(later)).isEqualTo("uncordoned node node-3");

    assertThat(unschedulable("node-3")).isFalse();
    assertThat(later.actions()).containsExactly("uncordon node node-3 (spec.unschedulable: false)");
    assertThat(later.records().isSettled("unschedulable/node-3")).isTrue();
  }

  @Test
  void aNodeCordonedBeforeTheRunStaysCordoned() throws Exception {
    kube.cordonedNode("node-3");
    var context = new RecordingContext(Map.of("node", "node-3"));
    cordon.execute(context);
    assertThat(context.records().recorded()).containsEntry("unschedulable/node-3", "true");
    assertThat(context.actions()).isEmpty();

    var later = context.next(Map.of("node", "node-3"));
    assertThat(uncordon.execute(later)).isEqualTo("left node node-3 cordoned, as it was before the run");

    assertThat(unschedulable("node-3")).isTrue();
    assertThat(later.actions()).isEmpty();
    assertThat(later.infos()).contains("node node-3 was already cordoned before this run (undo record "
        + "unschedulable/node-3): leaving it cordoned");
  }

  @Test
  void uncordonWithoutARecordUncordonsAndSaysSo() throws Exception {
    kube.cordonedNode("node-3");
    var context = new RecordingContext(Map.of("node", "node-3"));

    uncordon.execute(context);

    assertThat(unschedulable("node-3")).isFalse();
    assertThat(context.infos()).contains("this run holds no cordon record for node node-3: uncordoning it");
  }

  @Test
  void uncordonOfASchedulableNodeChangesNothing() throws Exception {
    kube.node("node-3");
    var context = new RecordingContext(Map.of("node", "node-3"));
    assertThat(uncordon.execute(context)).isEqualTo("node node-3 was already schedulable");
    assertThat(context.actions()).isEmpty();
  }

  @Test
  void aNodeTheClusterDoesNotHaveFails() {
    var context = new RecordingContext(Map.of("node", "node-9"));
    assertThatThrownBy(() -> cordon.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("node node-9 is not a node of the cluster");
    assertThatThrownBy(() -> uncordon.execute(context.rerun())).isInstanceOf(StepFailedException.class)
        .hasMessage("node node-9 is not a node of the cluster");
    assertThat(context.records().recorded()).isEmpty();
  }

  @Test
  void previewsSayWhatHappens() {
    kube.node("node-3");
    kube.cordonedNode("node-4");
    assertThat(cordon.preview(Map.of("node", "node-3")).actions())
        .containsExactly("cordon node node-3: mark it unschedulable (recording first, once, whether it already was)");
    assertThat(cordon.preview(Map.of("node", "node-4")).actions())
        .containsExactly("node node-4 is already cordoned: nothing changes (recorded as cordoned before the run, once)");
    assertThat(cordon.preview(Map.of("node", "node-9")).actions())
        .containsExactly("cordon node node-9: the cluster has no such node now, so the step would fail");
    assertThat(uncordon.preview(Map.of("node", "node-3")).actions()).containsExactly("uncordon node node-3: mark it"
        + " schedulable, unless this run recorded it as cordoned before the run (then it stays cordoned)");
    assertThat(unschedulable("node-3")).isFalse();
  }

  @Test
  void badParamsAreRefusedBeforeAnyApiCall() {
    int requests = cluster.server.getRequestCount();
    assertThatThrownBy(() -> cordon.execute(new RecordingContext(Map.of("node", "Node_3"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("k8s.cordon: param 'node': node name 'Node_3' is not a valid Kubernetes name");
    assertThatThrownBy(() -> uncordon.execute(new RecordingContext(Map.of("node", "node-3; rm -rf /"))))
        .hasMessageStartingWith("k8s.uncordon: param 'node': node name 'node-3; rm -rf /' is not a valid");
    assertThatThrownBy(() -> cordon.preview(Map.of()))
        .hasMessage("k8s.cordon: param 'node' is missing");
    assertThatThrownBy(() -> cordon.preview(Map.of("node", "node-3", "force", true)))
        .hasMessage("k8s.cordon: unknown param 'force'; k8s.cordon takes node");
    assertThatThrownBy(() -> uncordon.preview(Map.of("node", 3)))
        .hasMessage("k8s.uncordon: param 'node' must be a non-empty text, not 3");
    assertThat(cluster.server.getRequestCount()).isEqualTo(requests);
  }

  private boolean unschedulable(String node) {
    return Nodes.unschedulable(client.nodes().withName(node).get());
  }
}
