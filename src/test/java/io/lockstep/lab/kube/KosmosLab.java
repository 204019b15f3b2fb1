package io.lockstep.lab.kube;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lockstep.lab.LabProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A started {@link LabKube} with the shipped Kosmos seed (host + member-1 + member-2), and fabric8
 * clients built from the contexts of the kubeconfig the lab wrote, as the console builds them.
 */
final class KosmosLab implements AutoCloseable {

  static final String NS = "mysql";

  final LabKube kube;
  final LabProperties props;
  KubernetesClient host;
  KubernetesClient member1;
  KubernetesClient member2;

  private KosmosLab(Path stateDir) {
    props = new LabProperties(stateDir, "config/lab/platform.yml", 0, 0, RunningLab.START, RunningLab.GRACE, "rsync",
        "ssh", "file:config/lab/kosmos.yml");
    kube = new LabKube(RunningLab.seed(), props);
    kube.start();
    connect();
  }

  static KosmosLab start(Path stateDir) {
    return new KosmosLab(stateDir);
  }

  void connect() {
    host = client(LabKube.hostContext());
    member1 = client(LabKube.memberContext("member-1"));
    member2 = client(LabKube.memberContext("member-2"));
  }

  KubernetesClient client(String context) {
    try {
      String kubeconfig = Files.readString(props.kubeconfig());
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(context, kubeconfig, null)).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Resource<GenericKubernetesResource> mysqlCluster() {
    return host.genericKubernetesResources("mysql.presslabs.org/v1alpha1", "MysqlCluster").inNamespace(NS)
        .withName("mysql");
  }

  /** Replaces the CR's spec.podSpec with the given YAML, as applying the edited CR file does. */
  void applyPodSpec(String yaml) {
    Object podSpec = YAMLMapper.builder().build().readValue(yaml, Map.class);
    String patch = JsonMapper.builder().build().writeValueAsString(
        List.of(Map.of("op", "replace", "path", "/spec/podSpec", "value", podSpec)));
    mysqlCluster().patch(PatchContext.of(PatchType.JSON), patch);
  }

  void export(String service) {
    host.genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceExport").inNamespace(NS)
        .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion("multicluster.x-k8s.io/v1alpha1").withKind("ServiceExport")
            .withNewMetadata().withName(service).withNamespace(NS).endMetadata().build()).create();
  }

  void importInto(KubernetesClient member, String service, int port) {
    if (member.namespaces().withName(NS).get() == null) {
      member.namespaces().resource(WorkloadObjects.namespace(NS)).create();
    }
    member.genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceImport").inNamespace(NS)
        .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
            .withApiVersion("multicluster.x-k8s.io/v1alpha1").withKind("ServiceImport")
            .withNewMetadata().withName(service).withNamespace(NS).endMetadata()
            .addToAdditionalProperties("spec", Map.of("type", "ClusterSetIP",
                "ports", List.of(Map.of("port", port, "protocol", "TCP"))))
            .build()).create();
  }

  /** The MySQL pods of a cluster, by name. */
  Map<String, Pod> mysqlPods(KubernetesClient cluster) {
    return cluster.pods().inNamespace(NS).withLabel("mysql.presslabs.org/cluster", "mysql").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p));
  }

  /** Pod name → node name, for the active MySQL pods of a cluster. */
  Map<String, String> placement(KubernetesClient cluster) {
    return cluster.pods().inNamespace(NS).withLabel("mysql.presslabs.org/cluster", "mysql").list().getItems().stream()
        .collect(Collectors.toMap(p -> p.getMetadata().getName(),
            p -> p.getMetadata().getDeletionTimestamp() != null ? "(terminating)"
                : String.valueOf(p.getSpec().getNodeName()) + (PodObjects.ready(p) ? "" : " (not ready)")));
  }

  void reset() {
    kube.reset();
    awaitInHostOnNode4And5();
  }

  /** Scenario 1: both replicas Ready in the host, on node-4 and node-5. */
  void awaitInHostOnNode4And5() {
    await().atMost(RunningLab.PATIENCE).until(() -> placement(host).values().stream().sorted().toList()
        .equals(List.of("node-4", "node-5")));
  }

  /** Ends the lab as SIGKILL would as far as its files go (see {@link RunningLab#kill()}). */
  void kill() {
    kube.halt();
  }

  @Override
  public void close() {
    List.of(host, member1, member2).forEach(KubernetesClient::close);
    kube.stop();
  }
}
