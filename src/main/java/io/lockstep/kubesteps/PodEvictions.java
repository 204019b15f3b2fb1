package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The evictions of one drain: a policy/v1 Eviction per pod, each declared as an action once. An
 * eviction a PodDisruptionBudget refuses (429) is tried again every {@code retryEvery} until the
 * deadline, then the drain fails naming the pods still blocked; a pod already gone (404) counts as
 * done. (fabric8 itself retries a 429 a few times with back-off before it reports it.)
 */
final class PodEvictions {

  private final StepContext context;
  private final KubernetesClient client;
  private final Duration retryEvery;

  PodEvictions(StepContext context, KubernetesClient client, Duration retryEvery) {
    this.context = context;
    this.client = client;
    this.retryEvery = retryEvery;
  }

  /**
   * Evicts the pods, retrying those a disruption budget blocks.
   *
   * @return the pods evicted (those found gone already left out)
   * @throws StepFailedException evictions are still blocked at {@code deadline} ({@link System#nanoTime()})
   */
  List<Pod> evictAll(DrainParams p, List<Pod> pods, long deadline) throws InterruptedException {
    pods.forEach(pod -> context.action(null, "evict pod " + NodePods.path(pod) + " from node " + p.node()
        + p.graceShown()));
    List<Pod> evicted = new ArrayList<>();
    List<Pod> pending = pods;
    Set<String> shownBlocked = Set.of();
    boolean wasBlocked = false;
    try {
      while (true) {
        pending = evictEach(p, pending, evicted);
        if (pending.isEmpty()) {
          if (wasBlocked) {
            context.action(null, "every eviction went through (" + evicted.size() + " pods); wait until they are gone");
          }
          return evicted;
        }
        if (System.nanoTime() + retryEvery.toNanos() > deadline) {
          throw new StepFailedException("PodDisruptionBudgets still block the eviction of "
              + Shown.count(pending, "pod") + " from node " + p.node() + " as the step's time runs out: "
              + NodePods.paths(pending) + " (evicted " + evicted.size() + "; the node stays cordoned)");
        }
        Set<String> blocked = pending.stream().map(NodePods::path).collect(Collectors.toSet());
        if (!blocked.equals(shownBlocked)) {
          // declared as the step's action, so the step itself (its last action on the run page and in
          // the API), not only the log, says why it is still running
          context.info("a PodDisruptionBudget blocks the eviction of " + NodePods.paths(pending) + ": retrying every "
              + retryEvery.toMillis() + " ms until the step's timeout");
          context.action(null, "evict again every " + every() + " until the step's timeout: "
              + blockedBy(pending) + " (the Eviction API answers 429; evicted " + evicted.size() + " of "
              + pods.size() + ")");
          shownBlocked = blocked;
          wasBlocked = true;
        }
        Thread.sleep(retryEvery.toMillis());
      }
    } catch (InterruptedException e) {
      context.info("stopped draining node " + p.node() + "; evicted " + Shown.count(evicted, "pod")
          + (shownBlocked.isEmpty() ? "" : ", evictions still blocked: " + String.join(", ", shownBlocked.stream()
              .sorted().toList())));
      throw e;
    }
  }

  /**
   * Which budget blocks which pods, as the API shows them now: {@code PodDisruptionBudget
   * resource/zk-pdb (allows 0 disruptions now) blocks resource/zk-1}. Pods no budget selects (the
   * API refused them for another reason) are named as such.
   */
  private String blockedBy(List<Pod> pending) throws InterruptedException {
    Map<String, List<Pod>> byBudget = new LinkedHashMap<>();
    Set<String> namespaces = new java.util.TreeSet<>(pending.stream().map(pod -> pod.getMetadata().getNamespace()).toList());
    List<String> covered = new ArrayList<>();
    for (String namespace : namespaces) {
      List<PodDisruptionBudget> budgets = Api.call("list the PodDisruptionBudgets of " + namespace,
          () -> client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems());
      for (PodDisruptionBudget budget : budgets) {
        if (budget.getSpec() == null || budget.getSpec().getSelector() == null) {
          continue;
        }
        for (Pod pod : pending) {
          if (namespace.equals(pod.getMetadata().getNamespace())
              && CheckDrain.matches(budget.getSpec().getSelector(), pod.getMetadata().getLabels())) {
            byBudget.computeIfAbsent(described(budget), b -> new ArrayList<>()).add(pod);
            covered.add(NodePods.path(pod));
          }
        }
      }
    }
    List<String> parts = new ArrayList<>();
    byBudget.forEach((budget, pods) -> parts.add(budget + " blocks " + NodePods.paths(pods)));
    List<Pod> other = pending.stream().filter(pod -> !covered.contains(NodePods.path(pod))).toList();
    if (!other.isEmpty()) {
      parts.add("the eviction of " + NodePods.paths(other) + " is refused (429) by no budget found now");
    }
    return String.join("; ", parts);
  }

  private String every() {
    return retryEvery.toMillis() % 1000 == 0 ? retryEvery.toSeconds() + " s" : retryEvery.toMillis() + " ms";
  }

  private static String described(PodDisruptionBudget budget) {
    Integer allowed = budget.getStatus() == null ? null : budget.getStatus().getDisruptionsAllowed();
    return "PodDisruptionBudget " + budget.getMetadata().getNamespace() + "/" + budget.getMetadata().getName()
        + (allowed == null ? "" : " (allows " + allowed + " disruption" + (allowed == 1 ? "" : "s") + " now)");
  }

  /** Tries each pod once; the pods whose eviction was blocked. */
  private List<Pod> evictEach(DrainParams p, List<Pod> pods, List<Pod> evicted) throws InterruptedException {
    List<Pod> blocked = new ArrayList<>();
    for (Pod pod : pods) {
      switch (evict(p, pod)) {
        case EVICTED -> {
          context.info("evicted pod " + NodePods.path(pod));
          evicted.add(pod);
        }
        case GONE -> context.info("pod " + NodePods.path(pod) + " is already gone");
        case BLOCKED -> blocked.add(pod);
      }
    }
    return blocked;
  }

  /** How one eviction went. */
  private enum Outcome { EVICTED, GONE, BLOCKED }

  private Outcome evict(DrainParams p, Pod pod) throws InterruptedException {
    EvictionBuilder eviction = new EvictionBuilder().withNewMetadata().withName(pod.getMetadata().getName())
        .withNamespace(pod.getMetadata().getNamespace()).endMetadata();
    p.gracePeriod().ifPresent(g -> eviction.withDeleteOptions(new DeleteOptionsBuilder()
        .withGracePeriodSeconds(g.toSeconds()).build()));
    Eviction body = eviction.build();
    try {
      boolean done = Api.call("evict pod " + NodePods.path(pod), () -> client.pods()
          .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).evict(body));
      return done ? Outcome.EVICTED : Outcome.BLOCKED;
    } catch (StepFailedException e) {
      if (e.getCause() instanceof KubernetesClientException k && k.getCode() == 404) {
        return Outcome.GONE;
      }
      throw e;
    }
  }
}
