package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code wait.deleted}: by watch, the test deleting the objects. */
class WaitDeletedTest extends KubeStepTest {

  final WaitDeleted wait = new WaitDeleted(cluster.kubernetes);

  @Test
  void endsWhenTheNamedObjectIsDeleted() throws Exception {
    kube.deployment("web", 1);
    kube.deployment("api", 1);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "kind", "Deployment", "name", "web"));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      client.apps().deployments().inNamespace("anyshare").withName("api").delete();
      step.keepsWaiting(Duration.ofMillis(200));
      client.apps().deployments().inNamespace("anyshare").withName("web").delete();

      assertThat(step.result()).isEqualTo("Deployment anyshare/web is gone");
    }
    assertThat(context.actions()).containsExactly("watch Deployment anyshare/web until gone");
  }

  @Test
  void endsWhenNoObjectMatchesTheSelectorAnyMore() throws Exception {
    kube.configMap("a", Map.of("app", "web"), Map.of());
    kube.configMap("b", Map.of("app", "web"), Map.of());
    var context = new RecordingContext(Map.of("namespace", "anyshare", "kind", "ConfigMap", "selector", "app=web"));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      client.configMaps().inNamespace("anyshare").withLabel("app", "web").delete();

      assertThat(step.result()).isEqualTo("no ConfigMap matching app=web in namespace anyshare is left");
    }
  }

  @Test
  void returnsAtOnceWhenThereIsNoSuchObject() throws Exception {
    assertThat(wait.execute(new RecordingContext(Map.of("kind", "PersistentVolume", "name", "pv-1"))))
        .isEqualTo("PersistentVolume pv-1 is gone");
  }

  @Test
  void anInterruptEndsTheWaitPromptly() throws Exception {
    kube.node("node-3");
    var context = new RecordingContext(Map.of("kind", "Node", "name", "node-3"));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      assertThat(step.interrupt()).isInstanceOf(InterruptedException.class);
    }
    assertThat(context.infos()).contains("stopped waiting for Node node-3 to be gone (still there: node-3)");
  }

  @Test
  void previewAndParams() {
    assertThat(wait.preview(Map.of("namespace", "anyshare", "kind", "PersistentVolumeClaim", "name", "data-kafka-0"))
        .actions()).containsExactly("wait until PersistentVolumeClaim anyshare/data-kafka-0 is gone (by watch)");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "kind", "Pod", "name", "a", "selector", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait.deleted: give either 'name' or 'selector', not both");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "kind", "Pod")))
        .hasMessage("wait.deleted: give either 'name' or 'selector'");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "name", "web")))
        .hasMessage("wait.deleted: param 'kind' is missing");
    assertThatThrownBy(() -> wait.preview(Map.of("namespace", "anyshare", "object", "Pod/web")))
        .hasMessage("wait.deleted: unknown param 'object'; wait.deleted takes namespace, kind, name, selector");
  }
}
