package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which of the pods a drain evicts cannot start on any other node, and why, as the scheduler
 * would see it: a claim bound to a PersistentVolume whose node affinity only the drained node
 * meets (a local volume), a {@code nodeSelector} or a required node affinity that no other Ready,
 * schedulable node matches, or taints (NoSchedule, NoExecute) on every other such node that the
 * pod does not tolerate. Their controllers make them again and they stay Pending until the node is
 * back: during the maintenance those replicas are down.
 */
final class StayingPods {

  private final KubernetesClient client;
  private final String draining;
  private final List<Node> others;
  private final Map<String, Optional<PersistentVolume>> volumes = new HashMap<>();

  /**
   * @param nodes every node of the cluster
   * @param draining the node the pods leave
   */
  StayingPods(KubernetesClient client, String draining, List<Node> nodes) {
    this.client = client;
    this.draining = draining;
    this.others = nodes.stream().filter(n -> !n.getMetadata().getName().equals(draining) && Nodes.ready(n)
        && !Nodes.unschedulable(n)).toList();
  }

  /** The pods of {@code leaving} that cannot run elsewhere, each with why, in their order. */
  Map<Pod, String> of(List<Pod> leaving) throws InterruptedException {
    Map<Pod, String> staying = new LinkedHashMap<>();
    for (Pod pod : leaving) {
      Optional<String> why = why(pod);
      if (why.isPresent()) {
        staying.put(pod, why.get());
      }
    }
    return staying;
  }

  /** The nodes some pod of {@code moving} may go to. */
  List<Node> placesFor(List<Pod> moving) throws InterruptedException {
    List<Node> places = new ArrayList<>();
    for (Node node : others) {
      for (Pod pod : moving) {
        if (fits(pod, node)) {
          places.add(node);
          break;
        }
      }
    }
    return places;
  }

