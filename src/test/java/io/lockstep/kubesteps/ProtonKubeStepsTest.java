package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The executors P1 adds to the Kubernetes steps: parking DaemonSets, a rollout restart, deleting an
 * operator's custom resource and waiting for pods to be ready — against the mock API in CRUD mode.
 */
class ProtonKubeStepsTest extends KubeStepTest {

  static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext NEBULA =
      new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup("app.nebula-graph.io")
          .withVersion("v1alpha1").withKind("NebulaCluster").withPlural("nebulaclusters").withNamespaced(true).build();

  final ParkDaemonSets park = new ParkDaemonSets(cluster.kubernetes);

  @Test
  void parkingAddsTheSelectorRecordingTheOriginalAndUnparkingPutsItBack() throws Exception {
    kube.daemonSet("log-agent");
    client.apps().daemonSets().inNamespace("anyshare").resource(new DaemonSetBuilder(kube.daemonSet("node-exporter"))
        .editSpec().editTemplate().editSpec().withNodeSelector(Map.of("kubernetes.io/os", "linux")).endSpec()
        .endTemplate().endSpec().build()).update();
    var parking = new RecordingContext(Map.of("namespace", "anyshare", "park", true));

    assertThat(park.execute(parking)).isEqualTo("parked 2 of 2 DaemonSets of anyshare");
    assertThat(selector("log-agent")).containsExactly(Map.entry("stop-by-admin", "true"));
    assertThat(selector("node-exporter")).containsOnly(Map.entry("kubernetes.io/os", "linux"),
        Map.entry("stop-by-admin", "true"));
    assertThat(parking.records().recorded()).containsEntry("parked/anyshare/log-agent", "{}")
        .containsEntry("parked/anyshare/node-exporter", "{\"kubernetes.io/os\":\"linux\"}");

    var again = parking.rerun();
    assertThat(park.execute(again)).as("a rerun keeps the first record").isEqualTo("parked 0 of 2 DaemonSets of anyshare");
    assertThat(again.records().recorded()).containsEntry("parked/anyshare/log-agent", "{}");

    var unparking = parking.next(Map.of("namespace", "anyshare", "park", false));
    assertThat(park.execute(unparking)).isEqualTo("un-parked 2 of 2 DaemonSets of anyshare");
    assertThat(selector("log-agent")).isEmpty();
    assertThat(selector("node-exporter")).containsExactly(Map.entry("kubernetes.io/os", "linux"));
    assertThat(unparking.records().isSettled("parked/anyshare/log-agent")).isTrue();
    assertThat(park.execute(unparking.rerun())).as("un-parking again changes nothing")
        .isEqualTo("un-parked 0 of 2 DaemonSets of anyshare");
  }

  @Test
  void aDaemonSetParkedBeforeTheRunStaysParked() throws Exception {
    client.apps().daemonSets().inNamespace("anyshare").resource(new DaemonSetBuilder(kube.daemonSet("old"))
        .editSpec().editTemplate().editSpec().withNodeSelector(Map.of("stop-by-admin", "true")).endSpec()
        .endTemplate().endSpec().build()).update();
    var parking = new RecordingContext(Map.of("namespace", "anyshare"));
    park.execute(parking);
    park.execute(parking.next(Map.of("namespace", "anyshare", "park", false)));

    assertThat(selector("old")).containsExactly(Map.entry("stop-by-admin", "true"));
  }

  @Test
  void rolloutRestartSetsTheTemplateAnnotation() throws Exception {
    kube.deployment("proton-rds-mariadb-operator-system", "controller-manager", 1);
    var restart = new RolloutRestart(cluster.kubernetes, Clock.fixed(Instant.parse("2026-11-28T22:00:00Z"), ZoneOffset.UTC));
    var context = new RecordingContext(Map.of("namespace", "proton-rds-mariadb-operator-system",
        "object", "Deployment/controller-manager"));

    restart.execute(context);

    assertThat(client.apps().deployments().inNamespace("proton-rds-mariadb-operator-system")
        .withName("controller-manager").get().getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-11-28T22:00:00Z");
    assertThat(context.actions()).containsExactly(
        "rollout restart Deployment proton-rds-mariadb-operator-system/controller-manager");
    assertThatThrownBy(() -> restart.execute(new RecordingContext(Map.of("namespace", "x", "object", "Deployment/gone"))))
        .hasMessageContaining("Deployment x/gone does not exist");
  }

  @Test
  void deletesACustomResourceRecordingItAsSecretAndWaitsUntilItIsGone() throws Exception {
    GenericKubernetesResource cr = new GenericKubernetesResourceBuilder().withApiVersion("app.nebula-graph.io/v1alpha1")
        .withKind("NebulaCluster").withNewMetadata().withName("nebula").withNamespace("resource").endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("password", "n3bula-Pa55"))).build();
    client.genericKubernetesResources(NEBULA).inNamespace("resource").resource(cr).create();
    var delete = new DeleteCustomResource(cluster.kubernetes);
    var context = new RecordingContext(Map.of("api_version", "app.nebula-graph.io/v1alpha1", "kind", "NebulaCluster",
        "plural", "nebulaclusters", "namespace", "resource", "name", "nebula"), Duration.ofSeconds(20));

