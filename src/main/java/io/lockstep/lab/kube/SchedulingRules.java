package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The scheduler's filters beyond readiness and cordon, as kube-scheduler applies them to a pod's
 * spec: the nodeSelector; taints with effect NoSchedule or NoExecute, each of which the pod must
 * tolerate; the required node affinity (any of its terms, each term all of its expressions:
 * {@code In}, {@code NotIn}, {@code Exists}, {@code DoesNotExist}, {@code Gt}, {@code Lt}, and
 * {@code metadata.name} fields); and the required pod anti-affinity (no pod its selector matches,
 * in its namespaces, on a node with the same value of the topology key).
 */
final class SchedulingRules {

  private SchedulingRules() {}

  /** Every filter but the anti-affinity, which needs the cluster's pods. */
  static boolean fits(PodSpec spec, Node node) {
    return spec == null || (NodeObjects.matches(node, spec.getNodeSelector()) && tolerates(spec, node)
        && nodeAffinity(spec, node));
  }

  /** Whether the pod tolerates every NoSchedule and NoExecute taint of the node. */
  static boolean tolerates(PodSpec spec, Node node) {
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
        ? List.of() : node.getSpec().getTaints();
    List<Toleration> tolerations = spec == null || spec.getTolerations() == null ? List.of() : spec.getTolerations();
    return taints.stream().filter(t -> !"PreferNoSchedule".equals(t.getEffect()))
        .allMatch(t -> tolerations.stream().anyMatch(tol -> tolerates(tol, t)));
  }

  private static boolean tolerates(Toleration toleration, Taint taint) {
    if (toleration.getEffect() != null && !toleration.getEffect().isEmpty()
        && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if ("Exists".equals(toleration.getOperator())) {
      return toleration.getKey() == null || toleration.getKey().isEmpty() || toleration.getKey().equals(taint.getKey());
    }
    return Objects.equals(toleration.getKey(), taint.getKey())
        && Objects.equals(Objects.requireNonNullElse(toleration.getValue(), ""),
            Objects.requireNonNullElse(taint.getValue(), ""));
  }

  /** Whether the node meets the pod's required node affinity (a pod without one fits every node). */
  static boolean nodeAffinity(PodSpec spec, Node node) {
    NodeSelector required = Optional.ofNullable(spec).map(PodSpec::getAffinity).map(a -> a.getNodeAffinity())
        .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution()).orElse(null);
    if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
      return true;
    }
    return required.getNodeSelectorTerms().stream().anyMatch(term -> matches(term, node));
  }

  private static boolean matches(NodeSelectorTerm term, Node node) {
    Map<String, String> labels = labels(node.getMetadata().getLabels());
    List<NodeSelectorRequirement> expressions = Objects.requireNonNullElse(term.getMatchExpressions(), List.of());
    List<NodeSelectorRequirement> fields = Objects.requireNonNullElse(term.getMatchFields(), List.of());
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    return expressions.stream().allMatch(e -> matches(e.getOperator(), labels.get(e.getKey()), e.getValues()))
        && fields.stream().allMatch(e -> "metadata.name".equals(e.getKey())
            && matches(e.getOperator(), node.getMetadata().getName(), e.getValues()));
  }

  private static boolean matches(String operator, String value, List<String> values) {
    List<String> wanted = Objects.requireNonNullElse(values, List.of());
    return switch (operator) {
      case "In" -> value != null && wanted.contains(value);
      case "NotIn" -> value == null || !wanted.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> value != null && wanted.size() == 1 && compare(value, wanted.get(0), operator);
      default -> false;
    };
  }

  private static boolean compare(String value, String bound, String operator) {
    try {
      long a = Long.parseLong(value);
      long b = Long.parseLong(bound);
      return "Gt".equals(operator) ? a > b : a < b;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The required pod anti-affinity terms of a spec; empty for most pods. */
  static List<PodAffinityTerm> antiAffinity(PodSpec spec) {
    return Optional.ofNullable(spec).map(PodSpec::getAffinity).map(a -> a.getPodAntiAffinity())
        .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution()).orElse(List.of());
  }

  /**
   * Whether a pod ({@code self} in {@code namespace}) with these anti-affinity terms may go to
   * {@code node}, given the cluster's pods and nodes: no other pod a term selects runs on a node
   * sharing the term's topology value.
   */
  static boolean antiAffinity(String namespace, String self, List<PodAffinityTerm> terms, Node node, List<Pod> pods,
      Map<String, Node> nodes) {
    for (PodAffinityTerm term : terms) {
      String value = labels(node.getMetadata().getLabels()).get(term.getTopologyKey());
      if (value == null) {
        continue;
      }
      List<String> namespaces = term.getNamespaces() == null || term.getNamespaces().isEmpty()
          ? List.of(namespace) : term.getNamespaces();
      boolean clash = pods.stream()
          .filter(p -> namespaces.contains(p.getMetadata().getNamespace()))
          .filter(p -> !(namespace.equals(p.getMetadata().getNamespace()) && self.equals(p.getMetadata().getName())))
          .filter(p -> selects(term.getLabelSelector(), labels(p.getMetadata().getLabels())))
          .map(WorkloadPods::node).filter(Objects::nonNull).map(nodes::get).filter(Objects::nonNull)
          .anyMatch(other -> value.equals(labels(other.getMetadata().getLabels()).get(term.getTopologyKey())));
      if (clash) {
        return false;
      }
    }
    return true;
  }

  /** Whether a label selector selects these labels; a null selector selects nothing. */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    boolean byLabels = labels(selector.getMatchLabels()).entrySet().stream()
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    List<LabelSelectorRequirement> expressions = Objects.requireNonNullElse(selector.getMatchExpressions(), List.of());
    return byLabels && expressions.stream().allMatch(e -> matches(e.getOperator(), labels.get(e.getKey()), e.getValues()));
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : labels;
  }
}