  private Optional<String> why(Pod pod) throws InterruptedException {
    List<Node> left = others;
    if (left.isEmpty()) {
      return Optional.empty(); // no other node at all: a lack of room, which the check refuses
    }
    for (PersistentVolume pv : localVolumes(pod)) {
      left = left.stream().filter(n -> matches(pv.getSpec().getNodeAffinity().getRequired(), n)).toList();
      if (left.isEmpty()) {
        return Optional.of("bound to a local volume on " + draining + " (PersistentVolume " + pv.getMetadata().getName()
            + local(pv) + "); Pending until " + draining + " is back");
      }
    }
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null && !selector.isEmpty()) {
      left = left.stream().filter(n -> selected(selector, n)).toList();
      if (left.isEmpty()) {
        return Optional.of("its nodeSelector " + selector + " matches no other Ready, schedulable node; Pending until "
            + draining + " is back");
      }
    }
    NodeSelector affinity = requiredAffinity(pod);
    if (affinity != null) {
      left = left.stream().filter(n -> matches(affinity, n)).toList();
      if (left.isEmpty()) {
        return Optional.of("its required node affinity matches no other Ready, schedulable node; Pending until "
            + draining + " is back");
      }
    }
    left = left.stream().filter(n -> tolerates(pod, n)).toList();
    if (left.isEmpty()) {
      return Optional.of("it tolerates the taints of no other Ready, schedulable node; Pending until " + draining
          + " is back");
    }
    return Optional.empty();
  }

  private boolean fits(Pod pod, Node node) throws InterruptedException {
    for (PersistentVolume pv : localVolumes(pod)) {
      if (!matches(pv.getSpec().getNodeAffinity().getRequired(), node)) {
        return false;
      }
    }
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    NodeSelector affinity = requiredAffinity(pod);
    return (selector == null || selected(selector, node)) && (affinity == null || matches(affinity, node))
        && tolerates(pod, node);
  }

  /** The PersistentVolumes the pod's claims are bound to that carry a required node affinity. */
  private List<PersistentVolume> localVolumes(Pod pod) throws InterruptedException {
    List<PersistentVolume> found = new ArrayList<>();
    for (Volume volume : Objects.requireNonNullElse(pod.getSpec().getVolumes(), List.<Volume>of())) {
      if (volume.getPersistentVolumeClaim() == null) {
        continue;
      }
      String namespace = pod.getMetadata().getNamespace();
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      Optional<PersistentVolume> pv = volumes.get(namespace + "/" + claim);
      if (pv == null) {
        pv = boundVolume(namespace, claim);
        volumes.put(namespace + "/" + claim, pv);
      }
      pv.filter(v -> v.getSpec() != null && v.getSpec().getNodeAffinity() != null
          && v.getSpec().getNodeAffinity().getRequired() != null).ifPresent(found::add);
    }
    return found;
  }

  private Optional<PersistentVolume> boundVolume(String namespace, String claim) throws InterruptedException {
    PersistentVolumeClaim pvc = Api.call("read PersistentVolumeClaim " + namespace + "/" + claim,
        () -> client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get());
    if (pvc == null || pvc.getSpec() == null || pvc.getSpec().getVolumeName() == null) {
      return Optional.empty();
    }
    String name = pvc.getSpec().getVolumeName();
    return Optional.ofNullable(Api.call("read PersistentVolume " + name,
        () -> client.persistentVolumes().withName(name).get()));
  }

  private static String local(PersistentVolume pv) {
    if (pv.getSpec().getLocal() != null && pv.getSpec().getLocal().getPath() != null) {
      return ", " + pv.getSpec().getLocal().getPath();
    }
    if (pv.getSpec().getHostPath() != null && pv.getSpec().getHostPath().getPath() != null) {
      return ", " + pv.getSpec().getHostPath().getPath();
    }
    return "";
  }

  private static NodeSelector requiredAffinity(Pod pod) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null) {
      return null;
    }
    NodeSelector required = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    return required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()
        ? null : required;
  }

  private static boolean selected(Map<String, String> selector, Node node) {
    Map<String, String> labels = labels(node);
    return selector.entrySet().stream().filter(e -> e.getValue() != null)
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }

  /** Whether the node meets any of the selector's terms (each term: all of its expressions and fields). */
  static boolean matches(NodeSelector selector, Node node) {
    if (selector.getNodeSelectorTerms() == null || selector.getNodeSelectorTerms().isEmpty()) {
      return true;
    }
    return selector.getNodeSelectorTerms().stream().anyMatch(term -> matches(term, node));
  }

  private static boolean matches(NodeSelectorTerm term, Node node) {
    List<NodeSelectorRequirement> expressions = Objects.requireNonNullElse(term.getMatchExpressions(), List.of());
    List<NodeSelectorRequirement> fields = Objects.requireNonNullElse(term.getMatchFields(), List.of());
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> labels = labels(node);
    return expressions.stream().allMatch(e -> holds(e, labels.get(e.getKey())))
        && fields.stream().allMatch(e -> "metadata.name".equals(e.getKey()) && holds(e, node.getMetadata().getName()));
  }

  private static boolean holds(NodeSelectorRequirement r, String value) {
    List<String> values = Objects.requireNonNullElse(r.getValues(), List.of());
    return switch (Objects.requireNonNullElse(r.getOperator(), "")) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> compared(value, values, c -> c > 0);
      case "Lt" -> compared(value, values, c -> c < 0);
      default -> false;
    };
  }

  private static boolean compared(String value, List<String> values, Predicate<Integer> test) {
    try {
      return value != null && values.size() == 1 && test.test(Long.compare(Long.parseLong(value), Long.parseLong(values.get(0))));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Whether the pod tolerates every NoSchedule and NoExecute taint of the node. */
  private static boolean tolerates(Pod pod, Node node) {
    List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
    List<Toleration> tolerations = Objects.requireNonNullElse(pod.getSpec().getTolerations(), List.of());
    return Objects.requireNonNullElse(taints, List.<Taint>of()).stream()
        .filter(t -> !"PreferNoSchedule".equals(t.getEffect()))
        .allMatch(t -> tolerations.stream().anyMatch(tol -> tolerates(tol, t)));
  }

  private static boolean tolerates(Toleration toleration, Taint taint) {
    if (toleration.getEffect() != null && !toleration.getEffect().isEmpty() && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if ("Exists".equals(toleration.getOperator())) {
      return toleration.getKey() == null || toleration.getKey().isEmpty() || toleration.getKey().equals(taint.getKey());
    }
    return Objects.equals(toleration.getKey(), taint.getKey())
        && Objects.equals(Objects.requireNonNullElse(toleration.getValue(), ""), Objects.requireNonNullElse(taint.getValue(), ""));
  }

  private static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }
}
