package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code wait.node-ready} and {@code wait.node-not-ready}: wait by watch until the nodes' Ready
 * condition is (or is not) {@code True}. The nodes must exist when the step starts; a node that
 * disappears while waited for counts as not Ready. While the API server does not answer (a cluster
 * whose control plane is starting again), the step waits for it, within its timeout.
 */
abstract class NodeReadiness implements StepExecutor {

  static final List<String> NAMES = List.of("node", "nodes");
  /** How often a wait asks again while the API server does not answer (after a whole-cluster start). */
  static final Duration API_RETRY = Duration.ofSeconds(2);

  private final Kubernetes kubernetes;
  private final boolean ready;

  NodeReadiness(Kubernetes kubernetes, boolean ready) {
    this.kubernetes = kubernetes;
    this.ready = ready;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    List<String> nodes = nodes(params);
    return StepPreview.of(nodes.size() == 1
        ? Line.of("preview.k8s.nodeReadiness.one", "wait until node {0} is {1} (by watch)", nodes.get(0), state())
        : Line.of("preview.k8s.nodeReadiness.many", "wait until nodes {0} are all {1} (by watch)",
            String.join(", ", nodes), state()));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    List<String> nodes = nodes(context.params());
    KubernetesClient client = kubernetes.client();
    Set<String> existing = Api.callOnceUp(context, "list the nodes", API_RETRY, () -> client.nodes().list().getItems()
        .stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet()));
    List<String> missing = nodes.stream().filter(n -> !existing.contains(n)).toList();
    if (!missing.isEmpty()) {
      throw new StepFailedException("not a node of the cluster: " + String.join(", ", missing));
    }
    context.action(null, "watch " + shown(nodes) + " until " + state());
    Watching.until(context, shown(nodes) + " to be " + state(), List.of(new Watching.Condition<Node>(client.nodes(),
        items -> {
          Set<String> readyNow = items.stream().filter(Nodes::ready).map(n -> n.getMetadata().getName())
              .collect(Collectors.toSet());
          List<String> waiting = nodes.stream().filter(n -> readyNow.contains(n) != ready).toList();
          return waiting.isEmpty() ? null : "not yet " + state() + ": " + String.join(", ", waiting);
        })));
    context.info(shown(nodes) + (nodes.size() == 1 ? " is " : " are ") + state());
    return context.said(nodes.size() == 1 ? Line.of("summary.k8s.nodeReadiness.one", "node {0} {1}", nodes.get(0), state())
        : Line.of("summary.k8s.nodeReadiness.many", "nodes {0} {1}", String.join(", ", nodes), state()));
  }

  private String state() {
    return ready ? "Ready" : "NotReady";
  }

  private static String shown(List<String> nodes) {
    return (nodes.size() == 1 ? "node " : "nodes ") + String.join(", ", nodes);
  }

  private List<String> nodes(Map<String, ?> values) {
    Params params = Params.of(type(), values, NAMES);
    if (params.has("node") == params.has("nodes")) {
      throw params.invalid("give either 'node' (one node) or 'nodes' (a list), "
          + (params.has("node") ? "not both" : "one is needed"));
    }
    if (params.has("node")) {
      return List.of(params.checked("node", () -> KubeNames.node(params.text("node"))));
    }
    return params.checked("nodes", () -> params.texts("nodes").orElseThrow().stream().map(KubeNames::node)
        .distinct().toList());
  }
}
