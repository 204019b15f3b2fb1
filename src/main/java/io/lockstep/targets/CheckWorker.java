package io.lockstep.targets;

import io.lockstep.run.PlanDataCheck.ValueProblem;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.ssh.NodeNames;
import io.lockstep.targets.ClusterMachines.Picture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * {@code cluster.check-worker}: the plan's {@code node} is still a worker — a node of the cluster
 * with no master or control-plane label that runs no etcd member — as the cluster is now. The rule
 * P3's plan was saved under, checked again at the moment of use: a label or an etcd member may
 * have come since, and P3 stops kubelet and docker without checking etcd's quorum. Changes nothing.
 */
@Component
class CheckWorker implements StepExecutor {

  static final String TYPE = "cluster.check-worker";

  private final ClusterMachines machines;

  CheckWorker(ClusterMachines machines) {
    this.machines = machines;
  }

  static String node(Map<String, Object> params) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.remove("node");
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown param" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
          + "; " + TYPE + " takes node");
    }
    if (!(params.get("node") instanceof String node)) {
      throw new IllegalArgumentException("param 'node' must be a node name");
    }
    return NodeNames.require(node);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    return StepPreview.of(Line.of("preview.targets.worker", "check, changing nothing, that {0} is a node of the cluster"
        + " without a master or control-plane label ({1}) that runs no etcd member ({2} on a master)", node(params),
        "kubectl get nodes", "etcdctl member list"));
  }


  @Override
  public String execute(StepContext context) {
    String node = node(context.params());
    context.info("reading the cluster's nodes (Kubernetes API) and its etcd members (etcdctl member list over SSH)");
    Picture cluster = machines.read();
    List<ValueProblem> problems = TargetRules.worker(cluster, node, () -> machines.etcdNodes(cluster, List.of(node)));
    if (!problems.isEmpty()) {
      throw new StepFailedException(String.join("; ", problems.stream().map(ValueProblem::detail).toList())
          + "; nothing was changed");
    }
    return context.said(Line.of("summary.targets.worker", "{0} is a worker: no master or control-plane label, no etcd"
        + " member", node));
  }
}
