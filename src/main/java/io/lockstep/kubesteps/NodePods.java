package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pods on one node, sorted out as a drain sees them: mirror pods (the kubelet's static pods,
 * which the API cannot evict), DaemonSet pods (their controller would put them back at once), pods
 * with emptyDir volumes (their data is lost) and the rest.
 *
 * <p>The pods are found by listing every pod and keeping those whose {@code spec.nodeName} is the
 * node, rather than with a {@code spec.nodeName} field selector: the answer is the same, and it
 * does not depend on the API server supporting field selectors on pods.
 */
record NodePods(List<Pod> mirror, List<Pod> daemonSet, List<Pod> emptyDir, List<Pod> other) {

  static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

  static NodePods on(KubernetesClient client, String node) {
    List<Pod> mirror = new ArrayList<>();
    List<Pod> daemonSet = new ArrayList<>();
    List<Pod> emptyDir = new ArrayList<>();
    List<Pod> other = new ArrayList<>();
    client.pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
        .sorted(Comparator.comparing(NodePods::path))
        .forEach(pod -> {
          if (isMirror(pod)) {
            mirror.add(pod);
          } else if (isDaemonSetPod(pod)) {
            daemonSet.add(pod);
          } else if (hasEmptyDir(pod)) {
            emptyDir.add(pod);
          } else {
            other.add(pod);
          }
        });
    return new NodePods(mirror, daemonSet, emptyDir, other);
  }

  static String path(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  static String paths(List<Pod> pods) {
    return String.join(", ", pods.stream().map(NodePods::path).toList());
  }

  private static boolean isMirror(Pod pod) {
    return pod.getMetadata().getAnnotations() != null
        && pod.getMetadata().getAnnotations().containsKey(MIRROR_ANNOTATION);
  }

  private static boolean isDaemonSetPod(Pod pod) {
    return pod.getMetadata().getOwnerReferences() != null && pod.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> "DaemonSet".equals(o.getKind()) && Boolean.TRUE.equals(o.getController()));
  }

  private static boolean hasEmptyDir(Pod pod) {
    return pod.getSpec().getVolumes() != null
        && pod.getSpec().getVolumes().stream().anyMatch(v -> v.getEmptyDir() != null);
  }
}
