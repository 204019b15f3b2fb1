package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses the node of a new pod, as the scheduler and the volume binder together would. A node
 * takes new pods when it is Ready, not cordoned, and its kubelet and container runtime run. A pod
 * with a claim on a local volume goes to the node the volume's node affinity names, or nowhere while
 * that node cannot take it (that is how a StatefulSet's ordinal keeps its node); other pods spread
 * over the nodes that take pods, fewest pods of their workload first. Either way the node must pass
 * the pod's nodeSelector, taints and required node and pod anti-affinity ({@link SchedulingRules}).
 */
final class PodScheduler {

  private final KubernetesClient client;
  private final NodeAgents agents;

  PodScheduler(KubernetesClient client, NodeAgents agents) {
    this.client = client;
    this.agents = agents;
  }

  /** Whether the node takes new pods (DaemonSet pods ignore cordoning, so callers say so). */
  boolean takesPods(Node node, boolean ignoreCordon) {
    return NodeObjects.ready(node) && (ignoreCordon || !NodeObjects.cordoned(node))
        && agents.running(node.getMetadata().getName());
  }

  /**
   * The node a pod using these claims must run on, if its volumes are bound and that node takes
   * pods; empty while it cannot be scheduled.
   */
  Optional<String> forClaims(String namespace, List<String> claims, PodSpec spec, List<Node> nodes) {
    String node = null;
    for (String claim : claims) {
      Optional<String> volumeNode = volumeNode(namespace, claim);
      if (volumeNode.isEmpty() || (node != null && !node.equals(volumeNode.get()))) {
        return Optional.empty();
      }
      node = volumeNode.get();
    }
    String wanted = node;
    return nodes.stream()
        .filter(n -> n.getMetadata().getName().equals(wanted))
        .filter(n -> takesPods(n, false) && SchedulingRules.fits(spec, n))
        .map(n -> n.getMetadata().getName())
        .findFirst();
  }

  /**
   * The node with the fewest of {@code siblings} among those that take pods and match the selector;
   * ties go to a node that depends on the workload's name, so that small workloads do not all pile
   * onto the first nodes.
   */
  Optional<String> spread(String workload, List<Pod> siblings, PodSpec spec, List<Node> nodes) {
    return spread(null, null, workload, siblings, spec, nodes);
  }

  /**
   * {@link #spread(String, List, PodSpec, List)} for the pod {@code podName} in {@code namespace},
   * honouring its required pod anti-affinity against the pods already in the cluster.
   */
  Optional<String> spread(String namespace, String podName, String workload, List<Pod> siblings, PodSpec spec,
      List<Node> nodes) {
    List<PodAffinityTerm> antiAffinity = namespace == null ? List.of() : SchedulingRules.antiAffinity(spec);
    List<Pod> pods = antiAffinity.isEmpty() ? List.of() : client.pods().inAnyNamespace().list().getItems();
    Map<String, Node> byName = nodes.stream().collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n));
    return nodes.stream()
        .filter(n -> takesPods(n, false) && SchedulingRules.fits(spec, n))
        .filter(n -> SchedulingRules.antiAffinity(namespace, podName, antiAffinity, n, pods, byName))
        .map(n -> n.getMetadata().getName())
        .min(Comparator.<String>comparingLong(name -> siblings.stream()
                .filter(p -> name.equals(p.getSpec().getNodeName())).count())
            .thenComparingInt(name -> scramble((workload + "/" + name).hashCode()))
            .thenComparing(Comparator.naturalOrder()));
  }

  /** Murmur3's finalizer: similar names (node-1, node-2) get unrelated values. */
  private static int scramble(int hash) {
    int h = hash;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >>> 16);
  }

  private Optional<String> volumeNode(String namespace, String claimName) {
    PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(namespace).withName(claimName).get();
    if (claim == null || claim.getSpec() == null || claim.getSpec().getVolumeName() == null) {
      return Optional.empty();
    }
    PersistentVolume volume = client.persistentVolumes().withName(claim.getSpec().getVolumeName()).get();
    if (volume == null) {
      return Optional.empty();
    }
    return affinityNode(volume);
  }

  /** The hostname a local volume's required node affinity names. */
  static Optional<String> affinityNode(PersistentVolume volume) {
    if (volume.getSpec() == null || volume.getSpec().getNodeAffinity() == null
        || volume.getSpec().getNodeAffinity().getRequired() == null) {
      return Optional.empty();
    }
    return volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().stream()
        .flatMap(t -> t.getMatchExpressions() == null ? java.util.stream.Stream.empty() : t.getMatchExpressions().stream())
        .filter(e -> NodeObjects.HOSTNAME.equals(e.getKey()) && "In".equals(e.getOperator()))
        .map(NodeSelectorRequirement::getValues)
        .filter(Objects::nonNull)
        .flatMap(List::stream)
        .findFirst();
  }
}
