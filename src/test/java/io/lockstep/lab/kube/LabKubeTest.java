package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lockstep.lab.LabCommandException;
import io.lockstep.lab.LabSeed;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded lab platform as a client sees it over the API, what real kubectl makes of it, and the
 * {@code proton-cli apply} runs it refuses (which must leave it as seeded).
 */
class LabKubeTest {

  @TempDir
  static Path state;

  static RunningLab lab;

  @BeforeAll
  static void start() {
    lab = RunningLab.start(state);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void allSixMachinesAreReadyNodesWithTheirRolesAndAddresses() {
    List<Node> nodes = lab.client.nodes().list().getItems();
    assertThat(nodes).hasSize(6).allMatch(NodeObjects::ready)
        .noneMatch(NodeObjects::cordoned);
    for (LabSeed.Node machine : lab.seed.nodes()) {
      Node node = lab.client.nodes().withName(machine.name()).get();
      assertThat(NodeObjects.internalIp(node)).isEqualTo(machine.ip());
      assertThat(node.getMetadata().getLabels()).containsEntry(NodeObjects.HOSTNAME, machine.name())
          .containsKey(machine.master() ? NodeObjects.CONTROL_PLANE : NodeObjects.WORKER);
      assertThat(node.getStatus().getCapacity()).containsKeys("cpu", "memory");
    }
    assertThat(lab.client.pods().inNamespace("kube-system").withName("kube-apiserver-node-1").get()
        .getSpec().getNodeName()).isEqualTo("node-1");
  }

  @Test
  void theApplicationNamespaceRunsDeployServiceAndItsWorkloads() {
    String ns = lab.appNamespace();
    assertThat(lab.client.apps().deployments().inNamespace(ns).withName("deploy-service").get()).isNotNull();
    int workloads = lab.client.apps().deployments().inNamespace(ns).list().getItems().size()
        + lab.client.apps().statefulSets().inNamespace(ns).list().getItems().size()
        + lab.client.apps().daemonSets().inNamespace(ns).list().getItems().size();
    assertThat(workloads).isGreaterThanOrEqualTo(15);
    assertThat(lab.client.pods().inNamespace(ns).list().getItems())
        .isNotEmpty().allMatch(p -> "Running".equals(p.getStatus().getPhase()) && PodObjects.ready(p));
    assertThat(lab.client.apps().deployments().inNamespace(ns).withName("anyshare-web").get().getStatus()
        .getReadyReplicas()).isEqualTo(3);
    assertThat(lab.client.apps().daemonSets().inNamespace(ns).withName("log-agent").get().getStatus()
        .getNumberReady()).isEqualTo(6);
    assertThat(lab.client.pods().inNamespace(ns).withLabel("app", "anyshare-web").list().getItems())
        .allMatch(p -> p.getSpec().getTerminationGracePeriodSeconds() == 30);
  }

  @Test
  void everyComponentReplicaRunsOnTheNodeItsVolumeNames() {
    for (LabSeed.Component seeded : lab.seed.components()) {
      BaseComponent component = new BaseComponent(seeded, lab.resourceNamespace());
      StatefulSet sts = lab.client.apps().statefulSets().inNamespace(lab.resourceNamespace())
          .withName(component.statefulSet()).get();
      assertThat(sts.getSpec().getReplicas()).isEqualTo(seeded.nodes().size());
      assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(seeded.nodes().size());
      for (int ordinal = 0; ordinal < seeded.nodes().size(); ordinal++) {
        PersistentVolumeClaim claim = lab.client.persistentVolumeClaims().inNamespace(lab.resourceNamespace())
            .withName(component.pvcName(ordinal)).get();
        PersistentVolume volume = lab.client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
        Pod pod = lab.client.pods().inNamespace(lab.resourceNamespace()).withName(component.podName(ordinal)).get();
        assertThat(volume.getSpec().getLocal().getPath()).isEqualTo(seeded.dataPath());
        assertThat(volume.getSpec().getStorageClassName()).isEqualTo("local-storage");
        assertThat(PodScheduler.affinityNode(volume)).contains(seeded.nodes().get(ordinal));
        assertThat(pod.getSpec().getNodeName()).as(pod.getMetadata().getName()).isEqualTo(seeded.nodes().get(ordinal));
        assertThat(PodObjects.ready(pod)).isTrue();
      }
    }
  }

  @Test
  void helmComponentsHaveTheirReleaseSecretsAndOperatorComponentsTheirCustomResources() {
    Secret release = lab.client.secrets().inNamespace(lab.resourceNamespace())
        .withName("sh.helm.release.v1.kafka.v1").get();
    assertThat(release.getType()).isEqualTo("helm.sh/release.v1");
    assertThat(release.getMetadata().getLabels())
        .containsAllEntriesOf(Map.of("owner", "helm", "name", "kafka", "status", "deployed", "version", "1"));
    for (LabSeed.Component seeded : lab.seed.components().stream().filter(c -> !c.helm()).toList()) {
      BaseComponent component = new BaseComponent(seeded, lab.resourceNamespace());
      assertThat(lab.client.apiextensions().v1().customResourceDefinitions()
          .withName(seeded.operator().crdName()).get()).isNotNull();
      GenericKubernetesResource cr = lab.client.genericKubernetesResources(component.crType())
          .inNamespace(lab.resourceNamespace()).withName(seeded.operator().crName()).get();
      StatefulSet sts = lab.client.apps().statefulSets().inNamespace(lab.resourceNamespace())
          .withName(component.statefulSet()).get();
      assertThat(sts.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(cr.getMetadata().getUid()));
      assertThat(lab.client.persistentVolumes().withLabel(seeded.operator().labelKey(), seeded.operator().labelValue())
          .list().getItems()).hasSize(seeded.nodes().size());
      assertThat(lab.client.persistentVolumeClaims().inNamespace(lab.resourceNamespace())
          .withLabel(seeded.operator().labelKey(), seeded.operator().labelValue()).list().getItems())
          .hasSize(seeded.nodes().size());
    }
  }

  @Test
  void theProtonSecretsHoldTheConfigurationAndEveryComponentsPlacement() {
    Secret cli = lab.client.secrets().inNamespace("proton").withName("proton-cli-config").get();
    assertThat(ProtonSecrets.decode(cli.getData().get("ssh-password"))).isEqualTo("lab-root-secret");
    String conf = ProtonSecrets.decode(cli.getData().get("ClusterConfiguration"));
    assertThat(lab.kube.protonConf()).isEqualTo(conf);
    ProtonConf parsed = ProtonConf.parse(conf);
    assertThat(parsed.nodeNames()).containsExactly("node-1", "node-2", "node-3");
    assertThat(parsed.masters()).containsExactly("node-1", "node-2", "node-3");
    assertThat(parsed.placement("kafka")).contains(
        new Placement(List.of("node-1", "node-2", "node-3"), "/sysvol/kafka/kafka_data"));
    assertThat(parsed.settings("proton_mariadb")).containsEntry("admin_user", "root")
        .containsEntry("admin_passwd", "Maria-R00t-Pa55");

    Secret components = lab.client.secrets().inNamespace("resource")
        .withName("persist-component-manage-components").get();
    assertThat(components.getType()).isEqualTo("Opaque");
    assertThat(components.getData()).containsKeys("kafka.yaml", "proton_mariadb.yaml", "opensearch.yaml");
    String grafana = ProtonSecrets.decode(components.getData().get("grafana.yaml"));
    assertThat(grafana).contains("namespace: resource", "replicas: 1", "- node-2",
        "data_path: /sysvol/grafana/data", "admin_password: grafana-Pa55");
  }

  @Test
  void realKubectlListsNodesPodsAndWorkloads() {
    Kubectl kubectl = new Kubectl(lab.props.kubeconfig());
    assertThat(kubectl.run("version")).contains("Server Version: " + ApiDiscovery.GIT_VERSION);
    assertThat(kubectl.run("get", "nodes")).contains("node-1", "node-6");
    assertThat(kubectl.run("get", "pods", "-A")).contains("kafka-0", "kube-apiserver-node-1", "anyshare");
    assertThat(kubectl.run("-n", "resource", "get", "sts")).contains("kafka", "mariadb-mariadb");
    assertThat(kubectl.run("get", "pv")).contains("kafka-data-node-1");
    assertThat(kubectl.run("get", "secret", "-A")).contains("proton-cli-config", "sh.helm.release.v1.kafka.v1");
    assertThat(kubectl.run("-n", "resource", "get", "rdsmariadbclusters")).contains("mariadb");
    assertThat(kubectl.run("-n", "resource", "get", "pvc", "-l", "app=mongodb-mongodb", "-o", "name"))
        .contains("persistentvolumeclaim/data-mongodb-mongodb-0");
    assertThat(kubectl.run("get", "nodes", "node-2", "-o", "jsonpath={.status.addresses[0].address}"))
        .isEqualTo("127.0.10.2");
  }

  @Test
  void kubectlScalesAndDeletes() {
    Kubectl kubectl = new Kubectl(lab.props.kubeconfig());
    String ns = lab.appNamespace();
    assertThat(kubectl.run("-n", ns, "scale", "sts", "cache-warmer", "--replicas=2")).contains("scaled");
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "cache-warmer").stream()
        .filter(PodObjects::ready).count() == 2);
    assertThat(kubectl.run("-n", ns, "delete", "pod", "cache-warmer-1")).contains("deleted");
    assertThat(kubectl.run("-n", ns, "scale", "sts", "cache-warmer", "--replicas=1")).contains("scaled");
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "cache-warmer").size() == 1
        && PodObjects.ready(lab.pods(ns, "app", "cache-warmer").get(0)));
  }

  @Test
  void mergePatchNullRemovesAKeyAsARealServerDoes() {
    var ds = lab.client.apps().daemonSets().inNamespace(lab.appNamespace()).withName("node-exporter");
    ds.patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"stop-by-admin\":\"true\"}}}}}");
    ds.patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"stop-by-admin\":null}}}}}");
    assertThat(ds.get().getSpec().getTemplate().getSpec().getNodeSelector()).doesNotContainKey("stop-by-admin");
    await().atMost(RunningLab.PATIENCE).until(() -> ds.get().getStatus().getNumberReady() == 6);
  }

  @Test
  void applyRefusesToMoveAnInstalledComponent() throws Exception {
    ConfFile conf = ConfFile.of(lab.kube.protonConf()).withMaster(lab.seed.node("node-4").orElseThrow())
        .withHosts("grafana", List.of("node-4"));
    String before = lab.kube.protonConf();
    assertThatThrownBy(() -> lab.kube.applyProtonConf(conf.yaml(), Optional.empty(), line -> { }))
        .isInstanceOfSatisfying(LabCommandException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(
              "[component] grafana: cannot change nodes of an installed component; uninstall it first");
          assertThat(e.exitStatus()).isEqualTo(1);
        });
    assertThat(lab.kube.protonConf()).isEqualTo(before);
    assertThat(lab.client.nodes().withName("node-4").get().getMetadata().getLabels())
        .doesNotContainKey(NodeObjects.CONTROL_PLANE);
  }

  @Test
  void applyWithTheWrongPasswordIsRefusedAndChangesNothing() throws Exception {
    ConfFile conf = ConfFile.of(lab.kube.protonConf()).withMaster(lab.seed.node("node-4").orElseThrow());
    String before = lab.kube.protonConf();
    assertThatThrownBy(() -> lab.kube.applyProtonConf(conf.yaml(), Optional.of("wrong"), line -> { }))
        .isInstanceOfSatisfying(LabCommandException.class, e -> {
          assertThat(e.getMessage()).contains("ssh: handshake failed: ssh: unable to authenticate");
          assertThat(e.exitStatus()).isEqualTo(1);
        });
    assertThat(lab.kube.protonConf()).isEqualTo(before);
    assertThat(lab.client.nodes().withName("node-4").get().getMetadata().getLabels())
        .doesNotContainKey(NodeObjects.CONTROL_PLANE);
  }

  @Test
  void applyRefusesUnknownMachinesAndHostsOutsideTheNodes() throws Exception {
    String unknown = ConfFile.of(lab.kube.protonConf()).withMachine("node-9", "127.0.10.9").yaml();
    assertThatThrownBy(() -> lab.kube.applyProtonConf(unknown, Optional.empty(), line -> { }))
        .hasMessageContaining("node-9");
    String tooMany = ConfFile.of(lab.kube.protonConf()).withMaster(lab.seed.node("node-4").orElseThrow())
        .withHosts("kafka", List.of("node-1", "node-2", "node-3", "node-4")).yaml();
    assertThatThrownBy(() -> lab.kube.applyProtonConf(tooMany, Optional.empty(), line -> { }))
        .hasMessage("Error: invalid configuration: kafka.hosts: at most 3 replicas are supported, got 4");
    String outside = ConfFile.of(lab.kube.protonConf()).withHosts("kafka", List.of("node-1", "node-5")).yaml();
    assertThatThrownBy(() -> lab.kube.applyProtonConf(outside, Optional.empty(), line -> { }))
        .hasMessage("Error: invalid configuration: kafka.hosts: node-5 is not listed under .nodes");
    assertThatThrownBy(() -> lab.kube.applyProtonConf("nodes: [", Optional.empty(), line -> { }))
        .isInstanceOf(LabCommandException.class).hasMessageStartingWith("Error: invalid configuration file");
  }
}
