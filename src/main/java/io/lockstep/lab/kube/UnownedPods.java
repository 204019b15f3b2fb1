package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * The scheduler's part for pods no workload controls — a pod a client created directly, such as
 * the one Kosmos creates in a member cluster for a host pod on its virtual node: it goes to a node
 * that takes it (fewest such pods first), or stays Pending until one does.
 */
final class UnownedPods {

  private final WorkloadPods pods;
  private final PodScheduler scheduler;
  private final ClusterCache cache;

  UnownedPods(WorkloadPods pods, PodScheduler scheduler, ClusterCache cache) {
    this.pods = pods;
    this.scheduler = scheduler;
    this.cache = cache;
  }

  void schedule(String namespace, String name) {
    Pod pod = cache.pod(namespace, name).orElse(null);
    if (pod == null || WorkloadPods.node(pod) != null || PodObjects.terminating(pod) || controlled(pod)) {
      return;
    }
    List<Pod> others = cache.podsWithoutController();
    scheduler.spread(namespace, name, "unowned", others, pod.getSpec(), pods.nodes())
        .ifPresent(node -> pods.bind(pod, node));
  }

  static boolean controlled(Pod pod) {
    return pod.getMetadata().getOwnerReferences() != null
        && pod.getMetadata().getOwnerReferences().stream().anyMatch(ref -> Boolean.TRUE.equals(ref.getController()));
  }
}
