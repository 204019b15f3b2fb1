package io.lockstep.migration;

import java.util.List;
import java.util.Optional;

/**
 * The platform as the planner reads it at one moment: nodes, every data directory to plan
 * (component replicas in inventory order, then host services) and the applications' namespace.
 *
 * @param nodes every node, by name
 * @param replicas every replica and host-service directory, in table order
 * @param appNamespace the namespace of Deployment deploy-service
 * @param catalogProblem why components' conf keys and kinds could not be read; null when they were
 */
record Platform(List<NodeState> nodes, List<Replica> replicas, String appNamespace, String catalogProblem) {

  Platform {
    nodes = List.copyOf(nodes);
    replicas = List.copyOf(replicas);
  }

  Optional<NodeState> node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  List<String> nodeNames() {
    return nodes.stream().map(NodeState::name).toList();
  }

  Optional<Replica> replica(String component, int ordinal) {
    return replicas.stream().filter(r -> r.component().equals(component) && r.ordinal() == ordinal).findFirst();
  }

  /** The replica of {@code component} whose data is on {@code node}, if any. */
  Optional<Replica> replicaOn(String component, String node) {
    return replicas.stream().filter(r -> r.component().equals(component) && node.equals(r.node())).findFirst();
  }

  boolean knowsComponent(String component) {
    return replicas.stream().anyMatch(r -> r.component().equals(component));
  }

  /** Nodes holding a container replica now: nodes that are already part of the configuration. */
  boolean hostsReplica(String node) {
    return replicas.stream().anyMatch(r -> !r.host() && node.equals(r.node()));
  }

  boolean isMaster(String node) {
    return node(node).map(NodeState::master).orElse(false);
  }
}
