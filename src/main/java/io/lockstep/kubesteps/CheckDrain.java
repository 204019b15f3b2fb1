package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.check-drain}: before a node is drained, checks that the drain can succeed, without
 * changing anything: no PodDisruptionBudget allows fewer disruptions than it covers pods on the
 * node (the eviction of those pods would be refused until the step's time ran out; they are named),
 * and the pods to be evicted fit on the other Ready, schedulable nodes — their CPU and memory
 * requests within what those nodes have allocatable and not yet requested, and the pod count
 * within their pod capacity. DaemonSet and mirror pods stay on the node and are not counted.
 *
 * <p>A budget's allowed disruptions are computed as the API server's disruption controller does:
 * healthy (Ready, not terminating) selected pods minus {@code minAvailable}, or
 * {@code maxUnavailable} minus the selected pods missing from what their controllers want.
 */
@Component
class CheckDrain implements StepExecutor {

  static final String TYPE = "k8s.check-drain";
  private static final BigDecimal ZERO = BigDecimal.ZERO;

  private final Kubernetes kubernetes;

  CheckDrain(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    String node = NodeParams.node(TYPE, params);
    return StepPreview.of(Line.of("preview.k8s.checkDrain", "check, changing nothing, that no PodDisruptionBudget would"
        + " block evicting the pods on {0} and that they fit on the other Ready, schedulable nodes (CPU, memory, pod"
        + " count)", node));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    String name = NodeParams.node(TYPE, context.params());
    KubernetesClient client = kubernetes.client();
    context.action(null, "read the pods, nodes and PodDisruptionBudgets of the cluster");
    Node node = Nodes.require(client, name);
    List<Pod> all = Api.call("list the pods", () -> client.pods().inAnyNamespace().list().getItems());
    List<Node> nodes = Api.call("list the nodes", () -> client.nodes().list().getItems());
    List<PodDisruptionBudget> budgets = Api.call("list the PodDisruptionBudgets",
        () -> client.policy().v1().podDisruptionBudget().inAnyNamespace().list().getItems());
    NodePods onNode = NodePods.on(client, node.getMetadata().getName());
    List<Pod> leaving = new ArrayList<>(onNode.emptyDir());
    leaving.addAll(onNode.other());
    context.info(leaving.size() + " pods would be evicted from " + name
        + (leaving.isEmpty() ? "" : ": " + NodePods.paths(leaving)));

    StayingPods places = new StayingPods(client, name, nodes);
    Map<Pod, String> staying = places.of(leaving);
    staying.forEach((pod, why) -> context.info(NodePods.path(pod) + " cannot leave " + name + ": " + why));
    List<Pod> moving = leaving.stream().filter(p -> !staying.containsKey(p)).toList();

    List<String> problems = new ArrayList<>();
    for (PodDisruptionBudget budget : budgets) {
      blocked(client, budget, all, leaving).ifPresent(problems::add);
    }
    fit(context, name, moving, all, places.placesFor(moving)).ifPresent(problems::add);
    if (!problems.isEmpty()) {
      throw new StepFailedException("the drain of " + name + " would not succeed: " + String.join("; ", problems)
          + (staying.isEmpty() ? "" : "; besides, " + stay(name, staying)));
    }
    if (staying.isEmpty()) {
      return context.said(Line.of("summary.k8s.checkDrain.ok", "{0} pods can leave {1}: no PodDisruptionBudget blocks"
          + " them and the other nodes have room", leaving.size(), name));
    }
    return context.said(Line.of("summary.k8s.checkDrain.warning", "warning: {0}. The other {1} of the {2} pods can leave"
        + " {3}: no PodDisruptionBudget blocks them and the other nodes have room", stayLine(name, staying),
        moving.size(), leaving.size(), name));
  }

  /** The pods that cannot leave, each with why; at most {@link Shown#MAX} named, the rest counted (all are in the log). */
  private static String stay(String node, Map<Pod, String> staying) {
    return stayLine(node, staying).english();
  }

  /** {@link #stay} as a line: the words in the reader's language, the pods and their reasons as they are. */
  private static Line stayLine(String node, Map<Pod, String> staying) {
    List<String> named = staying.entrySet().stream().limit(Shown.MAX)
        .map(e -> NodePods.path(e.getKey()) + ": " + e.getValue()).toList();
    int more = staying.size() - named.size();
    Line stay = staying.size() == 1
        ? Line.of("summary.k8s.checkDrain.stayOne", "1 pod cannot leave {0} and will be Pending, their replicas down,"
            + " until it is back: {1}", node, String.join("; ", named))
        : Line.of("summary.k8s.checkDrain.stayMany", "{0} pods cannot leave {1} and will be Pending, their replicas down,"
            + " until it is back: {2}", staying.size(), node, String.join("; ", named));
    return more > 0 ? Line.of("summary.k8s.checkDrain.andMore", "{0}; and {1} more (named in the log)", stay, more)
        : stay;
  }

  /** The budget's complaint when it covers more of the leaving pods than it allows disruptions. */
  private java.util.Optional<String> blocked(KubernetesClient client, PodDisruptionBudget budget, List<Pod> all,
      List<Pod> leaving) throws InterruptedException {
    String namespace = budget.getMetadata().getNamespace();
    LabelSelector selector = budget.getSpec() == null ? null : budget.getSpec().getSelector();
    if (selector == null) {
      return java.util.Optional.empty();
    }
    List<Pod> covered = leaving.stream().filter(p -> namespace.equals(p.getMetadata().getNamespace())
        && matches(selector, p.getMetadata().getLabels())).toList();
    if (covered.isEmpty()) {
      return java.util.Optional.empty();
    }
    List<Pod> selected = all.stream().filter(p -> namespace.equals(p.getMetadata().getNamespace())
        && matches(selector, p.getMetadata().getLabels())).toList();
    int expected = Math.max(selected.size(), expectedByOwners(client, namespace, selected));
    List<Pod> healthyPods = selected.stream().filter(p -> ready(p) && p.getMetadata().getDeletionTimestamp() == null)
        .toList();
    int healthy = healthyPods.size();
    int allowed;
    String rule;
    if (budget.getSpec().getMinAvailable() != null) {
      int min = amount(budget.getSpec().getMinAvailable(), expected, true);
      allowed = healthy - min;
      rule = "minAvailable " + text(budget.getSpec().getMinAvailable());
    } else if (budget.getSpec().getMaxUnavailable() != null) {
      int max = amount(budget.getSpec().getMaxUnavailable(), expected, false);
      allowed = max - (expected - healthy);
      rule = "maxUnavailable " + text(budget.getSpec().getMaxUnavailable());
    } else {
      return java.util.Optional.empty();
    }
    List<Pod> coveredHealthy = covered.stream().filter(healthyPods::contains).toList();
    if (coveredHealthy.size() <= Math.max(0, allowed)) {
      return java.util.Optional.empty();
    }
    List<Pod> stuck = coveredHealthy.subList(Math.max(0, allowed), coveredHealthy.size());
    return java.util.Optional.of("PodDisruptionBudget " + namespace + "/" + budget.getMetadata().getName() + " ("
        + rule + ", " + healthy + " of " + expected + " pods healthy) allows " + Math.max(0, allowed)
        + " disruption" + (Math.max(0, allowed) == 1 ? "" : "s") + ", so it would block the eviction of "
        + NodePods.paths(stuck));
  }

  private static String text(IntOrString value) {
    return value.getStrVal() != null ? value.getStrVal() : String.valueOf(value.getIntVal());
  }

  private static int expectedByOwners(KubernetesClient client, String namespace, List<Pod> pods)
      throws InterruptedException {
    Set<String> owners = new LinkedHashSet<>();
    for (Pod pod : pods) {
      for (OwnerReference owner : Objects.requireNonNullElse(pod.getMetadata().getOwnerReferences(), List.<OwnerReference>of())) {
        if (Boolean.TRUE.equals(owner.getController())) {
          owners.add(owner.getKind() + "/" + owner.getName());
        }
      }
    }
    int expected = 0;
    for (String owner : owners) {
      String kind = owner.substring(0, owner.indexOf('/'));
      String ownerName = owner.substring(owner.indexOf('/') + 1);
      Integer replicas = switch (kind) {
        case "StatefulSet" -> Api.call("read StatefulSet " + namespace + "/" + ownerName, () -> {
          var s = client.apps().statefulSets().inNamespace(namespace).withName(ownerName).get();
          return s == null ? null : s.getSpec().getReplicas();
        });
        case "ReplicaSet" -> Api.call("read ReplicaSet " + namespace + "/" + ownerName, () -> {
          var s = client.apps().replicaSets().inNamespace(namespace).withName(ownerName).get();
          return s == null ? null : s.getSpec().getReplicas();
        });
        default -> null;
      };
      expected += replicas == null ? 0 : replicas;
    }
    return expected;
  }

  private static int amount(IntOrString value, int expected, boolean roundUp) {
    if (value.getStrVal() == null) {
      return value.getIntVal() == null ? 0 : value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (text.endsWith("%")) {
      double share = Double.parseDouble(text.substring(0, text.length() - 1)) * expected / 100.0;
      return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }
    return Integer.parseInt(text);
  }

  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> have = labels == null ? Map.of() : labels;
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : Objects.requireNonNullElse(selector.getMatchExpressions(),
        List.<LabelSelectorRequirement>of())) {
      String value = have.get(r.getKey());
      List<String> values = Objects.requireNonNullElse(r.getValues(), List.of());
      boolean ok = switch (r.getOperator()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the requests of the pods that can move fit into the free room of {@code others} (the
   * Ready, schedulable nodes some of them may go to), in sum.
   */
  private static java.util.Optional<String> fit(StepContext context, String draining, List<Pod> leaving, List<Pod> all,
      List<Node> others) {
    if (leaving.isEmpty()) {
      return java.util.Optional.empty();
    }
    if (others.isEmpty()) {
      return java.util.Optional.of("no other node is Ready and schedulable to take its " + leaving.size() + " pods");
    }
    Map<String, BigDecimal> need = requests(leaving);
    need.put("pods", BigDecimal.valueOf(leaving.size()));
    Map<String, BigDecimal> free = new LinkedHashMap<>();
    for (Node n : others) {
      List<Pod> there = all.stream().filter(p -> p.getSpec() != null
          && n.getMetadata().getName().equals(p.getSpec().getNodeName()) && !finished(p)).toList();
      Map<String, BigDecimal> used = requests(there);
      used.put("pods", BigDecimal.valueOf(there.size()));
      Map<String, Quantity> allocatable = n.getStatus() == null || n.getStatus().getAllocatable() == null
          ? Map.of() : n.getStatus().getAllocatable();
      for (String resource : List.of("cpu", "memory", "pods")) {
        Quantity q = allocatable.get(resource);
        if (q == null) {
          continue;
        }
        BigDecimal room = Quantity.getAmountInBytes(q).subtract(used.getOrDefault(resource, ZERO)).max(ZERO);
        free.merge(resource, room, BigDecimal::add);
      }
    }
    List<String> lacking = new ArrayList<>();
    for (String resource : List.of("cpu", "memory", "pods")) {
      BigDecimal n = need.getOrDefault(resource, ZERO);
      if (free.containsKey(resource) && n.compareTo(free.get(resource)) > 0) {
        lacking.add(resource + " (the pods request " + shown(resource, n) + ", the other nodes have "
            + shown(resource, free.get(resource)) + " free)");
      }
    }
    context.info("the evicted pods request " + need.entrySet().stream().map(e -> e.getKey() + " " + shown(e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ")) + "; free on " + others.size() + " other nodes: "
        + free.entrySet().stream().map(e -> e.getKey() + " " + shown(e.getKey(), e.getValue())).collect(Collectors.joining(", ")));
    return lacking.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of("the other nodes lack room for its pods: " + String.join(", ", lacking));
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static Map<String, BigDecimal> requests(List<Pod> pods) {
    Map<String, BigDecimal> sum = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
        continue;
      }
      pod.getSpec().getContainers().forEach(c -> {
        if (c.getResources() != null && c.getResources().getRequests() != null) {
          c.getResources().getRequests().forEach((resource, q) -> {
            if (resource.equals("cpu") || resource.equals("memory")) {
              sum.merge(resource, Quantity.getAmountInBytes(q), BigDecimal::add);
            }
          });
        }
      });
    }
    return sum;
  }

  private static String shown(String resource, BigDecimal amount) {
    return switch (resource) {
      case "cpu" -> amount.stripTrailingZeros().toPlainString() + " cores";
      case "memory" -> amount.divide(BigDecimal.valueOf(1024L * 1024 * 1024), 1, java.math.RoundingMode.HALF_UP) + " GiB";
      default -> amount.toPlainString();
    };
  }
}
