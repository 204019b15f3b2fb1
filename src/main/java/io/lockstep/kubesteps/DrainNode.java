package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.drain}: evicts a node's pods through the Eviction API (policy/v1), then waits by watch
 * until every evicted pod is gone.
 *
 * <p>The node's pods are checked before anything changes: DaemonSet pods with
 * {@code ignore_daemonsets: false} and pods with emptyDir volumes without
 * {@code delete_emptydir_data} fail the step with the node untouched. Then the node is cordoned
 * (recorded as {@code k8s.cordon} records it) and each pod evicted; mirror pods are skipped. An
 * eviction a PodDisruptionBudget refuses (429) is retried every {@link #RETRY_EVERY} until shortly
 * before the step's timeout, then the step fails naming the pods still blocked.
 */
@Component
class DrainNode implements StepExecutor {

  static final String TYPE = "k8s.drain";
  static final Duration RETRY_EVERY = Duration.ofSeconds(5);
  private static final Duration MAX_MARGIN = Duration.ofSeconds(10);

  private final Kubernetes kubernetes;
  private final Duration retryEvery;

  @Autowired
  DrainNode(Kubernetes kubernetes) {
    this(kubernetes, RETRY_EVERY);
  }

  /** With another pause between blocked evictions (tests). */
  DrainNode(Kubernetes kubernetes, Duration retryEvery) {
    this.kubernetes = kubernetes;
    this.retryEvery = retryEvery;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(15);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    DrainParams p = DrainParams.from(params);
    List<Line> lines = new ArrayList<>();
    lines.add(Line.of("preview.k8s.drain.cordon", "cordon node {0} unless it is already (recording first, once, whether"
        + " it was)", p.node()));
    lines.add(p.gracePeriod().map(g -> p.ignoreDaemonSets()
        ? Line.of("preview.k8s.drain.evictGrace", "evict every pod on {0} except DaemonSet and mirror pods"
            + " (PodDisruptionBudgets honoured, a blocked eviction retried until the timeout) (grace period {1}s)",
            p.node(), g.toSeconds())
        : Line.of("preview.k8s.drain.evictAllGrace", "evict every pod on {0} except mirror pods (PodDisruptionBudgets"
            + " honoured, a blocked eviction retried until the timeout) (grace period {1}s)", p.node(), g.toSeconds()))
        .orElseGet(() -> p.ignoreDaemonSets()
            ? Line.of("preview.k8s.drain.evict", "evict every pod on {0} except DaemonSet and mirror pods"
                + " (PodDisruptionBudgets honoured, a blocked eviction retried until the timeout)", p.node())
            : Line.of("preview.k8s.drain.evictAll", "evict every pod on {0} except mirror pods (PodDisruptionBudgets"
                + " honoured, a blocked eviction retried until the timeout)", p.node())));
    if (!p.ignoreDaemonSets()) {
      lines.add(Line.of("preview.k8s.drain.failDaemonSet", "fail, changing nothing, if a DaemonSet pod runs on {0}",
          p.node()));
    }
    lines.add(p.deleteEmptyDirData()
        ? Line.of("preview.k8s.drain.emptyDirLost", "pods with emptyDir volumes are evicted too: that data is lost")
        : Line.of("preview.k8s.drain.failEmptyDir", "fail, changing nothing, if a pod on {0} has an emptyDir volume",
            p.node()));
    try {
      NodePods pods = NodePods.on(kubernetes.client(), p.node());
      List<Pod> evicted = toEvict(p, pods);
      Line daemons = Shown.count(pods.daemonSet(), "preview.k8s.count.daemonSetPod", "1 DaemonSet pod",
          "preview.k8s.count.daemonSetPods", "{0} DaemonSet pods");
      if (evicted.isEmpty()) {
        lines.add(pods.daemonSet().isEmpty()
            ? Line.of("preview.k8s.drain.nowNone", "now on {0}: no pod to evict", p.node())
            : Line.of("preview.k8s.drain.nowNoneDaemonSet", "now on {0}: no pod to evict, {1}", p.node(), daemons));
      } else {
        Line count = Shown.count(evicted, "preview.k8s.count.pod", "1 pod", "preview.k8s.count.pods", "{0} pods");
        lines.add(pods.daemonSet().isEmpty()
            ? Line.of("preview.k8s.drain.nowSome", "now on {0}: {1} to evict ({2})", p.node(), count,
                NodePods.paths(evicted))
            : Line.of("preview.k8s.drain.nowSomeDaemonSet", "now on {0}: {1} to evict ({2}), {3}", p.node(), count,
                NodePods.paths(evicted), daemons));
      }
    } catch (KubernetesClientException e) {
      // the lines above say what the step does whatever runs on the node
    }
    lines.add(Line.of("preview.k8s.drain.wait", "wait until no evicted pod is left (by watch)"));
    return StepPreview.of(lines);
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    long deadline = System.nanoTime() + context.timeout().minus(margin(context.timeout())).toNanos();
    DrainParams p = DrainParams.from(context.params());
    KubernetesClient client = kubernetes.client();
    Node node = Nodes.require(client, p.node());
    NodePods pods = Api.call("list the pods on node " + p.node(), () -> NodePods.on(client, p.node()));
    refuse(p, pods);
    Nodes.cordon(context, client, node);
    if (!pods.mirror().isEmpty()) {
      context.info("skipping mirror pods, which the kubelet runs itself: " + NodePods.paths(pods.mirror()));
    }
    if (!pods.daemonSet().isEmpty()) {
      context.info("leaving DaemonSet pods: " + NodePods.paths(pods.daemonSet()));
    }
    List<Pod> evicted = new PodEvictions(context, client, retryEvery).evictAll(p, toEvict(p, pods), deadline);
    if (!evicted.isEmpty()) {
      waitUntilGone(context, client, p.node(), evicted);
    }
    context.info("node " + p.node() + " is drained");
    Line count = Shown.count(evicted, "preview.k8s.count.pod", "1 pod", "preview.k8s.count.pods", "{0} pods");
    return context.said(pods.daemonSet().isEmpty()
        ? Line.of("summary.k8s.drain.done", "drained node {0}: evicted {1}", p.node(), count)
        : Line.of("summary.k8s.drain.doneLeft", "drained node {0}: evicted {1}, left {2}", p.node(), count,
            Shown.count(pods.daemonSet(), "preview.k8s.count.daemonSetPod", "1 DaemonSet pod",
                "preview.k8s.count.daemonSetPods", "{0} DaemonSet pods")));
  }

  private static List<Pod> toEvict(DrainParams p, NodePods pods) {
    List<Pod> evict = new ArrayList<>(pods.other());
    if (p.deleteEmptyDirData()) {
      evict.addAll(pods.emptyDir());
    }
    return evict;
  }

  private static void refuse(DrainParams p, NodePods pods) {
    List<String> problems = new ArrayList<>();
    if (!p.ignoreDaemonSets() && !pods.daemonSet().isEmpty()) {
      problems.add("DaemonSet pods run on it and ignore_daemonsets is false: " + NodePods.paths(pods.daemonSet()));
    }
    if (!p.deleteEmptyDirData() && !pods.emptyDir().isEmpty()) {
      problems.add("pods with emptyDir volumes, whose data eviction deletes, run on it and delete_emptydir_data is"
          + " false: " + NodePods.paths(pods.emptyDir()));
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException("not draining node " + p.node() + ", nothing was changed: "
          + String.join("; ", problems));
    }
  }

  /** Waits by watch, per namespace, until no pod with the uid of an evicted pod is left. */
  private static void waitUntilGone(StepContext context, KubernetesClient client, String node, List<Pod> evicted)
      throws InterruptedException {
    Map<String, Set<String>> uidsByNamespace = new LinkedHashMap<>();
    Map<String, String> pathByUid = new LinkedHashMap<>();
    for (Pod pod : evicted) {
      uidsByNamespace.computeIfAbsent(pod.getMetadata().getNamespace(), ns -> new HashSet<>())
          .add(pod.getMetadata().getUid());
      pathByUid.put(pod.getMetadata().getUid(), NodePods.path(pod));
    }
    context.info("waiting until the evicted pods are gone (by watch): " + NodePods.paths(evicted));
    List<Watching.Condition<?>> conditions = new ArrayList<>();
    uidsByNamespace.forEach((namespace, uids) -> conditions.add(new Watching.Condition<Pod>(
        client.pods().inNamespace(namespace), items -> {
          List<String> left = items.stream().filter(pod -> uids.contains(pod.getMetadata().getUid()))
              .map(pod -> pathByUid.get(pod.getMetadata().getUid())).sorted().toList();
          return left.isEmpty() ? null : Shown.count(left, "evicted pod") + " not gone yet: " + Shown.some(left);
        })));
    Watching.until(context, "the pods evicted from node " + node + " to be gone", conditions);
  }

  private static Duration margin(Duration timeout) {
    Duration tenth = timeout.dividedBy(10);
    return tenth.compareTo(MAX_MARGIN) < 0 ? tenth : MAX_MARGIN;
  }
}
