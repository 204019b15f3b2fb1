package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;

/**
 * What the controllers' informers last saw of pods and nodes — the reads a controller makes most
 * (is this node Ready? what is this pod's phase?), answered without a request. It may lag the
 * server by a watch event; the decisions made from it are ones a later event corrects, and every
 * write that must not act on a stale pod is guarded by the pod's uid.
 */
final class ClusterCache {

  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;

  ClusterCache(SharedIndexInformer<Pod> pods, SharedIndexInformer<Node> nodes) {
    this.pods = pods;
    this.nodes = nodes;
  }

  Optional<Pod> pod(String namespace, String name) {
    return Optional.ofNullable(pods.getStore().getByKey(namespace + "/" + name));
  }

  Optional<Node> node(String name) {
    return name == null ? Optional.empty() : Optional.ofNullable(nodes.getStore().getByKey(name));
  }

  List<Node> nodes() {
    return nodes.getStore().list();
  }

  /** Pods waiting for a node. */
  List<Pod> unscheduled() {
    return pods.getStore().list().stream().filter(p -> WorkloadPods.node(p) == null).toList();
  }

  /** Pods no workload controls. */
  List<Pod> podsWithoutController() {
    return pods.getStore().list().stream().filter(p -> !UnownedPods.controlled(p)).toList();
  }

  List<Pod> podsOn(String node) {
    return pods.getStore().list().stream().filter(p -> node.equals(WorkloadPods.node(p))).toList();
  }
}
