package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lockstep.run.StepFailedException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s.drain}: evictions through the test server's eviction subresource (as an API server
 * answers it), the kubelet played by the test where pods should take their time to go.
 */
class DrainNodeTest extends KubeStepTest {

  final DrainNode drain = new DrainNode(cluster.kubernetes, Duration.ofMillis(50));

  @BeforeEach
  void node() {
    kube.node("node-3");
    kube.node("node-4");
  }

  @Test
  void evictsThePodsWithPolicyV1EvictionsAndWaitsByWatchUntilTheyAreGone() throws Exception {
    kube.pod("web-1", "web", "node-3");
    kube.pod("other", "api-1", "api", "node-3");
    kube.pod("web-2", "web", "node-4");
    cluster.evictions.deleteAtOnce = false;
    var context = new RecordingContext(Map.of("node", "node-3", "grace_period", "30s"));

    try (var step = Background.execute(drain, context)) {
      await().atMost(Background.PROMPTLY).until(() -> cluster.evictions.evicted.size() == 2);
      step.keepsWaiting(Duration.ofMillis(300));
      client.pods().inNamespace("anyshare").withName("web-1").delete();
      step.keepsWaiting(Duration.ofMillis(200));
      client.pods().inNamespace("other").withName("api-1").delete();

      assertThat(step.result()).isEqualTo("drained node node-3: evicted 2 pods");
    }
    assertThat(cluster.evictions.evicted).containsExactly("anyshare/web-1", "other/api-1");
    assertThat(cluster.evictions.bodies).allSatisfy(body -> assertThat(body)
        .contains("\"apiVersion\":\"policy/v1\"", "\"kind\":\"Eviction\"", "\"gracePeriodSeconds\":30"));
    assertThat(client.pods().inNamespace("anyshare").withName("web-2").get()).isNotNull();
    assertThat(Nodes.unschedulable(client.nodes().withName("node-3").get())).isTrue();
    assertThat(context.records().recorded()).containsEntry("unschedulable/node-3", "false");
    assertThat(context.actions()).containsExactly("cordon node node-3 (spec.unschedulable: true)",
        "evict pod anyshare/web-1 from node node-3 (grace period 30s)",
        "evict pod other/api-1 from node node-3 (grace period 30s)");
    assertThat(context.infos()).contains("evicted pod anyshare/web-1", "node node-3 is drained");
  }

  @Test
  void daemonSetPodsAreLeftAndMirrorPodsSkipped() throws Exception {
    kube.daemonSetPod("agent-x1", "agent", "node-3");
    kube.mirrorPod("etcd-node-3", "node-3");
    kube.pod("web-1", "web", "node-3");
    var context = new RecordingContext(Map.of("node", "node-3"));

    assertThat(drain.execute(context)).isEqualTo("drained node node-3: evicted 1 pod, left 1 DaemonSet pod");
    // issue 14: the run page shows the summary in the reader's language, the names as they are
    assertThat(context.saidLine().english()).isEqualTo("drained node node-3: evicted 1 pod, left 1 DaemonSet pod");
    assertThat(context.saidIn(Locale.SIMPLIFIED_CHINESE)).isEqualTo("已排空节点 node-3：驱逐了 1 个 Pod，保留了 1 个 DaemonSet 的 Pod");

    assertThat(cluster.evictions.evicted).containsExactly("anyshare/web-1");
    assertThat(context.infos()).contains("leaving DaemonSet pods: anyshare/agent-x1",
        "skipping mirror pods, which the kubelet runs itself: kube-system/etcd-node-3");
    assertThat(cluster.evictions.bodies.get(0)).doesNotContain("gracePeriodSeconds");
  }

