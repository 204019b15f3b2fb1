package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * Objects for the tests, created in the mock API: workloads with their selector {@code app=<name>},
 * pods, nodes. The mock runs no controller: tests play the controllers (pods, status) themselves.
 */
final class AKube {

  static final String NS = "anyshare";

  private final KubernetesClient client;

  AKube(KubernetesClient client) {
    this.client = client;
  }

  Deployment deployment(String name, int replicas) {
    return deployment(NS, name, replicas);
  }

  Deployment deployment(String namespace, String name, int replicas) {
    return client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
        .withNewMetadata().withName(name).withLabels(Map.of("app", name)).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName(name).withImage(name + ":1").endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
  }

  StatefulSet statefulSet(String name, int replicas) {
    return client.apps().statefulSets().inNamespace(NS).resource(new StatefulSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector().endSpec()
        .build()).create();
  }

  DaemonSet daemonSet(String name) {
    return client.apps().daemonSets().inNamespace(NS).resource(new DaemonSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withNewSelector().addToMatchLabels("app", name).endSelector().endSpec().build()).create();
  }

  /** The status a controller would write when all {@code replicas} are ready and updated. */
  void deploymentReady(String name, int ready) {
    client.apps().deployments().inNamespace(NS).withName(name).editStatus(d -> new DeploymentBuilder(d)
        .withNewStatus().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(ready)
        .withReadyReplicas(ready).withUpdatedReplicas(ready).endStatus().build());
  }

  void statefulSetReady(String name, int ready) {
    client.apps().statefulSets().inNamespace(NS).withName(name).editStatus(s -> new StatefulSetBuilder(s)
        .withNewStatus().withObservedGeneration(s.getMetadata().getGeneration()).withReplicas(ready)
        .withReadyReplicas(ready).withUpdatedReplicas(ready).endStatus().build());
  }

  void daemonSetReady(String name, int desired, int ready) {
    client.apps().daemonSets().inNamespace(NS).withName(name).editStatus(s -> new DaemonSetBuilder(s)
        .withNewStatus().withObservedGeneration(s.getMetadata().getGeneration()).withDesiredNumberScheduled(desired)
        .withNumberReady(ready).endStatus().build());
  }

  /** A running pod of {@code app} on {@code node}. */
  Pod pod(String namespace, String name, String app, String node) {
    return client.pods().inNamespace(namespace).resource(podOf(namespace, name, app, node).build()).create();
  }

  Pod pod(String name, String app, String node) {
    return pod(NS, name, app, node);
  }

  /** A running pod owned by DaemonSet {@code daemonSet}. */
  Pod daemonSetPod(String name, String daemonSet, String node) {
    return client.pods().inNamespace(NS).resource(podOf(NS, name, daemonSet, node).editMetadata()
        .addNewOwnerReference().withApiVersion("apps/v1").withKind("DaemonSet").withName(daemonSet)
        .withUid("uid-" + daemonSet).withController(true).endOwnerReference().endMetadata().build()).create();
  }

  /** A running pod with an emptyDir volume. */
  Pod emptyDirPod(String name, String app, String node) {
    return client.pods().inNamespace(NS).resource(podOf(NS, name, app, node).editSpec()
        .addNewVolume().withName("cache").withNewEmptyDir().endEmptyDir().endVolume().endSpec().build()).create();
  }

  /** The API's copy of a static pod, which the kubelet manages. */
  Pod mirrorPod(String name, String node) {
    return client.pods().inNamespace("kube-system").resource(podOf("kube-system", name, name, node).editMetadata()
        .addToAnnotations("kubernetes.io/config.mirror", "hash").endMetadata().build()).create();
  }

  void podPhase(String name, String phase) {
    client.pods().inNamespace(NS).withName(name).editStatus(p -> new PodBuilder(p).editOrNewStatus()
        .withPhase(phase).endStatus().build());
  }

  Node node(String name, boolean ready, Map<String, String> labels) {
    return client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus().build()).create();
  }

  Node node(String name) {
    return node(name, true, Map.of());
  }

  Node cordonedNode(String name) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withUnschedulable(true).endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build())
        .create();
    return client.nodes().withName(name).get();
  }

  /** What a kubelet reports: the node's Ready condition. */
  void nodeReady(String name, String status) {
    client.nodes().withName(name).editStatus(n -> new NodeBuilder(n).editOrNewStatus().withConditions()
        .addNewCondition().withType("Ready").withStatus(status).endCondition().endStatus().build());
  }

  void configMap(String name, Map<String, String> labels, Map<String, String> data) {
    client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
        .withLabels(labels).endMetadata().withData(data).build()).create();
  }

  void secret(String name, Map<String, String> stringData) {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withStringData(stringData).build()).create();
  }

  private static PodBuilder podOf(String namespace, String name, String app, String node) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace).withLabels(Map.of("app", app))
        .endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName(app).withImage(app + ":1").endContainer().endSpec()
        .withNewStatus().withPhase("Running").endStatus();
  }
}
