package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.cordon}: marks a node unschedulable. Records first (undo key
 * {@code unschedulable/<node>}, once per run) whether the node already was, so that
 * {@code k8s.uncordon} leaves a node cordoned that was cordoned before the run.
 */
@Component
class CordonNode implements StepExecutor {

  static final String TYPE = "k8s.cordon";

  private final Kubernetes kubernetes;

  CordonNode(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    String name = NodeParams.node(TYPE, params);
    try {
      Node node = kubernetes.client().nodes().withName(name).get();
      if (node == null) {
        return StepPreview.of(Line.of("preview.k8s.cordon.noNode", "cordon node {0}: the cluster has no such node now,"
            + " so the step would fail", name));
      }
      if (Nodes.unschedulable(node)) {
        return StepPreview.of(Line.of("preview.k8s.cordon.already", "node {0} is already cordoned: nothing changes"
            + " (recorded as cordoned before the run, once)", name));
      }
    } catch (KubernetesClientException e) {
      // the line below says what the step does whatever the node's state
    }
    return StepPreview.of(Line.of("preview.k8s.cordon", "cordon node {0}: mark it unschedulable (recording first, once,"
        + " whether it already was)", name));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    String name = NodeParams.node(TYPE, context.params());
    KubernetesClient client = kubernetes.client();
    Node node = Nodes.require(client, name);
    return context.said(Nodes.cordon(context, client, node) ? Line.of("summary.k8s.cordon.done", "cordoned node {0}", name)
        : Line.of("summary.k8s.cordon.already", "node {0} was already cordoned", name));
  }
}
