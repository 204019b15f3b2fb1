package io.lockstep.procedure;

import java.util.Collection;
import java.util.Set;

/**
 * The executor types that exist, against which every step's {@code type} is checked when
 * procedures load. The engine supplies a bean listing the types of its executors; without one the
 * {@linkplain #documented() documented catalogue} is used. A procedure naming a type that no
 * executor implements thus fails when it loads, not halfway through a maintenance window.
 */
@FunctionalInterface
public interface StepTypes {

  /** The types in {@code config/procedures/README.md}, used by the shipped procedures. */
  Set<String> DOCUMENTED = Set.of(
      "ssh.exec",
      "k8s.scale", "k8s.cordon", "k8s.uncordon", "k8s.drain", "k8s.check-nodes",
      "wait.pods-gone", "wait.workloads-ready", "wait.node-ready", "wait.node-not-ready",
      "k8s.patch", "k8s.delete", "wait.deleted",
      "k8s.park-daemonsets", "k8s.rollout-restart", "k8s.delete-custom", "k8s.backup-secrets", "wait.pods-ready",
      "copy.rsync", "proton.conf", "proton.secrets", "proton.secrets-restore",
      "k8s.check-drain", "etcd.health", "cluster.check-whole", "cluster.check-worker",
      "fleet.record-vms", "fleet.stop-vms", "fleet.start-vms", "gluster.volumes", "gluster.clients-gone",
      "net.latency", "ipmi.power",
      "kosmos.export", "kosmos.check-export", "kosmos.place", "kosmos.wait-placement", "kosmos.query",
      "kosmos.remove-stale-imports", "kosmos.restore-imports",
      "systemd.active", "k8s.check-restored", "k8s.check-workloads", "proton.check-secrets",
      "manual");

  /** The names of the known types, e.g. {@code ssh.exec}. */
  Set<String> names();

  /**
   * The types whose executors only read (checks, waits that observe): the only ones an action's
   * {@code checks} may use, since a check runs whenever someone looks.
   */
  default Set<String> readOnly() {
    return Set.of();
  }

  /** Exactly these types, none of them read-only. */
  static StepTypes of(Collection<String> names) {
    return of(names, Set.of());
  }

  /** Exactly these types, of which {@code readOnly} only read. */
  static StepTypes of(Collection<String> names, Collection<String> readOnly) {
    Set<String> copy = Set.copyOf(names);
    Set<String> reading = Set.copyOf(readOnly);
    return new StepTypes() {
      @Override
      public Set<String> names() {
        return copy;
      }

      @Override
      public Set<String> readOnly() {
        return reading;
      }
    };
  }

  /** The documented types that only read. */
  Set<String> DOCUMENTED_READ_ONLY = Set.of("k8s.check-nodes", "k8s.check-drain", "etcd.health", "cluster.check-whole",
      "cluster.check-worker",
      "kosmos.check-export", "systemd.active", "k8s.check-restored", "k8s.check-workloads", "proton.check-secrets");

  /** The documented catalogue, {@link #DOCUMENTED}. */
  static StepTypes documented() {
    return of(DOCUMENTED, DOCUMENTED_READ_ONLY);
  }
}
