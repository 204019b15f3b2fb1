package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;

/** Reading and cordoning nodes, shared by the node executors. */
final class Nodes {

  /** Undo key prefix: {@code unschedulable/<node>} holds whether the node was unschedulable before the run. */
  static final String UNSCHEDULABLE = "unschedulable/";

  private Nodes() {}

  /**
   * The node named {@code name}.
   *
   * @throws StepFailedException the cluster has no such node, or it cannot be read
   */
  static Node require(KubernetesClient client, String name) throws InterruptedException {
    Node node = Api.call("read node " + name, () -> client.nodes().withName(name).get());
    if (node == null) {
      throw new StepFailedException("node " + name + " is not a node of the cluster");
    }
    return node;
  }

  static boolean unschedulable(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  /** True when the node's {@code Ready} condition is {@code True}; a node without one is not ready. */
  static boolean ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .anyMatch("True"::equals);
  }

  /**
   * Cordons {@code node} unless it is already, recording first (once) whether it was.
   *
   * @return true when it cordoned the node now
   */
  static boolean cordon(StepContext context, KubernetesClient client, Node node) throws InterruptedException {
    String name = node.getMetadata().getName();
    boolean already = unschedulable(node);
    context.undo().recordOnce(UNSCHEDULABLE + name, String.valueOf(already));
    if (already) {
      context.info("node " + name + " is already cordoned (unschedulable)");
      return false;
    }
    context.action(null, "cordon node " + name + " (spec.unschedulable: true)");
    setUnschedulable(client, name, true);
    context.info("cordoned node " + name);
    return true;
  }

  /** Sets {@code spec.unschedulable} with a JSON merge patch. */
  static void setUnschedulable(KubernetesClient client, String name, boolean unschedulable)
      throws InterruptedException {
    Api.call((unschedulable ? "cordon" : "uncordon") + " node " + name, () -> client.nodes().withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":" + unschedulable + "}}"));
  }
}
