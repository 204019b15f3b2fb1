package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.lockstep.lab.LabCommandException;
import io.lockstep.lab.LabSeed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform-level effects of {@code helm3 delete} and {@code proton-cli get conf / apply}. */
class LabKubeCommandsTest {

  static final Map<String, String> MOVES = Map.of("node-1", "node-4", "node-2", "node-5", "node-3", "node-6");

  @TempDir
  static Path state;

  static RunningLab lab;

  @BeforeAll
  static void start() {
    lab = RunningLab.start(state);
  }

  @AfterEach
  void backToTheSeed() {
    lab.reset();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void helmDeleteUninstallsReleasesInOrderAndStopsAtTheFirstMissingOne() throws Exception {
    assertThat(lab.kube.helmDelete("resource", List.of("kafka"))).containsExactly("release \"kafka\" uninstalled");
    assertThat(lab.client.apps().statefulSets().inNamespace("resource").withName("kafka").get()).isNull();
    assertThat(lab.client.secrets().inNamespace("resource").withName("sh.helm.release.v1.kafka.v1").get()).isNull();
    assertThat(lab.client.services().inNamespace("resource").withName("kafka-headless").get()).isNull();
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods("resource", "app", "kafka").isEmpty());
    assertThat(lab.client.persistentVolumeClaims().inNamespace("resource").withLabel("app", "kafka").list().getItems())
        .as("claims made from volumeClaimTemplates are not part of the release").hasSize(3);

    assertThatThrownBy(() -> lab.kube.helmDelete("resource", List.of("grafana", "no-such-release", "prometheus")))
        .isInstanceOfSatisfying(LabCommandException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("Error: uninstall: Release not loaded: no-such-release: release: not found");
          assertThat(e.exitStatus()).isEqualTo(1);
        });
    assertThat(lab.client.apps().statefulSets().inNamespace("resource").withName("grafana").get()).isNull();
    assertThat(lab.client.apps().statefulSets().inNamespace("resource").withName("prometheus").get()).isNotNull();
  }

  @Test
  void deletingAnOperatorsCustomResourceTakesItsStatefulSetAndPodsButNotItsVolumes() {
    LabSeed.Component mariadb = lab.seed.component("mariadb").orElseThrow();
    BaseComponent component = new BaseComponent(mariadb, "resource");
    lab.client.genericKubernetesResources(component.crType()).inNamespace("resource").withName("mariadb").delete();
    await().atMost(RunningLab.PATIENCE).until(() ->
        lab.client.apps().statefulSets().inNamespace("resource").withName("mariadb-mariadb").get() == null
            && lab.pods("resource", "app", "mariadb-mariadb").isEmpty());
    assertThat(lab.client.persistentVolumes().withLabel("app", "mariadb-mariadb").list().getItems()).hasSize(3);
    assertThat(lab.client.persistentVolumeClaims().inNamespace("resource").withLabel("app", "mariadb-mariadb")
        .list().getItems()).hasSize(3);
  }

  /** P1 on the lab: add the new nodes, uninstall, reinstall every component on the new nodes, drop the old ones. */
  @Test
  void applyAddsNodesThenMovesEveryComponentToThemAndRemovesTheOldOnes() throws Exception {
    List<String> joined = new ArrayList<>();
    lab.kube.applyProtonConf(withNewMasters(ConfFile.of(lab.kube.protonConf())).yaml(),
        Optional.of("lab-root-secret"), joined::add);
    assertThat(joined).contains("[kubesuite] node node-4 joined the control plane", "apply succeeded");
    assertThat(lab.client.nodes().withName("node-4").get().getMetadata().getLabels())
        .containsKey(NodeObjects.CONTROL_PLANE);
    await().atMost(RunningLab.PATIENCE).until(() -> PodObjects.ready(
        lab.client.pods().inNamespace("kube-system").withName("kube-apiserver-node-4").get()));
    assertThat(ProtonConf.parse(lab.kube.protonConf()).nodeNames())
        .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");

    uninstallEverything();

    ConfFile conf = ConfFile.of(lab.kube.protonConf());
    for (LabSeed.Component component : lab.seed.components()) {
      conf.withHosts(component.confKey(), component.nodes().stream().map(MOVES::get).toList())
          .withDataPath(component.confKey(), component.dataPath() + "-moved");
    }
    MOVES.keySet().forEach(conf::without);
    List<String> progress = new ArrayList<>();
    assertThatThrownBy(() -> lab.kube.applyProtonConf(conf.yaml(), Optional.empty(), progress::add))
        .isInstanceOfSatisfying(LabCommandException.class, e -> assertThat(e.getMessage()).startsWith("[kubesuite] error"));
    lab.kube.applyProtonConf(conf.yaml(), Optional.empty(), progress::add);
    assertThat(progress).contains("[component] kafka installed on node-4,node-5,node-6",
        "[kubesuite] node node-1 removed from the cluster");

    assertThat(lab.client.nodes().list().getItems()).extracting(n -> n.getMetadata().getName())
        .containsExactlyInAnyOrder("node-4", "node-5", "node-6");
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> {
      for (LabSeed.Component seeded : lab.seed.components()) {
        BaseComponent component = new BaseComponent(seeded, "resource");
        for (int ordinal = 0; ordinal < seeded.nodes().size(); ordinal++) {
          Pod pod = lab.client.pods().inNamespace("resource").withName(component.podName(ordinal)).get();
          assertThat(pod).as(component.podName(ordinal)).isNotNull();
          assertThat(pod.getSpec().getNodeName()).isEqualTo(MOVES.get(seeded.nodes().get(ordinal)));
          assertThat(PodObjects.ready(pod)).as(component.podName(ordinal) + " ready").isTrue();
        }
      }
    });
    ProtonConf applied = ProtonConf.parse(lab.kube.protonConf());
    assertThat(applied.placement("kafka")).contains(
        new Placement(List.of("node-4", "node-5", "node-6"), "/sysvol/kafka/kafka_data-moved"));
    String kafkaFile = ProtonSecrets.decode(lab.client.secrets().inNamespace("resource")
        .withName(ProtonSecrets.COMPONENTS).get().getData().get("kafka.yaml"));
    assertThat(kafkaFile).contains("- node-4", "- node-6", "data_path: /sysvol/kafka/kafka_data-moved")
        .doesNotContain("node-1");
    await().atMost(RunningLab.PATIENCE).until(() -> lab.client.pods().inAnyNamespace().list().getItems().stream()
        .allMatch(p -> PodObjects.ready(p) && MOVES.containsValue(p.getSpec().getNodeName())));
  }

  private static void uninstallEverything() throws LabCommandException {
    List<String> releases = lab.seed.components().stream().filter(LabSeed.Component::helm)
        .map(LabSeed.Component::name).toList();
    lab.kube.helmDelete("resource", releases);
    for (LabSeed.Component seeded : lab.seed.components().stream().filter(c -> !c.helm()).toList()) {
      BaseComponent component = new BaseComponent(seeded, "resource");
      lab.client.genericKubernetesResources(component.crType()).inNamespace("resource")
          .withName(seeded.operator().crName()).delete();
      await().atMost(RunningLab.PATIENCE).until(() -> lab.client.genericKubernetesResources(component.crType())
          .inNamespace("resource").withName(seeded.operator().crName()).get() == null);
      String key = seeded.operator().labelKey();
      String value = seeded.operator().labelValue();
      lab.client.persistentVolumeClaims().inNamespace("resource").withLabel(key, value).delete();
      lab.client.persistentVolumes().withLabel(key, value).delete();
    }
  }

  private static ConfFile withNewMasters(ConfFile conf) {
    for (String node : List.of("node-4", "node-5", "node-6")) {
      conf.withMaster(lab.seed.node(node).orElseThrow());
    }
    return conf;
  }
}
