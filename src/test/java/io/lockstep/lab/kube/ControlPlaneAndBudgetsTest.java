package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server's availability following etcd and the masters' runtimes; evictions honouring PDBs. */
class ControlPlaneAndBudgetsTest {

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

  /** A client as the console's, without fabric8's ten retries of a 503 (some 100 s of back-off). */
  static KubernetesClient impatient() throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(lab.props.kubeconfig()));
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  @Test
  void theApiAnswers503WhileEtcdHasNoQuorumAndServesAgainOnceItHas() throws Exception {
    try (KubernetesClient client = impatient()) {
      apiFollowsEtcd(client);
    }
  }

  private void apiFollowsEtcd(KubernetesClient client) {
    lab.kube.etcdChanged("node-1", false);
    assertThat(client.nodes().list().getItems()).hasSize(lab.seed.nodes().size());

    lab.kube.etcdChanged("node-2", false);
    assertThatThrownBy(() -> client.nodes().list())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(503))
        .hasMessageContaining("1 of 3 etcd members running, no quorum");
    assertThat(lab.kube.client().nodes().list().getItems()).as("the lab's own controllers keep working").isNotEmpty();

    lab.kube.etcdChanged("node-2", true);
    assertThat(client.nodes().list().getItems()).hasSize(lab.seed.nodes().size());
  }

  @Test
  void theApiIsDownWhileNoMasterRunsItsContainerRuntime() throws Exception {
    try (KubernetesClient client = impatient()) {
      lab.kube.runtimeChanged("node-1", false);
      lab.kube.runtimeChanged("node-2", false);
      assertThat(client.namespaces().list().getItems()).isNotEmpty();
      lab.kube.runtimeChanged("node-3", false);
      assertThatThrownBy(() -> client.namespaces().list())
          .hasMessageContaining("no kube-apiserver is running");
      lab.kube.runtimeChanged("node-2", true);
      assertThat(client.namespaces().list().getItems()).isNotEmpty();
    }
  }

  @Test
  void anEvictionTheBudgetAllowsGoesThroughAndTheNextIsRefusedWith429NamingTheBudget() throws Exception {
    try (KubernetesClient client = impatient()) {
      evictions(client);
    }
  }

  private void evictions(KubernetesClient client) {
    String ns = lab.resourceNamespace();
    lab.client.policy().v1().podDisruptionBudget().inNamespace(ns).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName("zookeeper-pdb").withNamespace(ns).endMetadata()
        .withNewSpec().withMaxUnavailable(new IntOrString(1))
        .withNewSelector().addToMatchLabels("app.kubernetes.io/instance", "zookeeper").endSelector()
        .endSpec().build()).create();
    List<Pod> zk = lab.pods(ns, "app.kubernetes.io/instance", "zookeeper");
    assertThat(zk).hasSize(3);

    assertThat(client.pods().inNamespace(ns).withName(zk.get(0).getMetadata().getName()).evict()).isTrue();
    assertThat(client.pods().inNamespace(ns).withName(zk.get(1).getMetadata().getName()).evict())
        .as("a second zookeeper down would exceed maxUnavailable 1").isFalse();
    assertThat(lab.client.pods().inNamespace(ns).withName(zk.get(1).getMetadata().getName()).get()).isNotNull();

    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app.kubernetes.io/instance", "zookeeper").stream()
        .filter(PodObjects::ready).count() == 3);
    assertThat(client.pods().inNamespace(ns).withName(zk.get(1).getMetadata().getName()).evict()).isTrue();
  }

  @Test
  void aBudgetAskingForEveryPodBlocksEveryEviction() throws Exception {
    try (KubernetesClient client = impatient()) {
      everyEvictionBlocked(client);
    }
  }

  private void everyEvictionBlocked(KubernetesClient client) {
    String ns = lab.resourceNamespace();
    lab.client.policy().v1().podDisruptionBudget().inNamespace(ns).resource(new PodDisruptionBudgetBuilder()
        .withNewMetadata().withName("kafka-pdb").withNamespace(ns).endMetadata()
        .withNewSpec().withMinAvailable(new IntOrString("100%"))
        .withNewSelector().addToMatchLabels("app.kubernetes.io/instance", "kafka").endSelector()
        .endSpec().build()).create();
    for (Pod pod : lab.pods(ns, "app.kubernetes.io/instance", "kafka")) {
      assertThat(client.pods().inNamespace(ns).withName(pod.getMetadata().getName()).evict()).isFalse();
    }
  }
}
