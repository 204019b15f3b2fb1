package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Keeps a StatefulSet's pods {@code NAME-0 … NAME-(n-1)} in step with its replicas. Under the
 * default OrderedReady policy it starts them one by one in ordinal order, each only once every
 * lower one is Ready, and stops them from the highest ordinal down, one at a time — the fixed order
 * a component's cluster membership depends on. A pod whose claims are bound to local volumes runs
 * on the volumes' node (and waits, Pending, while that node cannot take it). A changed pod template
 * ({@code rollout restart}) replaces the pods from the highest ordinal down.
 */
final class StatefulSetController {

  private final WorkloadPods pods;
  private final PodScheduler scheduler;

  StatefulSetController(WorkloadPods pods, PodScheduler scheduler) {
    this.pods = pods;
    this.scheduler = scheduler;
  }

  void reconcile(String namespace, String name) {
    StatefulSet sts = pods.client().apps().statefulSets().inNamespace(namespace).withName(name).get();
    if (sts == null || sts.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    int replicas = Optional.ofNullable(sts.getSpec().getReplicas()).orElse(1);
    String revision = name + "-" + pods.templateHash(sts.getSpec().getTemplate());
    List<Pod> owned = pods.owned(sts, sts.getSpec().getSelector());
    startMissing(sts, owned, replicas, revision);
    stopSurplusOrRoll(owned, replicas, revision, ordered(sts));
    writeStatus(sts, owned, replicas, revision);
  }

  /** Creates (or binds to a node) the pods of ordinals below {@code replicas}, in order unless Parallel. */
  private void startMissing(StatefulSet sts, List<Pod> owned, int replicas, String revision) {
    String namespace = sts.getMetadata().getNamespace();
    boolean ordered = ordered(sts);
    Map<String, Pod> byName = owned.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity()));
    List<Node> nodes = pods.nodes();
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      String podName = sts.getMetadata().getName() + "-" + ordinal;
      Pod pod = byName.get(podName);
      boolean waitHere;
      if (pod == null && pods.nameTaken(namespace, podName)) {
        waitHere = true;
      } else if (pod == null) {
        pods.create(namespace, podName, template(sts, podName), PodObjects.controllerRef(sts),
            Map.of("statefulset.kubernetes.io/pod-name", podName, "apps.kubernetes.io/pod-index",
                String.valueOf(ordinal), "controller-revision-hash", revision),
            node(sts, podName, nodes).orElse(null));
        waitHere = true;
      } else {
        if (WorkloadPods.active(pod) && WorkloadPods.node(pod) == null) {
          node(sts, podName, nodes).ifPresent(n -> pods.bind(pod, n));
        }
        waitHere = !(WorkloadPods.active(pod) && PodObjects.ready(pod));
      }
      if (ordered && waitHere) {
        return;
      }
    }
  }

  /**
   * Stops pods of ordinals at or above {@code replicas}, highest first (one at a time unless
   * Parallel); when there are none and every pod is Ready, replaces the highest pod of an older
   * template.
   */
  private void stopSurplusOrRoll(List<Pod> owned, int replicas, String revision, boolean ordered) {
    List<Pod> surplus = owned.stream().filter(WorkloadPods::active)
        .filter(p -> ordinal(p) >= replicas)
        .sorted(Comparator.comparingInt(StatefulSetController::ordinal).reversed()).toList();
    boolean settled = owned.stream().allMatch(p -> WorkloadPods.active(p) && PodObjects.ready(p));
    if (!surplus.isEmpty() && (!ordered || owned.stream().noneMatch(PodObjects::terminating))) {
      (ordered ? surplus.subList(0, 1) : surplus).forEach(pods::delete);
    } else if (surplus.isEmpty() && settled && owned.size() == replicas) {
      owned.stream().filter(p -> !revision.equals(p.getMetadata().getLabels().get("controller-revision-hash")))
          .max(Comparator.comparingInt(StatefulSetController::ordinal))
          .ifPresent(pods::delete);
    }
  }

  private static boolean ordered(StatefulSet sts) {
    return !"Parallel".equals(sts.getSpec().getPodManagementPolicy());
  }

  private Optional<String> node(StatefulSet sts, String podName, List<Node> nodes) {
    PodSpec spec = sts.getSpec().getTemplate().getSpec();
    List<PersistentVolumeClaim> templates = Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates()).orElse(List.of());
    if (templates.isEmpty()) {
      List<Pod> siblings = pods.owned(sts, sts.getSpec().getSelector());
      return scheduler.spread(sts.getMetadata().getNamespace(), podName, sts.getMetadata().getName(), siblings, spec,
          nodes);
    }
    List<String> claims = templates.stream().map(t -> t.getMetadata().getName() + "-" + podName).toList();
    return scheduler.forClaims(sts.getMetadata().getNamespace(), claims, spec, nodes);
  }

  /**
   * The pod's spec as the StatefulSet controller makes it: its hostname and subdomain, and a volume
   * for each claim template, named as the template, using the pod's claim ({@code data-kafka-0}).
   */
  private static PodTemplateSpec template(StatefulSet sts, String podName) {
    PodTemplateSpecBuilder template = new PodTemplateSpecBuilder(sts.getSpec().getTemplate());
    template.editSpec().withHostname(podName).withSubdomain(sts.getSpec().getServiceName()).endSpec();
    for (PersistentVolumeClaim claim : Optional.ofNullable(sts.getSpec().getVolumeClaimTemplates()).orElse(List.of())) {
      String name = claim.getMetadata().getName();
      template.editSpec().removeMatchingFromVolumes(v -> name.equals(v.getName())).addNewVolume().withName(name)
          .withNewPersistentVolumeClaim().withClaimName(name + "-" + podName).endPersistentVolumeClaim().endVolume()
          .endSpec();
    }
    return template.build();
  }

  private void writeStatus(StatefulSet sts, List<Pod> owned, int replicas, String revision) {
    List<Pod> active = owned.stream().filter(WorkloadPods::active).toList();
    int ready = (int) active.stream().filter(PodObjects::ready).count();
    int updated = (int) active.stream()
        .filter(p -> revision.equals(p.getMetadata().getLabels().get("controller-revision-hash"))).count();
    StatefulSetStatus status = new StatefulSetStatusBuilder()
        .withObservedGeneration(sts.getMetadata().getGeneration())
        .withReplicas(active.size()).withReadyReplicas(ready).withAvailableReplicas(ready)
        .withCurrentReplicas(updated).withUpdatedReplicas(updated)
        .withCurrentRevision(revision).withUpdateRevision(revision).withCollisionCount(0)
        .build();
    if (!Objects.equals(status, sts.getStatus())) {
      StatusPatch.write(pods.client().apps().statefulSets().resource(sts), sts, status);
    }
  }

  static int ordinal(Pod pod) {
    String name = pod.getMetadata().getName();
    try {
      return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