    assertThat(delete.execute(context)).isEqualTo("deleted NebulaCluster resource/nebula (app.nebula-graph.io/v1alpha1)");

    assertThat(client.genericKubernetesResources(NEBULA).inNamespace("resource").withName("nebula").get()).isNull();
    assertThat(context.records().isSecret("deleted/resource/NebulaCluster/nebula")).isTrue();
    assertThat(context.records().recorded().get("deleted/resource/NebulaCluster/nebula")).contains("n3bula-Pa55");
    assertThat(String.join("\n", context.log())).doesNotContain("n3bula-Pa55");
    assertThat(delete.execute(context.rerun())).isEqualTo("nothing to delete");
  }

  @Test
  void customResourceParamsAreChecked() {
    var delete = new DeleteCustomResource(cluster.kubernetes);
    assertThatThrownBy(() -> delete.preview(Map.of("api_version", "v1; rm -rf /", "kind", "NebulaCluster", "plural", "n", "name", "x")))
        .hasMessageContaining("api_version");
    assertThatThrownBy(() -> delete.preview(Map.of("api_version", "a.b/v1", "kind", "nebula cluster", "plural", "n", "name", "x")))
        .hasMessageContaining("kind");
  }

  @Test
  void waitsUntilEveryPodOfTheNamespacesIsReadyOrCompleted() throws Exception {
    client.pods().inNamespace("kube-system").resource(pod("kube-system", "coredns-1", "Running", false)).create();
    client.pods().inNamespace("kube-system").resource(pod("kube-system", "job-1", "Succeeded", false)).create();
    client.pods().inNamespace("resource").resource(pod("resource", "kafka-0", "Running", true)).create();
    var wait = new WaitPodsReady(cluster.kubernetes);
    var context = new RecordingContext(Map.of("namespaces", List.of("kube-system", "resource")));

    try (var step = Background.execute(wait, context)) {
      step.keepsWaiting(Duration.ofMillis(400));
      client.pods().inNamespace("kube-system").resource(pod("kube-system", "coredns-1", "Running", true)).update();
      assertThat(step.result()).isEqualTo("every pod of kube-system, resource is ready or completed");
    }
  }

  @Test
  void backsUpWholeSecretsFoundByNameWithoutShowingAValue() throws Exception {
    client.secrets().inNamespace("proton").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("proton-cli-config").withNamespace("proton").endMetadata()
        .withData(Map.of("ssh-password", java.util.Base64.getEncoder().encodeToString("r00t-Secret".getBytes()))).build()).create();
    var backup = new BackupSecrets(cluster.kubernetes);
    var context = new RecordingContext(Map.of("names", List.of("proton-cli-config")));

    assertThat(backup.execute(context)).isEqualTo("kept proton/proton-cli-config (1 keys)");

    assertThat(context.records().isSecret("exported/proton/proton-cli-config")).isTrue();
    assertThat(context.records().recorded().get("exported/proton/proton-cli-config")).contains("ssh-password");
    assertThat(String.join("\n", context.log())).doesNotContain("r00t-Secret").contains("key ssh-password: 11 bytes");
    assertThatThrownBy(() -> backup.execute(new RecordingContext(Map.of("names", List.of("missing")))))
        .hasMessage("there is no Secret named missing in any namespace");
  }

  private static io.fabric8.kubernetes.api.model.Pod pod(String namespace, String name, String phase, boolean ready) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec().withNodeName("node-1").endSpec()
        .withNewStatus().withPhase(phase).addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .endCondition().endStatus().build();
  }

  private Map<String, String> selector(String daemonSet) {
    Map<String, String> selector = client.apps().daemonSets().inNamespace("anyshare").withName(daemonSet).get()
        .getSpec().getTemplate().getSpec().getNodeSelector();
    return selector == null ? Map.of() : selector;
  }
}
