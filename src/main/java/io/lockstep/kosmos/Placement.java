package io.lockstep.kosmos;

import io.lockstep.run.StepPreview;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the replicas of a MySQL cluster are to run, and the pod spec that puts them there, as the
 * seed builds it: a toleration of Kosmos' taint when a replica goes to a member cluster, a
 * required node affinity {@code kubernetes.io/hostname NotIn […]} leaving out every host node the
 * plan does not name (and the virtual nodes of members it does not name), and a required pod
 * anti-affinity on the hostname when every replica has a place of its own (a member cluster is one
 * virtual node: two replicas in one member cannot be kept apart by hostname).
 *
 * <p>Placement is per place, not per replica ({@link #RULE}): the MySQL operator gives every replica
 * the same pod spec (the CR's {@code spec.podSpec}), so no field can send ordinal 0 here and ordinal
 * 1 there; the plan's list says how many replicas go to each place, and the scheduler chooses which
 * ordinal takes which. The run log names the choice once the replicas run.
 *
 * @param targets one per replica: a host node or a member cluster's name (which ordinal takes which
 *     is the scheduler's choice: one pod spec serves them all)
 * @param members the member clusters the console knows
 */
record Placement(List<String> targets, Set<String> members) {

  static final String VIRTUAL_NODE_PREFIX = "kosmos-";
  static final String TAINT_KEY = "kosmos.io/node";
  static final String HOSTNAME = "kubernetes.io/hostname";
  /** What the plan's list means, said wherever the list is shown. */
  static final String RULE = "placement is per place, not per replica: the MySQL operator gives every replica one pod"
      + " spec, so the order of the list does not choose which replica (ordinal 0 is the primary) goes to which place —"
      + " the scheduler does, and the log names where each ordinal runs after the move";

  Placement {
    targets = List.copyOf(targets);
    members = Set.copyOf(members);
  }

  static String virtualNode(String member) {
    return VIRTUAL_NODE_PREFIX + member;
  }

  boolean inMember(String target) {
    return members.contains(target);
  }

  /** The hostnames the replicas may land on: the host nodes named and the named members' virtual nodes. */
  Set<String> allowed() {
    Set<String> allowed = new LinkedHashSet<>();
    targets.forEach(t -> allowed.add(inMember(t) ? virtualNode(t) : t));
    return allowed;
  }

  List<String> memberTargets() {
    return targets.stream().filter(this::inMember).distinct().toList();
  }

  boolean spread() {
    return allowed().size() == targets.size();
  }

  /** Every node of the host cluster (virtual ones included) the replicas must stay off. */
  List<String> notIn(List<String> hostNodes) {
    Set<String> allowed = allowed();
    return hostNodes.stream().filter(n -> !allowed.contains(n)).sorted().toList();
  }

  /** The {@code spec.podSpec} fields to merge into the CR, for the pod labels {@code podLabels}. */
  Map<String, Object> podSpecPatch(List<String> hostNodes, Map<String, String> podLabels) {
    Map<String, Object> podSpec = new LinkedHashMap<>();
    List<Object> tolerations = new ArrayList<>();
    if (!memberTargets().isEmpty()) {
      tolerations.add(ordered("key", TAINT_KEY, "operator", "Equal", "value", "true", "effect", "NoSchedule"));
    }
    podSpec.put("tolerations", tolerations);
    Map<String, Object> affinity = new LinkedHashMap<>();
    List<String> notIn = notIn(hostNodes);
    affinity.put("nodeAffinity", notIn.isEmpty() ? null : ordered("requiredDuringSchedulingIgnoredDuringExecution",
        ordered("nodeSelectorTerms", List.of(ordered("matchExpressions", List.of(
            ordered("key", HOSTNAME, "operator", "NotIn", "values", notIn)))))));
    affinity.put("podAntiAffinity", spread() ? ordered("requiredDuringSchedulingIgnoredDuringExecution", List.of(
        ordered("labelSelector", ordered("matchLabels", new TreeMap<>(podLabels)), "topologyKey", HOSTNAME))) : null);
    podSpec.put("affinity", affinity);
    return podSpec;
  }

  /** A map keeping its keys in the order given, so the patch reads (and is logged) the same every time. */
  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** {@code a replica → node-4 (host node), a replica → member-1 (member cluster)}: places, not ordinals. */
  String described() {
    List<String> parts = new ArrayList<>();
    for (String target : targets) {
      parts.add("a replica → " + target + (inMember(target) ? " (member cluster)" : " (host node)"));
    }
    return String.join(", ", parts);
  }

  /** {@link #described()} as a preview line's argument. */
  StepPreview.Line describedLine() {
    StepPreview.Line joined = null;
    for (String target : targets) {
      StepPreview.Line part = inMember(target)
          ? StepPreview.Line.of("preview.kosmos.replicaMember", "a replica → {0} (member cluster)", target)
          : StepPreview.Line.of("preview.kosmos.replicaHost", "a replica → {0} (host node)", target);
      joined = joined == null ? part : StepPreview.Line.of("preview.list", "{0}, {1}", joined, part);
    }
    return joined == null ? StepPreview.Line.plain("") : joined;
  }

  /** {@link #RULE} as a preview line. */
  static StepPreview.Line ruleLine() {
    return StepPreview.Line.of("preview.kosmos.rule", "placement is per place, not per replica: the MySQL operator gives"
        + " every replica one pod spec, so the order of the list does not choose which replica (ordinal 0 is the"
        + " primary) goes to which place — the scheduler does, and the log names where each ordinal runs after the"
        + " move");
  }

  /** {@link #described()} and the rule that says the order does not pick ordinals. */
  String describedWithRule() {
    return described() + " (" + RULE + ")";
  }
}
