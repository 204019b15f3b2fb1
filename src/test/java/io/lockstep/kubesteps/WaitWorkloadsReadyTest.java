package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code wait.workloads-ready}: the test writes the status a controller would. */
class WaitWorkloadsReadyTest extends KubeStepTest {

  final WaitWorkloadsReady wait = new WaitWorkloadsReady(cluster.kubernetes);

  @Test
  void endsWhenTheControllersReportEveryReplicaReadyAndUpdated() throws Exception {
    kube.deployment("web", 3);
    kube.statefulSet("db", 2);
    var context = new RecordingContext(Map.of("namespace", "anyshare",
        "workloads", List.of("Deployment/web", "StatefulSet/db")));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      kube.deploymentReady("web", 2);
      kube.statefulSetReady("db", 2);
      step.keepsWaiting(Duration.ofMillis(200));
      kube.deploymentReady("web", 3);

      assertThat(step.result()).isEqualTo("Deployment anyshare/web, StatefulSet anyshare/db ready");
    }
    assertThat(context.actions()).containsExactly("watch Deployment anyshare/web, StatefulSet anyshare/db until ready");
  }

  @Test
  void aStatusForAnOlderGenerationDoesNotCount() throws Exception {
    kube.deployment("web", 1);
    kube.deploymentReady("web", 1);
    client.apps().deployments().inNamespace("anyshare").withName("web").scale(2);
    client.apps().deployments().inNamespace("anyshare").withName("web").editStatus(d -> {
      d.getStatus().setReadyReplicas(2);
      d.getStatus().setUpdatedReplicas(2);
      return d;
    });
    var context = new RecordingContext(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web")));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      kube.deploymentReady("web", 2);
      assertThat(step.result()).isEqualTo("Deployment anyshare/web ready");
    }
  }

  @Test
  void withoutWorkloadsEveryWorkloadOfTheNamespaceCountsDaemonSetsToo() throws Exception {
    kube.deployment("web", 1);
    kube.deploymentReady("web", 1);
    kube.daemonSet("agent");
    kube.daemonSetReady("agent", 3, 2);
    var context = new RecordingContext(Map.of("namespace", "anyshare"));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      kube.daemonSetReady("agent", 3, 3);
      assertThat(step.result()).isEqualTo("every Deployment, StatefulSet and DaemonSet of namespace anyshare ready");
    }
  }

  @Test
  void returnsAtOnceWhenAlreadyReady() throws Exception {
    kube.deployment("web", 2);
    kube.deploymentReady("web", 2);
    assertThat(wait.execute(new RecordingContext(Map.of("namespace", "anyshare", "workloads",
        List.of("Deployment/web"))))).isEqualTo("Deployment anyshare/web ready");
  }

  @Test
  void anInterruptEndsTheWaitPromptlySayingWhatWasNotReady() throws Exception {
    kube.deployment("web", 2);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web")));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      assertThat(step.interrupt()).isInstanceOf(InterruptedException.class);
    }
    assertThat(context.infos()).contains("stopped waiting for Deployment anyshare/web to be ready (Deployment anyshare/web:"
        + " its controller has not seen its latest change yet)");
  }

  @Test
  void aNamedWorkloadThatDoesNotExistFailsAtOnce() {
    assertThatThrownBy(() -> wait.execute(new RecordingContext(Map.of("namespace", "anyshare",
        "workloads", List.of("Deployment/ghost", "DaemonSet/agent"))))).isInstanceOf(StepFailedException.class)
        .hasMessage("not found, so never ready: Deployment anyshare/ghost, DaemonSet anyshare/agent");
  }

  @Test
  void previewAndParams() {
    assertThat(wait.preview(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web"))).actions())
        .containsExactly("wait until Deployment anyshare/web is ready: ready = updated = desired replicas, latest change"
            + " seen by the controller (by watch)");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "workloads", List.of("Pod/web-1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait.workloads-ready: param 'workloads': kind 'Pod' is not one of Deployment, StatefulSet, DaemonSet");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "workload", List.of("Deployment/web"))))
        .hasMessage("wait.workloads-ready: unknown param 'workload'; wait.workloads-ready takes namespace, workloads");
  }
}
