package io.lockstep.targets;

import io.lockstep.run.PlanDataCheck.ValueProblem;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.targets.ClusterMachines.Machine;
import io.lockstep.targets.ClusterMachines.Picture;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The rules about the nodes a plan of P2, P3 or P4 names, against the cluster as it is: pure
 * functions of the cluster's picture and its etcd members (asked only when a rule needs them).
 */
final class TargetRules {

  static final String P2 = "restart-master-node";
  static final String P3 = "restart-worker-node";
  static final String P4 = "restart-cluster";
  /** P4's {@code partial_reason} when nothing is left out on purpose. */
  static final String NO_REASON = "none";

  private TargetRules() {}

  /** P2: the node is a master of the cluster. */
  static List<ValueProblem> master(Picture cluster, String node) {
    Machine m = cluster.machine(node).orElse(null);
    if (m == null) {
      return List.of(unknown("node", List.of(node), cluster));
    }
    if (!m.master()) {
      return List.of(ValueProblem.of("node", Line.of("plancheck.notMaster", "{0} is not a master: it has no {1} or {2}"
          + " label ({3}); this procedure stops a master and its etcd member — restart a worker with restart-worker-node",
          node, ClusterMachines.MASTER, ClusterMachines.CONTROL_PLANE, roles(m))));
    }
    return List.of();
  }

  /** P3: the node is a node of the cluster that is neither a master nor runs an etcd member. */
  static List<ValueProblem> worker(Picture cluster, String node, Supplier<Set<String>> etcdNodes) {
    Machine m = cluster.machine(node).orElse(null);
    if (m == null) {
      return List.of(unknown("node", List.of(node), cluster));
    }
    if (m.master()) {
      return List.of(ValueProblem.of("node", Line.of("plancheck.isMaster", "{0} is a master ({1}): this procedure"
          + " stops only kubelet and docker and checks no etcd quorum; restart a master with restart-master-node",
          node, roles(m))));
    }
    Set<String> etcd;
    try {
      etcd = etcdNodes.get();
    } catch (IllegalStateException e) {
      return List.of(ValueProblem.of("node", Line.of("plancheck.etcdUnknownFor",
          "cannot tell whether {0} runs an etcd member: {1}", node, e.getMessage())));
    }
    if (etcd.contains(node)) {
      return List.of(ValueProblem.of("node", Line.of("plancheck.runsEtcd", "{0} runs an etcd member (etcdctl member"
          + " list names its address {1}): stopping it without checking etcd''s quorum could stop the Kubernetes API;"
          + " restart it with restart-master-node, which checks the quorum", node, m.address())));
    }
    return List.of();
  }

  /**
   * P4: {@code nodes} names every machine of the cluster and {@code etcd_nodes} every etcd member,
   * and nothing else; a list that leaves some out is accepted only with {@code partial_reason}.
   */
  static List<ValueProblem> wholeCluster(Picture cluster, List<String> nodes, List<String> etcdNodes,
      String partialReason, Supplier<Set<String>> etcdMembers) {
    List<ValueProblem> problems = new ArrayList<>();
    List<String> notNodes = nodes.stream().filter(n -> cluster.machine(n).isEmpty()).toList();
    if (!notNodes.isEmpty()) {
      problems.add(unknown("nodes", notNodes, cluster));
    }
    boolean partial = given(partialReason);
    if (stated(partialReason) && !partial) {
      problems.add(ValueProblem.of("partial_reason", Line.of("plancheck.noReason", "''{0}'' says no reason: write in"
          + " words why the nodes left out keep running while the rest stops (say, node-6 is the backup server, on its"
          + " own power), or {1} when the plan names the whole cluster", partialReason.strip(), NO_REASON)));
    }
    List<String> leftOut = cluster.names().stream().filter(n -> !nodes.contains(n)).toList();
    if (!leftOut.isEmpty() && !partial) {
      problems.add(ValueProblem.of("nodes", Line.of("plancheck.nodesLeftOut", "nodes leaves out {0} of the cluster''s"
          + " {1} nodes: {2}; they would keep running while the rest of the cluster stops. List every node of the"
          + " cluster (kubectl get nodes), or say in partial_reason why they keep running", leftOut.size(),
          cluster.machines().size(), String.join(", ", leftOut))));
    }
    Set<String> members;
    try {
      members = etcdMembers.get();
    } catch (IllegalStateException e) {
      problems.add(ValueProblem.of("etcd_nodes", Line.of("plancheck.etcdUnknown",
          "cannot tell which nodes run an etcd member: {0}", e.getMessage())));
      return problems;
    }
    List<String> notMembers = etcdNodes.stream().filter(n -> !members.contains(n)).toList();
    if (!notMembers.isEmpty()) {
      problems.add(ValueProblem.of("etcd_nodes", notMembers.size() == 1
          ? Line.of("plancheck.notMember", "etcd_nodes names {0}, which runs no etcd member (etcdctl member list names"
              + " {1})", notMembers.get(0), String.join(", ", members))
          : Line.of("plancheck.notMembers", "etcd_nodes names {0}, which run no etcd member (etcdctl member list names"
              + " {1})", String.join(", ", notMembers), String.join(", ", members))));
    }
    List<String> membersLeftOut = members.stream().filter(n -> !etcdNodes.contains(n)).toList();
    if (!membersLeftOut.isEmpty() && !partial) {
      problems.add(ValueProblem.of("etcd_nodes", Line.of("plancheck.membersLeftOut", "etcd_nodes leaves out {0} of"
          + " the {1} etcd members: {2}; their etcd would keep running while the others stop. List every etcd member"
          + " ({3}), or say in partial_reason why they keep running", membersLeftOut.size(), members.size(),
          String.join(", ", membersLeftOut), String.join(", ", members))));
    }
    return problems;
  }