  @Test
  void daemonSetPodsFailTheDrainWhenNotIgnoredAndNothingChanges() {
    kube.daemonSetPod("agent-x1", "agent", "node-3");
    kube.pod("web-1", "web", "node-3");
    var context = new RecordingContext(Map.of("node", "node-3", "ignore_daemonsets", false));

    assertThatThrownBy(() -> drain.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("not draining node node-3, nothing was changed: DaemonSet pods run on it and ignore_daemonsets"
            + " is false: anyshare/agent-x1");
    assertThat(cluster.evictions.evicted).isEmpty();
    assertThat(Nodes.unschedulable(client.nodes().withName("node-3").get())).isFalse();
    assertThat(context.records().recorded()).isEmpty();
  }

  @Test
  void podsWithEmptyDirVolumesAreRefusedUnlessTheirDataMayGo() throws Exception {
    kube.emptyDirPod("cache-1", "cache", "node-3");
    kube.pod("web-1", "web", "node-3");

    assertThatThrownBy(() -> drain.execute(new RecordingContext(Map.of("node", "node-3"))))
        .isInstanceOf(StepFailedException.class)
        .hasMessage("not draining node node-3, nothing was changed: pods with emptyDir volumes, whose data eviction"
            + " deletes, run on it and delete_emptydir_data is false: anyshare/cache-1");
    assertThat(cluster.evictions.evicted).isEmpty();

    drain.execute(new RecordingContext(Map.of("node", "node-3", "delete_emptydir_data", true)));
    assertThat(cluster.evictions.evicted).containsExactlyInAnyOrder("anyshare/web-1", "anyshare/cache-1");
  }

  @Test
  void anEvictionAPodDisruptionBudgetBlocksIsRetriedUntilItIsAllowed() throws Exception {
    kube.pod("zk-0", "zk", "node-3");
    kube.pod("web-1", "web", "node-3");
    cluster.evictions.blocked.add("anyshare/zk-0");
    var context = new RecordingContext(Map.of("node", "node-3"), Duration.ofSeconds(30));

    client.policy().v1().podDisruptionBudget().inNamespace("anyshare").resource(
        new io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder()
            .withNewMetadata().withName("zk-pdb").withNamespace("anyshare").endMetadata()
            .withNewSpec().withMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(1))
            .withNewSelector().addToMatchLabels("app", "zk").endSelector().endSpec()
            .withNewStatus().withDisruptionsAllowed(0).endStatus().build()).create();

    try (var step = Background.execute(drain, context)) {
      await().atMost(Background.PROMPTLY).until(() -> context.infos().contains("a PodDisruptionBudget blocks the"
          + " eviction of anyshare/zk-0: retrying every 50 ms until the step's timeout"));
      // the step itself says why it still runs: its last action, shown on the run page and in the API
      await().atMost(Background.PROMPTLY).until(() -> context.actions().contains("evict again every 50 ms until the"
          + " step's timeout: PodDisruptionBudget anyshare/zk-pdb (allows 0 disruptions now) blocks anyshare/zk-0 (the"
          + " Eviction API answers 429; evicted 1 of 2)"));
      step.keepsWaiting(Duration.ofMillis(200));
      cluster.evictions.blocked.clear();

      assertThat(step.result()).isEqualTo("drained node node-3: evicted 2 pods");
    }
    assertThat(context.actions()).last().isEqualTo("every eviction went through (2 pods); wait until they are gone");
    assertThat(cluster.evictions.evicted).containsExactly("anyshare/web-1", "anyshare/zk-0");
    assertThat(context.actions()).filteredOn(a -> a.startsWith("evict pod anyshare/zk-0")).hasSize(1);
  }

