package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The read-only checks that say what is down after a stop in downtime, against the mock API in
 * CRUD mode: {@code k8s.check-restored} compares what the run recorded (by the executors that
 * recorded it) with the cluster, {@code k8s.check-workloads} looks at named workloads. Neither
 * changes anything, and both name what they found.
 */
class RecoveryChecksTest extends KubeStepTest {

  final ScaleWorkloads scale = new ScaleWorkloads(cluster.kubernetes);
  final ParkDaemonSets park = new ParkDaemonSets(cluster.kubernetes);
  final CordonNode cordon = new CordonNode(cluster.kubernetes);
  final CheckRestored restored = new CheckRestored(cluster.kubernetes);
  final CheckWorkloads workloads = new CheckWorkloads(cluster.kubernetes);

  @Test
  void whatTheRunStoppedIsNamedUntilItIsBackAsRecorded() throws Exception {
    kube.deployment("web", 3);
    kube.statefulSet("db", 2);
    kube.daemonSet("agent");
    kube.node("node-2");
    var stop = new RecordingContext(Map.of("namespace", "anyshare", "replicas", 0, "record", true));
    scale.execute(stop);
    park.execute(stop.next(Map.of("namespace", "anyshare", "park", true)));
    cordon.execute(stop.next(Map.of("node", "node-2")));
    String before = client.apps().deployments().inNamespace("anyshare").withName("web").get().getMetadata()
        .getResourceVersion();

    var check = stop.next(Map.of("namespace", "anyshare"));
    assertThatThrownBy(() -> restored.execute(check)).isInstanceOf(StepFailedException.class)
        .hasMessage("2 workloads are not at the replicas recorded before the run: Deployment anyshare/web has 0"
            + " replicas, 3 recorded, StatefulSet anyshare/db has 0 replicas, 2 recorded; 1 DaemonSet is still parked"
            + " (stop-by-admin): anyshare/agent; cordoned, and schedulable before the run: node-2");
    assertThat(check.actions()).as("it only reads").isEmpty();
    assertThat(client.apps().deployments().inNamespace("anyshare").withName("web").get().getMetadata()
        .getResourceVersion()).isEqualTo(before);

    scale.execute(stop.next(Map.of("namespace", "anyshare", "restore", true)));
    park.execute(stop.next(Map.of("namespace", "anyshare", "park", false)));
    new UncordonNode(cluster.kubernetes).execute(stop.next(Map.of("node", "node-2")));
    assertThat(restored.execute(stop.next(Map.of("namespace", "anyshare"))))
        .isEqualTo("everything this run recorded is as it was in anyshare");
  }

  @Test
  void aWorkloadPutBackByHandCountsAsBack() throws Exception {
    kube.deployment("web", 3);
    var stop = new RecordingContext(Map.of("namespace", "anyshare", "replicas", 0, "record", true));
    scale.execute(stop);
    client.apps().deployments().inNamespace("anyshare").withName("web").scale(3);

    assertThat(restored.execute(stop.next(Map.of("namespace", "anyshare"))))
        .isEqualTo("everything this run recorded is as it was in anyshare");
  }

  @Test
  void namedWorkloadsMissingOrNotReadyAreNamed() throws Exception {
    kube.statefulSet("kafka", 3);
    kube.statefulSetReady("kafka", 1);
    kube.statefulSet("zookeeper", 3);
    kube.statefulSetReady("zookeeper", 3);
    var check = new RecordingContext(Map.of("namespace", "anyshare",
        "workloads", List.of("StatefulSet/kafka", "StatefulSet/zookeeper", "StatefulSet/grafana")));

    assertThatThrownBy(() -> workloads.execute(check)).isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("not installed: StatefulSet anyshare/grafana; not ready: StatefulSet anyshare/kafka:");

    kube.statefulSetReady("kafka", 3);
    assertThatThrownBy(() -> workloads.execute(check)).hasMessage("not installed: StatefulSet anyshare/grafana");
    assertThatThrownBy(() -> workloads.execute(new RecordingContext(Map.of("namespace", "anyshare"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name the workloads");
  }

  @Test
  void bothAreReadOnlySoAProcedureMayUseThemAsChecks() {
    assertThat(restored.readOnly()).isTrue();
    assertThat(workloads.readOnly()).isTrue();
    assertThat(scale.readOnly()).isFalse();
  }
}
