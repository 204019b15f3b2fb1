package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.uncordon}: makes a node schedulable again, unless the run's cordon record
 * ({@code unschedulable/<node>}) says it was already unschedulable before the run: then it stays
 * cordoned, as the operator who cordoned it left it. Either way the record is settled. Without a
 * record (the run never cordoned it) the node is uncordoned.
 */
@Component
class UncordonNode implements StepExecutor {

  static final String TYPE = "k8s.uncordon";

  private final Kubernetes kubernetes;

  UncordonNode(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    String name = NodeParams.node(TYPE, params);
    return StepPreview.of(Line.of("preview.k8s.uncordon", "uncordon node {0}: mark it schedulable, unless this run"
        + " recorded it as cordoned before the run (then it stays cordoned)", name));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    String name = NodeParams.node(TYPE, context.params());
    KubernetesClient client = kubernetes.client();
    String key = Nodes.UNSCHEDULABLE + name;
    // recorded(), not get(): an uncordon run again after it finished finds its record settled.
    Optional<String> record = context.undo().recorded(key);
    Node node = Nodes.require(client, name);
    if (record.map(r -> r.strip().equals("true")).orElse(false)) {
      context.info("node " + name + " was already cordoned before this run (undo record " + key
          + "): leaving it cordoned");
      context.undo().settle(key);
      return context.said(Line.of("summary.k8s.uncordon.leftCordoned", "left node {0} cordoned, as it was before the run",
          name));
    }
    if (record.isEmpty()) {
      context.info("this run holds no cordon record for node " + name + ": uncordoning it");
    }
    Line summary;
    if (!Nodes.unschedulable(node)) {
      context.info("node " + name + " is already schedulable");
      summary = Line.of("summary.k8s.uncordon.already", "node {0} was already schedulable", name);
    } else {
      context.action(null, "uncordon node " + name + " (spec.unschedulable: false)");
      Nodes.setUnschedulable(client, name, false);
      context.info("uncordoned node " + name);
      summary = Line.of("summary.k8s.uncordon.done", "uncordoned node {0}", name);
    }
    if (record.isPresent()) {
      context.undo().settle(key);
    }
    return context.said(summary);
  }
}