  @Test
  void anEvictionStillBlockedAsTheTimeoutNearsFailsNamingThePods() {
    kube.pod("zk-0", "zk", "node-3");
    kube.pod("zk-1", "zk", "node-3");
    kube.pod("web-1", "web", "node-3");
    cluster.evictions.blocked.add("anyshare/zk-0");
    cluster.evictions.blocked.add("anyshare/zk-1");
    var context = new RecordingContext(Map.of("node", "node-3"), Duration.ofSeconds(1));

    assertThatThrownBy(() -> drain.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("PodDisruptionBudgets still block the eviction of 2 pods from node node-3 as the step's time runs"
            + " out: anyshare/zk-0, anyshare/zk-1 (evicted 1; the node stays cordoned)");
    assertThat(cluster.evictions.evicted).containsExactly("anyshare/web-1");
  }

  @Test
  void anInterruptEndsTheWaitForEvictedPodsPromptly() throws Exception {
    kube.pod("web-1", "web", "node-3");
    cluster.evictions.deleteAtOnce = false;
    var context = new RecordingContext(Map.of("node", "node-3"));

    try (var step = Background.execute(drain, context)) {
      await().atMost(Background.PROMPTLY).until(() -> cluster.evictions.evicted.size() == 1);
      step.keepsWaiting(Duration.ofMillis(200));

      assertThat(step.interrupt()).isInstanceOf(InterruptedException.class);
    }
    assertThat(context.infos()).anySatisfy(line -> assertThat(line)
        .isEqualTo("stopped waiting for the pods evicted from node node-3 to be gone (1 evicted pod not gone"
            + " yet: anyshare/web-1)"));
  }

  @Test
  void anInterruptEndsTheRetriesOfABlockedEviction() throws Exception {
    kube.pod("zk-0", "zk", "node-3");
    cluster.evictions.blocked.add("anyshare/zk-0");
    var context = new RecordingContext(Map.of("node", "node-3"), Duration.ofMinutes(10));

    try (var step = Background.execute(drain, context)) {
      await().atMost(Background.PROMPTLY).until(() -> context.infos().stream()
          .anyMatch(line -> line.startsWith("a PodDisruptionBudget blocks the eviction of anyshare/zk-0")));
      step.keepsWaiting(Duration.ofMillis(100));
      assertThat(step.interrupt()).isInstanceOf(InterruptedException.class);
    }
    assertThat(context.infos()).contains("stopped draining node node-3; evicted 0 pods, evictions still blocked: anyshare/zk-0");
  }

  @Test
  void anEmptyNodeIsCordonedAndDrainedAtOnce() throws Exception {
    assertThat(drain.execute(new RecordingContext(Map.of("node", "node-3")))).isEqualTo("drained node node-3: evicted 0 pods");
  }

  @Test
  void aNodeTheClusterDoesNotHaveFails() {
    assertThatThrownBy(() -> drain.execute(new RecordingContext(Map.of("node", "node-9"))))
        .isInstanceOf(StepFailedException.class).hasMessage("node node-9 is not a node of the cluster");
  }

  @Test
  void previewSaysWhatWillBeEvicted() {
    kube.pod("web-1", "web", "node-3");
    kube.daemonSetPod("agent-x1", "agent", "node-3");

    assertThat(drain.preview(Map.of("node", "node-3")).actions()).containsExactly(
        "cordon node node-3 unless it is already (recording first, once, whether it was)",
        "evict every pod on node-3 except DaemonSet and mirror pods (PodDisruptionBudgets honoured, a blocked eviction"
            + " retried until the timeout)",
        "fail, changing nothing, if a pod on node-3 has an emptyDir volume",
        "now on node-3: 1 pod to evict (anyshare/web-1), 1 DaemonSet pod",
        "wait until no evicted pod is left (by watch)");
    assertThat(cluster.evictions.evicted).isEmpty();
  }

  @Test
  void badParamsAreRefusedBeforeAnyApiCall() {
    int requests = cluster.server.getRequestCount();
    assertThatThrownBy(() -> drain.preview(Map.of("node", "node-3", "grace_period", "thirty seconds")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k8s.drain: param 'grace_period' must be a duration like 30s, 2m or 1h30m (each unit once, largest"
            + " first), not 'thirty seconds'");
    assertThatThrownBy(() -> drain.preview(Map.of("node", "node-3", "grace_period", "30m2h")))
        .hasMessageStartingWith("k8s.drain: param 'grace_period' must be a duration");
    assertThatThrownBy(() -> drain.preview(Map.of("node", "node-3", "force", true)))
        .hasMessage("k8s.drain: unknown param 'force'; k8s.drain takes node, ignore_daemonsets, delete_emptydir_data,"
            + " grace_period");
    assertThatThrownBy(() -> drain.preview(Map.of("node", "node-3", "ignore_daemonsets", "false")))
        .hasMessage("k8s.drain: param 'ignore_daemonsets' must be true or false, not 'false'");
    assertThatThrownBy(() -> drain.execute(new RecordingContext(Map.of("node", "-node"))))
        .hasMessageStartingWith("k8s.drain: param 'node': node name '-node' is not a valid");
    assertThat(cluster.server.getRequestCount()).isEqualTo(requests);
  }
}
