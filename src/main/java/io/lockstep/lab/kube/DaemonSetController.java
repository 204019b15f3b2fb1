package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps one pod of a DaemonSet on every node its pod template's nodeSelector, tolerations and node
 * affinity admit, and none elsewhere — never on a Kosmos virtual node, whose virtual kubelet runs no
 * DaemonSet pods (a member cluster runs its own): P1 stops a DaemonSet by giving it the selector {@code stop-by-admin: "true"}, which no
 * node has, and starts it again by removing that selector. A matching node that cannot take pods
 * (NotReady) counts as desired but gets its pod only once it is Ready. Pods of an older template are
 * replaced.
 */
final class DaemonSetController {

  private static final String REVISION = "controller-revision-hash";

  private final WorkloadPods pods;
  private final PodScheduler scheduler;

  DaemonSetController(WorkloadPods pods, PodScheduler scheduler) {
    this.pods = pods;
    this.scheduler = scheduler;
  }

  void reconcile(String namespace, String name) {
    DaemonSet ds = pods.client().apps().daemonSets().inNamespace(namespace).withName(name).get();
    if (ds == null || ds.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String revision = pods.templateHash(ds.getSpec().getTemplate());
    PodSpec spec = ds.getSpec().getTemplate().getSpec();
    List<Node> eligible = pods.nodes().stream()
        .filter(n -> !KosmosNodes.virtual(n) && SchedulingRules.fits(spec, n)).toList();
    Set<String> eligibleNames = eligible.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
    List<Pod> owned = pods.owned(ds, ds.getSpec().getSelector());
    List<Pod> active = owned.stream().filter(WorkloadPods::active).toList();

    active.stream()
        .filter(p -> !eligibleNames.contains(WorkloadPods.node(p))
            || !revision.equals(p.getMetadata().getLabels().get(REVISION)))
        .forEach(pods::delete);
    Set<String> covered = active.stream()
        .filter(p -> revision.equals(p.getMetadata().getLabels().get(REVISION)))
        .map(WorkloadPods::node).collect(Collectors.toSet());
    for (Node node : eligible) {
      String nodeName = node.getMetadata().getName();
      if (!covered.contains(nodeName) && scheduler.takesPods(node, true)) {
        pods.create(namespace, name + "-" + pods.suffix(), ds.getSpec().getTemplate(), PodObjects.controllerRef(ds),
            Map.of(REVISION, revision, "pod-template-generation",
                String.valueOf(ds.getMetadata().getGeneration())), nodeName);
      }
    }
    writeStatus(ds, active, eligibleNames, revision);
  }

  private void writeStatus(DaemonSet ds, List<Pod> active, Set<String> eligible, String revision) {
    List<Pod> scheduled = active.stream().filter(p -> eligible.contains(WorkloadPods.node(p))).toList();
    int ready = (int) scheduled.stream().filter(PodObjects::ready).count();
    int updated = (int) scheduled.stream()
        .filter(p -> revision.equals(p.getMetadata().getLabels().get(REVISION))).count();
    DaemonSetStatus status = new DaemonSetStatusBuilder()
        .withObservedGeneration(ds.getMetadata().getGeneration())
        .withDesiredNumberScheduled(eligible.size())
        .withCurrentNumberScheduled(scheduled.size())
        .withNumberMisscheduled(active.size() - scheduled.size())
        .withNumberReady(ready).withNumberAvailable(ready)
        .withNumberUnavailable(Math.max(0, eligible.size() - ready))
        .withUpdatedNumberScheduled(updated)
        .build();
    if (!Objects.equals(status, ds.getStatus())) {
      StatusPatch.write(pods.client().apps().daemonSets().resource(ds), ds, status);
    }
  }
}
