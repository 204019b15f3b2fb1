package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code k8s.patch}: a JSON merge patch, the previous values recorded first. */
class PatchObjectTest extends KubeStepTest {

  final PatchObject patch = new PatchObject(cluster.kubernetes);

  @Test
  void patchesTheObjectRecordingThePreviousValuesOfThePatchedFields() throws Exception {
    kube.deployment("web", 3);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", Map.of("spec", Map.of("replicas", 1), "metadata", Map.of("labels", Map.of("maintenance", "on")))));

    assertThat(patch.execute(context)).isEqualTo("patched Deployment anyshare/web");

    var web = client.apps().deployments().inNamespace("anyshare").withName("web").get();
    assertThat(web.getSpec().getReplicas()).isEqualTo(1);
    assertThat(web.getMetadata().getLabels()).containsEntry("maintenance", "on").containsEntry("app", "web");
    assertThat(context.records().recorded().get("patched/anyshare/Deployment/web/maintenance.kube-step"))
        .satisfiesAnyOf(
            r -> assertThat(r).isEqualTo("{\"spec\":{\"replicas\":3},\"metadata\":{\"labels\":{\"maintenance\":null}}}"),
            r -> assertThat(r).isEqualTo("{\"metadata\":{\"labels\":{\"maintenance\":null}},\"spec\":{\"replicas\":3}}"));
    assertThat(context.actions()).singleElement().asString()
        .startsWith("patch Deployment anyshare/web with JSON merge patch {");
  }

  @Test
  void aRerunKeepsTheValuesFromBeforeTheFirstAttempt() throws Exception {
    kube.deployment("web", 3);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", Map.of("spec", Map.of("replicas", 1))));
    patch.execute(context);
    patch.execute(context.rerun());

    assertThat(context.records().recorded()).containsExactlyEntriesOf(Map.of(
        "patched/anyshare/Deployment/web/maintenance.kube-step", "{\"spec\":{\"replicas\":3}}"));
  }

  @Test
  void patchesAClusterScopedObjectWithoutNamespace() throws Exception {
    kube.node("node-3");
    var context = new RecordingContext(Map.of("object", "Node/node-3",
        "patch", Map.of("metadata", Map.of("labels", Map.of("lockstep/maintenance", "true")))));

    patch.execute(context);

    assertThat(client.nodes().withName("node-3").get().getMetadata().getLabels())
        .containsEntry("lockstep/maintenance", "true");
    assertThat(context.records().recorded()).containsKey("patched/Node/node-3/maintenance.kube-step");
  }

  @Test
  void aSecretsDataIsNeitherRecordedNorShown() throws Exception {
    kube.secret("db", Map.of("password", "old-secret"));
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "Secret/db",
        "patch", Map.of("stringData", Map.of("password", "new-secret"))));

    patch.execute(context);

    assertThat(client.secrets().inNamespace("anyshare").withName("db").get().getStringData())
        .containsEntry("password", "new-secret");
    assertThat(context.records().recorded()).containsExactlyEntriesOf(Map.of(
        "patched/anyshare/Secret/db/maintenance.kube-step", "{\"stringData\":{\"password\":\"(not recorded)\"}}"));
    assertThat(context.actions()).containsExactly(
        "patch Secret anyshare/db with JSON merge patch {\"stringData\":{\"password\":\"***\"}}");
    assertThat(String.join("\n", context.infos()) + patch.preview(context.params()))
        .doesNotContain("old-secret", "new-secret");
  }

  @Test
  void previewShowsThePatchAndADiffOfThePatchedFields() {
    kube.deployment("web", 3);
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("spec", Map.of("replicas", 0));
    var preview = patch.preview(Map.of("namespace", "anyshare", "object", "Deployment/web", "patch", change));

    assertThat(preview.actions()).containsExactly("patch Deployment anyshare/web with JSON merge patch"
        + " {\"spec\":{\"replicas\":0}} (recording the previous values of these fields first, once)");
    assertThat(preview.diff()).isEqualTo("""
        --- Deployment anyshare/web
        +++ Deployment anyshare/web (patched)
        @@ patched fields @@
        -spec.replicas: 3
        +spec.replicas: 0
        """);
    assertThat(client.apps().deployments().inNamespace("anyshare").withName("web").get().getSpec().getReplicas())
        .isEqualTo(3);
  }

  @Test
  void anObjectThatDoesNotExistFailsWithNothingRecorded() {
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "ConfigMap/settings",
        "patch", Map.of("data", Map.of("a", "b"))));
    assertThatThrownBy(() -> patch.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("ConfigMap anyshare/settings does not exist: nothing was patched");
    assertThat(context.records().recorded()).isEmpty();
  }

  @Test
  void badParamsAreRefusedBeforeAnyApiCall() {
    int requests = cluster.server.getRequestCount();
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", "{\"spec\":{}}"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k8s.patch: param 'patch' must be a map, not '{\"spec\":{}}'");
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", Map.of())))
        .hasMessage("k8s.patch: param 'patch' is empty");
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", Map.of("metadata", Map.of("name", "other")))))
        .hasMessage("k8s.patch: param 'patch' sets 'metadata.name', which a patch cannot change");
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", Map.of("kind", "StatefulSet"))))
        .hasMessage("k8s.patch: param 'patch' sets 'kind', which a patch cannot change");
    assertThatThrownBy(() -> patch.preview(Map.of("object", "Deployment/web", "patch", Map.of("spec", Map.of()))))
        .hasMessage("k8s.patch: param 'object': Deployment web needs a namespace: give param 'namespace'");
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "object", "Node/node-3",
        "patch", Map.of("spec", Map.of()))))
        .hasMessage("k8s.patch: param 'object': Node belongs to no namespace: leave param 'namespace' out");
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "object", "Ingress/web",
        "patch", Map.of("spec", Map.of()))))
        .hasMessageStartingWith("k8s.patch: param 'object': kind 'Ingress' is not one of Deployment, StatefulSet");
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "patch", Map.of("spec", Map.of()))))
        .hasMessage("k8s.patch: param 'object' is missing");
    assertThatThrownBy(() -> patch.preview(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", Map.of("spec", Map.of()), "type", "merge")))
        .hasMessage("k8s.patch: unknown param 'type'; k8s.patch takes namespace, object, patch");
    assertThat(cluster.server.getRequestCount()).isEqualTo(requests);
  }

  @Test
  void listsInThePatchReplaceWholeAndAreRecordedWhole() throws Exception {
    kube.deployment("web", 1);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "object", "Deployment/web",
        "patch", Map.of("spec", Map.of("template", Map.of("spec", Map.of("nodeSelector", Map.of("zone", "b"),
            "tolerations", List.of(Map.of("key", "maintenance", "operator", "Exists"))))))));

    patch.execute(context);

    assertThat(context.records().recorded().values()).singleElement().asString()
        .contains("\"nodeSelector\":null", "\"tolerations\":null");
    assertThat(client.apps().deployments().inNamespace("anyshare").withName("web").get().getSpec().getTemplate()
        .getSpec().getNodeSelector()).containsEntry("zone", "b");
  }
}
