package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code wait.pods-gone}: by watch, with the test deleting pods as a controller would. */
class WaitPodsGoneTest extends KubeStepTest {

  final WaitPodsGone wait = new WaitPodsGone(cluster.kubernetes);

  @Test
  void endsWhenTheLastPodOfTheWorkloadIsDeleted() throws Exception {
    kube.deployment("web", 0);
    kube.pod("web-1", "web", "node-1");
    kube.pod("web-2", "web", "node-2");
    kube.pod("api-1", "api", "node-1");
    var context = new RecordingContext(Map.of("namespace", "anyshare", "workload", "Deployment/web"));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      client.pods().inNamespace("anyshare").withName("web-1").delete();
      step.keepsWaiting(Duration.ofMillis(200));
      client.pods().inNamespace("anyshare").withName("web-2").delete();

      assertThat(step.result()).isEqualTo("no pod of Deployment anyshare/web is left");
    }
    assertThat(client.pods().inNamespace("anyshare").withName("api-1").get()).isNotNull();
    assertThat(context.actions()).containsExactly("watch every pod of Deployment anyshare/web until none is left"
        + " (pods Succeeded count as gone)");
  }

  @Test
  void returnsAtOnceWhenNoPodIsLeftAndSucceededPodsCountAsGone() throws Exception {
    kube.pod("job-1", "job", "node-1");
    kube.podPhase("job-1", "Succeeded");
    kube.pod("other", "web-1", "web", "node-1");

    assertThat(wait.execute(new RecordingContext(Map.of("namespace", "anyshare"))))
        .isEqualTo("no pod of namespace anyshare is left");
  }

  @Test
  void ignorePhasesReplacesTheDefault() throws Exception {
    kube.pod("job-1", "job", "node-1");
    kube.podPhase("job-1", "Failed");
    var context = new RecordingContext(Map.of("namespace", "anyshare", "selector", "app=job",
        "ignore_phases", List.of("Failed")));

    assertThat(wait.execute(context)).isEqualTo("no pod matching app=job in namespace anyshare is left");
  }

  @Test
  void aSelectorNarrowsTheWaitAndAnInterruptEndsItPromptly() throws Exception {
    kube.pod("web-1", "web", "node-1");
    var context = new RecordingContext(Map.of("namespace", "anyshare", "selector", "app=web"));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      assertThat(step.interrupt()).isInstanceOf(InterruptedException.class);
    }
    assertThat(context.infos()).contains("stopped waiting for every pod matching app=web in namespace anyshare to be"
        + " gone (1 pod left: web-1)");
  }

  @Test
  void aWorkloadThatDoesNotExistFails() {
    assertThatThrownBy(() -> wait.execute(new RecordingContext(Map.of("namespace", "anyshare",
        "workload", "StatefulSet/kafka")))).isInstanceOf(StepFailedException.class)
        .hasMessage("StatefulSet anyshare/kafka does not exist, so which pods are its pods is unknown; give a selector"
            + " instead");
  }

  @Test
  void previewSaysWhichPods() {
    assertThat(wait.preview(Map.of("namespace", "anyshare", "workload", "Deployment/web")).actions())
        .containsExactly("wait until no pod of Deployment anyshare/web is left (pods Succeeded count as gone) (by watch)");
    assertThat(wait.preview(Map.of("namespace", "anyshare", "workload", "Deployment/web", "selector", "tier=front",
        "ignore_phases", List.of("Succeeded", "Failed"))).actions()).containsExactly("wait until no pod of Deployment"
            + " anyshare/web with labels tier=front is left (pods Succeeded or Failed count as gone) (by watch)");
  }

  @Test
  void badParamsAreRefused() {
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "workload", "Service/web")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait.pods-gone: param 'workload': kind 'Service' is not one of Deployment, StatefulSet, DaemonSet");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "ignore_phases", List.of("Done"))))
        .hasMessageStartingWith("wait.pods-gone: param 'ignore_phases' names 'Done', which is not a pod phase");
    assertThatThrownBy(() -> wait.preview(Map.of("workload", "Deployment/web")))
        .hasMessage("wait.pods-gone: param 'namespace' is missing");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "selector", "app in (web")))
        .hasMessageStartingWith("wait.pods-gone: param 'selector': label selector 'app in (web'");
  }
}
