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
        .contains("core_v1_pods.json", "apps_v1_statefulsets.json", "rds.proton.aishu.cn_v1_rdsmariadbclusters.json");

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
