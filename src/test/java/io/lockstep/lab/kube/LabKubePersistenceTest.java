package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab keeps its cluster across a stop and a start on the same state directory. */
class LabKubePersistenceTest {

  @TempDir
  Path state;

  @Test
  void aRestartedLabComesBackWithTheObjectsItHadStopped() throws Exception {
    String kafkaUid;
    String configBefore;
    try (RunningLab lab = RunningLab.start(state)) {
      lab.client.apps().deployments().inNamespace(lab.appNamespace()).withName("anyshare-web").scale(1);
      lab.client.apps().statefulSets().inNamespace(lab.appNamespace()).withName("content-indexer").scale(0);
      await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(lab.appNamespace(), "app", "anyshare-web").size() == 1
          && lab.pods(lab.appNamespace(), "app", "content-indexer").isEmpty());
      lab.kube.kubeletChanged("node-5", false);
      kafkaUid = lab.client.apps().statefulSets().inNamespace("resource").withName("kafka").get()
          .getMetadata().getUid();
      configBefore = lab.kube.protonConf();
    }
    assertThat(Files.list(state.resolve("cluster")).map(p -> p.getFileName().toString()))
        .contains(SnapshotFile.NAME, LabKube.NODE_AGENTS);
    assertThat(Files.readString(state.resolve("cluster").resolve(SnapshotFile.NAME)))
        .contains("\"path\":\"/apis/rds.proton.aishu.cn/v1/namespaces/resource/rdsmariadbclusters\"");

    try (RunningLab lab = RunningLab.restart(state)) {
      StatefulSet kafka = lab.client.apps().statefulSets().inNamespace("resource").withName("kafka").get();
      assertThat(kafka.getMetadata().getUid()).isEqualTo(kafkaUid);
      assertThat(lab.client.apps().deployments().inNamespace(lab.appNamespace()).withName("anyshare-web").get()
          .getSpec().getReplicas()).isEqualTo(1);
      assertThat(lab.pods(lab.appNamespace(), "app", "anyshare-web")).hasSize(1);
      assertThat(lab.pods(lab.appNamespace(), "app", "content-indexer")).isEmpty();
      assertThat(NodeObjects.ready(lab.client.nodes().withName("node-5").get())).isFalse();
      assertThat(lab.kube.protonConf()).isEqualTo(configBefore);

      lab.kube.kubeletChanged("node-5", true);
      lab.client.apps().statefulSets().inNamespace(lab.appNamespace()).withName("content-indexer").scale(2);
      await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(lab.appNamespace(), "app", "content-indexer").stream()
          .filter(PodObjects::ready).count() == 2);
      String created = lab.client.configMaps().inNamespace("default")
          .resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("after-restart")
              .endMetadata().build()).create().getMetadata().getUid();
      List<String> uids = lab.client.apps().statefulSets().inAnyNamespace().list().getItems().stream()
          .map(s -> s.getMetadata().getUid()).toList();
      assertThat(uids).doesNotContain(created);
    }
  }

  @Test
  void aLabSavedByAnEarlierVersionIsReadAndRewrittenInTheJournaledFormat() throws Exception {
    Path cluster = Files.createDirectories(state.resolve("cluster"));
    Files.writeString(cluster.resolve("core_v1_namespaces.json"), """
        [{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"kept","uid":"00000000-0000-0000-0000-000000000777",\
        "resourceVersion":"900"}}]""");
    Files.writeString(cluster.resolve("core_v1_configmaps.json"), """
        [{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings","namespace":"kept",\
        "resourceVersion":"901","labels":{"scale":"1e3"}},"data":{"a":"b"}}]""");
    try (RunningLab lab = RunningLab.restart(state)) {
      var kept = lab.client.configMaps().inNamespace("kept").withName("settings").get();
      assertThat(kept.getData()).containsEntry("a", "b");
      assertThat(kept.getMetadata().getLabels()).containsEntry("scale", "1e3");
      assertThat(lab.client.namespaces().withName("kept").get().getMetadata().getUid())
          .isEqualTo("00000000-0000-0000-0000-000000000777");
      String version = lab.client.configMaps().inNamespace("kept").resource(new io.fabric8.kubernetes.api.model
          .ConfigMapBuilder().withNewMetadata().withName("later").endMetadata().build()).create()
          .getMetadata().getResourceVersion();
      assertThat(Long.parseLong(version)).isGreaterThan(901);
    }
    try (var files = Files.list(cluster)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains(SnapshotFile.NAME).doesNotContain("core_v1_namespaces.json", "core_v1_configmaps.json");
    }
  }

  @Test
  void unreadableStateIsMovedAsideAndThePlatformSeededAfresh() throws Exception {
    Files.createDirectories(state.resolve("cluster"));
    Files.writeString(state.resolve("cluster").resolve("core_v1_namespaces.json"), "[{\"not\": json");
    try (RunningLab lab = RunningLab.start(state)) {
      assertThat(lab.client.nodes().list().getItems()).hasSize(6);
    }
    try (var entries = Files.list(state)) {
      assertThat(entries.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("cluster.unreadable-"));
    }
  }
}