  /** What keeps running in a P4 plan: the machines and etcd members its lists leave out. */
  static String keepsRunning(Picture cluster, List<String> nodes, List<String> etcdNodes, Set<String> members) {
    List<String> leftOut = cluster.names().stream().filter(n -> !nodes.contains(n)).toList();
    List<String> etcdLeftOut = members.stream().filter(n -> !etcdNodes.contains(n)).toList();
    List<String> parts = new ArrayList<>();
    if (!leftOut.isEmpty()) {
      parts.add("nodes " + String.join(", ", leftOut) + " (kubelet, docker)");
    }
    if (!etcdLeftOut.isEmpty()) {
      parts.add("the etcd members on " + String.join(", ", etcdLeftOut));
    }
    return String.join(" and ", parts);
  }

  /**
   * Whether a plan gives a reason for leaving part of the cluster out: not blank, not the default
   * {@value #NO_REASON}, and a reason ({@link #isReason}), not a placeholder such as {@code n/a}.
   */
  static boolean given(String partialReason) {
    return stated(partialReason) && isReason(partialReason);
  }

  /** Whether anything but blank or the default {@value #NO_REASON} was written. */
  private static boolean stated(String partialReason) {
    return partialReason != null && !partialReason.isBlank() && !partialReason.strip().equalsIgnoreCase(NO_REASON);
  }

  private static final Set<String> PLACEHOLDERS = Set.of("n a", "na", "not applicable", "no reason", "none given",
      "tbd", "todo", "to do", "nil", "null", "nothing", "test", "reason", "because", "see ticket", "ok", "yes", "no");

  /** A reason says why in words: at least two words, eight letters, and not a placeholder (n/a, tbd, no reason). */
  static boolean isReason(String text) {
    String words = text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    long letters = words.codePoints().filter(Character::isLetter).count();
    // Chinese needs no spaces between words: eight letters of it say more than two English words
    boolean twoWords = words.split(" ").length >= 2 || words.codePoints().anyMatch(c -> Character.UnicodeScript.of(c)
        == Character.UnicodeScript.HAN);
    return twoWords && (letters >= 8 || words.codePoints().filter(c -> Character.UnicodeScript.of(c)
        == Character.UnicodeScript.HAN).count() >= 4) && !PLACEHOLDERS.contains(words);
  }

  private static ValueProblem unknown(String parameter, List<String> names, Picture cluster) {
    String known = cluster.machines().stream().map(Machine::described).collect(Collectors.joining(", "));
    return ValueProblem.of(parameter, names.size() == 1
        ? Line.of("plancheck.notANode", "{0} is not a node of the cluster (its nodes: {1})", names.get(0), known)
        : Line.of("plancheck.notNodes", "{0} are not nodes of the cluster (its nodes: {1})", String.join(", ", names),
            known));
  }

  private static Line roles(Machine m) {
    return m.roles().isEmpty() ? Line.of("plancheck.noRoles", "no node-role label")
        : Line.of("plancheck.roles", "its roles: {0}", String.join(", ", m.roles()));
  }
}
