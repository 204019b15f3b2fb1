package io.lockstep.inventory;

import java.time.Instant;
import java.util.List;

/**
 * The platform as read at one moment.
 *
 * @param apiUrl the Kubernetes API the snapshot was read from
 * @param takenAt when it was read
 * @param nodes every Node
 * @param components base components (StatefulSets of the resource namespace), replica by replica
 * @param operatorComponents custom resources of the operators that manage components
 * @param appNamespace the business applications' namespace (the one holding deploy-service)
 * @param workloads the business applications' Deployments, StatefulSets and DaemonSets
 */
public record InventorySnapshot(
    String apiUrl,
    Instant takenAt,
    List<NodeRow> nodes,
    List<ComponentRow> components,
    List<OperatorComponentRow> operatorComponents,
    String appNamespace,
    List<WorkloadRow> workloads) {

  private static final java.time.format.DateTimeFormatter UTC_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

  /** When it was read, for people: {@code 2026-11-25 20:13:07 UTC}. */
  public String takenAtUtc() {
    return UTC_TIME.format(takenAt);
  }

  public long readyNodes() {
    return nodes.stream().filter(NodeRow::ready).count();
  }

  public long reachableNodes() {
    return nodes.stream().filter(n -> n.ssh().reachable()).count();
  }

  public long replicaCount() {
    return components.stream().mapToLong(c -> c.replicas().size()).sum();
  }

  public long readyReplicas() {
    return components.stream().flatMap(c -> c.replicas().stream()).filter(ReplicaRow::podReady).count();
  }

  /** A Node and whether the console can reach it over SSH. */
  public record NodeRow(
      String name, List<String> roles, boolean ready, boolean schedulable, String ip, SshStatus ssh) {}

  /** The outcome of an SSH probe: the fingerprint is the key the node presented, if any. */
  public record SshStatus(boolean reachable, String fingerprint, String message) {}

  /**
   * A base component.
   *
   * @param managedBy "Helm" or the kind of the custom resource that owns it
   */
  public record ComponentRow(String name, String statefulSet, String managedBy, int desired, int ready,
      List<ReplicaRow> replicas) {}

  /** One replica of a base component: the ordinal → node mapping P1 must preserve. */
  public record ReplicaRow(int ordinal, String node, String dataPath, String pv, String pvc, String pod,
      String podPhase, boolean podReady, String podNode) {}

  /** A custom resource standing for an operator-managed component. */
  public record OperatorComponentRow(String kind, String crd, String name, String namespace, int replicas) {}

  /** A business application workload. */
  public record WorkloadRow(String kind, String name, int desired, int ready) {}
}
