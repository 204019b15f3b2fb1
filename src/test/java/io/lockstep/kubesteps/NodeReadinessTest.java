package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lockstep.run.StepFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code wait.node-ready} and {@code wait.node-not-ready}: the test plays the kubelets. */
class NodeReadinessTest extends KubeStepTest {

  final WaitNodeReady ready = new WaitNodeReady(cluster.kubernetes);
  final WaitNodeNotReady notReady = new WaitNodeNotReady(cluster.kubernetes);

  @Test
  void waitsUntilTheNodeReportsReady() throws Exception {
    kube.node("node-3", false, Map.of());
    kube.node("node-4", false, Map.of());
    var context = new RecordingContext(Map.of("node", "node-3"));

    try (var step = Background.execute(ready, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      kube.nodeReady("node-4", "True");
      step.keepsWaiting(Duration.ofMillis(200));
      kube.nodeReady("node-3", "True");

      assertThat(step.result()).isEqualTo("node node-3 Ready");
    }
    assertThat(context.actions()).containsExactly("watch node node-3 until Ready");
  }

  @Test
  void waitsUntilEveryNodeOfTheListIsNotReady() throws Exception {
    kube.node("node-3");
    kube.node("node-4");
    var context = new RecordingContext(Map.of("nodes", List.of("node-3", "node-4")));

    try (var step = Background.execute(notReady, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      kube.nodeReady("node-3", "Unknown");
      step.keepsWaiting(Duration.ofMillis(200));
      kube.nodeReady("node-4", "False");

      assertThat(step.result()).isEqualTo("nodes node-3, node-4 NotReady");
    }
  }

  @Test
  void aWatchTheServerClosesIsOpenedAgain() throws Exception {
    kube.node("node-3", false, Map.of());
    var context = new RecordingContext(Map.of("node", "node-3"));

    try (var step = Background.execute(ready, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      int opened = cluster.evictions.watchesOpened.get();
      cluster.evictions.closeWatches();
      await().atMost(Background.PROMPTLY).until(() -> cluster.evictions.watchesOpened.get() > opened);
      step.keepsWaiting(Duration.ofMillis(100));
      kube.nodeReady("node-3", "True");

      assertThat(step.result()).isEqualTo("node node-3 Ready");
    }
  }

  @Test
  void returnsAtOnceWhenTheConditionAlreadyHolds() throws Exception {
    kube.node("node-3");
    kube.node("node-4", false, Map.of());
    assertThat(ready.execute(new RecordingContext(Map.of("node", "node-3")))).isEqualTo("node node-3 Ready");
    assertThat(notReady.execute(new RecordingContext(Map.of("node", "node-4")))).isEqualTo("node node-4 NotReady");
  }

  @Test
  void anInterruptEndsTheWaitPromptly() throws Exception {
    kube.node("node-3", false, Map.of());
    var context = new RecordingContext(Map.of("node", "node-3"));

    try (var step = Background.execute(ready, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      assertThat(step.interrupt()).isInstanceOf(InterruptedException.class);
    }
    assertThat(context.infos()).contains("stopped waiting for node node-3 to be Ready (not yet Ready: node-3)");
  }

  @Test
  void aNodeTheClusterDoesNotHaveFails() {
    kube.node("node-3");
    assertThatThrownBy(() -> ready.execute(new RecordingContext(Map.of("nodes", List.of("node-3", "node-9")))))
        .isInstanceOf(StepFailedException.class).hasMessage("not a node of the cluster: node-9");
  }

  @Test
  void previewAndParams() {
    assertThat(ready.preview(Map.of("node", "node-3")).actions()).containsExactly("wait until node node-3 is Ready (by watch)");
    assertThat(notReady.preview(Map.of("nodes", List.of("node-3", "node-4"))).actions())
        .containsExactly("wait until nodes node-3, node-4 are all NotReady (by watch)");
    assertThatThrownBy(() -> ready.preview(Map.of("node", "node-3", "nodes", List.of("node-4"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait.node-ready: give either 'node' (one node) or 'nodes' (a list), not both");
    assertThatThrownBy(() -> notReady.preview(Map.of()))
        .hasMessage("wait.node-not-ready: give either 'node' (one node) or 'nodes' (a list), one is needed");
    assertThatThrownBy(() -> ready.preview(Map.of("nodes", "node-3")))
        .hasMessage("wait.node-ready: param 'nodes' must be a list, not 'node-3'");
    assertThatThrownBy(() -> ready.preview(Map.of("nodes", List.of("node-3", "NODE"))))
        .hasMessageStartingWith("wait.node-ready: param 'nodes': node name 'NODE' is not a valid");
  }
}
