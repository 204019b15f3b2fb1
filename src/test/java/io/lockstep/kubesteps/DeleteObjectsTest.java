package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code k8s.delete}: records first, deletes by name, waits by watch until gone. */
class DeleteObjectsTest extends KubeStepTest {

  final DeleteObjects delete = new DeleteObjects(cluster.kubernetes);

  @Test
  void deletesOneObjectRecordingItsJsonFirst() throws Exception {
    kube.configMap("settings", Map.of("app", "web"), Map.of("mode", "fast"));
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "ConfigMap/settings"));

    assertThat(delete.execute(context)).isEqualTo("deleted ConfigMap anyshare/settings");

    assertThat(client.configMaps().inNamespace("anyshare").withName("settings").get()).isNull();
    String record = context.records().recorded().get("deleted/anyshare/ConfigMap/settings");
    assertThat(record).contains("\"kind\":\"ConfigMap\"", "\"name\":\"settings\"", "\"mode\":\"fast\"")
        .doesNotContain("resourceVersion", "uid", "creationTimestamp");
    assertThat(context.actions()).containsExactly("delete ConfigMap anyshare/settings");
  }

  @Test
  void withASelectorDeletesEachMatchingObjectAndLeavesTheRest() throws Exception {
    kube.pod("web-1", "web", "node-1");
    kube.pod("web-2", "web", "node-2");
    kube.pod("api-1", "api", "node-1");
    var context = new RecordingContext(Map.of("namespace", "anyshare", "kind", "Pod", "selector", "app=web"));

    assertThat(delete.execute(context)).isEqualTo("deleted 2 objects: every Pod matching app=web in namespace anyshare");

    assertThat(client.pods().inNamespace("anyshare").list().getItems()).extracting(p -> p.getMetadata().getName())
        .containsExactly("api-1");
    assertThat(context.records().recorded()).containsOnlyKeys("deleted/anyshare/Pod/web-1", "deleted/anyshare/Pod/web-2");
    assertThat(context.actions()).containsExactly("delete Pod anyshare/web-1", "delete Pod anyshare/web-2");
  }

  @Test
  void waitsByWatchUntilAnObjectHeldByAFinalizerIsGone() throws Exception {
    client.configMaps().inNamespace("anyshare").resource(new ConfigMapBuilder().withNewMetadata().withName("held")
        .withFinalizers("lockstep.io/test").endMetadata().build()).create();
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "ConfigMap/held"));

    try (var step = Background.execute(delete, context)) {
      step.keepsWaiting(Duration.ofMillis(300));
      assertThat(client.configMaps().inNamespace("anyshare").withName("held").get().getMetadata().getDeletionTimestamp())
          .isNotNull();
      client.configMaps().inNamespace("anyshare").withName("held").edit(c -> new ConfigMapBuilder(c).editMetadata()
          .withFinalizers().endMetadata().build());

      assertThat(step.result()).isEqualTo("deleted ConfigMap anyshare/held");
    }
  }

  @Test
  void aSecretIsRecordedByNameOnly() throws Exception {
    kube.secret("db", Map.of("password", "s3cret"));
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "Secret/db"));

    delete.execute(context);

    assertThat(context.records().recorded()).containsExactlyEntriesOf(Map.of(
        "deleted/anyshare/Secret/db", "Secret anyshare/db (its data is not recorded)"));
    assertThat(context.infos()).contains("Secrets are recorded by name only: their data is not kept and cannot be"
        + " restored from this run");
    assertThat(String.join("\n", context.infos()) + context.actions()).doesNotContain("s3cret");
  }

  @Test
  void nothingToDeleteIsNoFailureSoTheStepCanBeRepeated() throws Exception {
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "Service/web"));
    assertThat(delete.execute(context)).isEqualTo("nothing to delete");
    assertThat(context.infos()).contains("Service anyshare/web does not exist; nothing to delete");
    assertThat(delete.execute(new RecordingContext(Map.of("kind", "PersistentVolume", "selector", "app=gone"))))
        .isEqualTo("nothing to delete");
  }

  @Test
  void previewSaysWhatIsDeletedAndRecorded() {
    assertThat(delete.preview(Map.of("namespace", "anyshare", "kind", "Secret", "selector", "app=web")).actions())
        .containsExactly("delete every Secret matching app=web in namespace anyshare (recording each first, once, by"
            + " name only: Secret data is never recorded)", "wait until they are gone (by watch)");
    assertThat(delete.preview(Map.of("object", "PersistentVolume/pv-data-0")).actions())
        .containsExactly("delete PersistentVolume pv-data-0 (recording it first, once)", "wait until it is gone (by watch)");
  }

  @Test
  void badParamsAreRefusedBeforeAnyApiCall() {
    int requests = cluster.server.getRequestCount();
    assertThatThrownBy(() -> delete.preview(Map.of("namespace", "anyshare", "object", "Pod/web-1", "kind", "Pod")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k8s.delete: give either 'object' (Kind/name) or 'kind' with 'selector', not both");
    assertThatThrownBy(() -> delete.preview(Map.of("namespace", "anyshare", "kind", "Pod")))
        .hasMessage("k8s.delete: 'kind' needs a 'selector'");
    assertThatThrownBy(() -> delete.preview(Map.of("namespace", "anyshare")))
        .hasMessage("k8s.delete: give 'object' (Kind/name) or 'kind' with 'selector'");
    assertThatThrownBy(() -> delete.preview(Map.of("namespace", "anyshare", "kind", "Node", "selector", "a=b")))
        .hasMessage("k8s.delete: Node belongs to no namespace: leave param 'namespace' out");
    assertThatThrownBy(() -> delete.preview(Map.of("kind", "ConfigMap", "selector", "a=b")))
        .hasMessage("k8s.delete: ConfigMap objects live in a namespace: give param 'namespace'");
    assertThatThrownBy(() -> delete.preview(Map.of("namespace", "anyshare", "kind", "Deploymnt", "selector", "a=b")))
        .hasMessageStartingWith("k8s.delete: param 'kind': kind 'Deploymnt' is not one of Deployment");
    assertThatThrownBy(() -> delete.preview(Map.of("namespace", "anyshare", "object", "Pod/web 1")))
        .hasMessageStartingWith("k8s.delete: param 'object': Pod name 'web 1' is not a valid Kubernetes name");
    assertThatThrownBy(() -> delete.preview(Map.of("namespace", "anyshare", "name", "web")))
        .hasMessage("k8s.delete: unknown param 'name'; k8s.delete takes namespace, object, kind, selector");
    assertThat(cluster.server.getRequestCount()).isEqualTo(requests);
  }
}
