package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What the executors need to know about Deployments, StatefulSets and DaemonSets. */
final class Workloads {

  private static final String NOT_OBSERVED = "its controller has not seen its latest change yet";

  private Workloads() {}

  /** Every workload of {@code kinds} in {@code namespace}, by kind (in the order of {@code kinds}), then name. */
  static List<ObjectId> list(KubernetesClient client, String namespace, Set<ObjectKind> kinds) {
    List<ObjectId> found = new ArrayList<>();
    for (ObjectKind kind : kinds) {
      kind.in(client, namespace).list().getItems().stream()
          .map(o -> ObjectId.of(kind, o))
          .sorted(Comparator.comparing(ObjectId::name))
          .forEach(found::add);
    }
    return found;
  }

  /** The replicas a Deployment or StatefulSet asks for: {@code spec.replicas}, 1 when unset. */
  static int replicas(HasMetadata workload) {
    Integer replicas;
    if (workload instanceof Deployment d) {
      replicas = d.getSpec() == null ? null : d.getSpec().getReplicas();
    } else if (workload instanceof StatefulSet s) {
      replicas = s.getSpec() == null ? null : s.getSpec().getReplicas();
    } else {
      throw new IllegalArgumentException(workload.getKind() + " has no replicas");
    }
    return replicas == null ? 1 : replicas;
  }

  /** Sets the replicas through the {@code scale} subresource, as {@code kubectl scale} does. */
  static void scale(KubernetesClient client, ObjectId id, int replicas) {
    switch (id.kind()) {
      case DEPLOYMENT -> client.apps().deployments().inNamespace(id.namespace()).withName(id.name()).scale(replicas);
      case STATEFUL_SET -> client.apps().statefulSets().inNamespace(id.namespace()).withName(id.name()).scale(replicas);
      default -> throw new IllegalArgumentException(id.kind() + " cannot be scaled");
    }
  }

  /** The label selector of the workload's pods, as text; null when it has none. */
  static String podSelector(HasMetadata workload) {
    LabelSelector selector = null;
    if (workload instanceof Deployment d && d.getSpec() != null) {
      selector = d.getSpec().getSelector();
    } else if (workload instanceof StatefulSet s && s.getSpec() != null) {
      selector = s.getSpec().getSelector();
    } else if (workload instanceof DaemonSet s && s.getSpec() != null) {
      selector = s.getSpec().getSelector();
    }
    return LabelSelectors.of(selector);
  }

  /**
   * Why the workload is not fully ready ({@code 1/3 ready, 3/3 updated}), null when it is: its
   * controller has seen its current generation and ready = updated = desired replicas
   * (DaemonSets: ready = desired scheduled).
   */
  static String notReady(HasMetadata workload) {
    Long generation = workload.getMetadata().getGeneration();
    if (workload instanceof Deployment d) {
      DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
      return replicasNotReady(generation, s.getObservedGeneration(), replicas(d), s.getReadyReplicas(),
          s.getUpdatedReplicas());
    }
    if (workload instanceof StatefulSet st) {
      StatefulSetStatus s = st.getStatus() == null ? new StatefulSetStatus() : st.getStatus();
      return replicasNotReady(generation, s.getObservedGeneration(), replicas(st), s.getReadyReplicas(),
          s.getUpdatedReplicas());
    }
    if (workload instanceof DaemonSet ds) {
      DaemonSetStatus s = ds.getStatus() == null ? new DaemonSetStatus() : ds.getStatus();
      if (!observed(generation, s.getObservedGeneration())) {
        return NOT_OBSERVED;
      }
      int desired = orZero(s.getDesiredNumberScheduled());
      int ready = orZero(s.getNumberReady());
      return ready == desired ? null : ready + "/" + desired + " ready";
    }
    throw new IllegalArgumentException(workload.getKind() + " is not a workload");
  }

  private static String replicasNotReady(Long generation, Long observed, int desired, Integer ready, Integer updated) {
    if (!observed(generation, observed)) {
      return NOT_OBSERVED;
    }
    if (orZero(ready) == desired && orZero(updated) == desired) {
      return null;
    }
    return orZero(ready) + "/" + desired + " ready, " + orZero(updated) + "/" + desired + " updated";
  }

  private static boolean observed(Long generation, Long observed) {
    return generation == null || (observed != null && observed >= generation);
  }

  private static int orZero(Integer value) {
    return Objects.requireNonNullElse(value, 0);
  }
}
