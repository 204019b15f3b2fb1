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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * {@code cluster.check-whole}: the plan's {@code nodes} name every node of the cluster and its
 * {@code etcd_nodes} every etcd member, as the cluster is now (the rule the plan was saved under,
 * checked again at the moment of use: a node may have joined since); a list that leaves some out
 * passes only with {@code partial_reason}, and then says — in its preview and its summary — what
 * keeps running while the rest stops. Changes nothing.
 */
@Component
class CheckWholeCluster implements StepExecutor {

  static final String TYPE = "cluster.check-whole";
  private static final Set<String> NAMES = Set.of("nodes", "etcd_nodes", "partial_reason");

  private final ClusterMachines machines;

  CheckWholeCluster(ClusterMachines machines) {
    this.machines = machines;
  }

  /** The step's params, checked. */
  record Params(List<String> nodes, List<String> etcdNodes, String partialReason) {

    static Params from(Map<String, Object> params) {
      Set<String> unknown = new TreeSet<>(params.keySet());
      unknown.removeAll(NAMES);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown param" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
            + "; " + TYPE + " takes nodes, etcd_nodes and partial_reason");
      }
      Object reason = params.get("partial_reason");
      if (reason != null && !(reason instanceof String)) {
        throw new IllegalArgumentException("param 'partial_reason' must be text");
      }
      return new Params(names(params, "nodes"), names(params, "etcd_nodes"), (String) reason);
    }

    private static List<String> names(Map<String, Object> params, String name) {
      if (!(params.get(name) instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException("param '" + name + "' must be a list of node names");
      }
      List<String> names = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof String node)) {
          throw new IllegalArgumentException("param '" + name + "' must be a list of node names");
        }
        names.add(NodeNames.require(node));
      }
      return List.copyOf(names);
    }

    boolean partial() {
      return TargetRules.given(partialReason);
    }
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
    Params p = Params.from(params);
    List<Line> lines = new ArrayList<>();
    lines.add(p.partial()
        ? Line.of("preview.targets.wholeCluster.partial", "check, changing nothing, that nodes names every node of the cluster ({0}) and etcd_nodes every etcd"
            + " member ({1} on a master); the plan leaves some out on purpose: {2}",
            "kubectl get nodes", "etcdctl member list", p.partialReason())
        : Line.of("preview.targets.wholeCluster", "check, changing nothing, that nodes names every node of the cluster ({0}) and etcd_nodes every etcd"
            + " member ({1} on a master)", "kubectl get nodes", "etcdctl member list"));
    try {
      Picture cluster = machines.read();
      Set<String> members = machines.etcdNodes(cluster, p.etcdNodes());
      List<String> leftOut = cluster.names().stream().filter(n -> !p.nodes().contains(n)).toList();
      List<String> etcdLeftOut = members.stream().filter(n -> !p.etcdNodes().contains(n)).toList();
      Line nodes = Line.of("preview.targets.keepsRunning.nodes", "nodes {0} ({1})", String.join(", ", leftOut),
          "kubelet, docker");
      Line etcd = Line.of("preview.targets.keepsRunning.etcd", "the etcd members on {0}", String.join(", ", etcdLeftOut));
      if (leftOut.isEmpty() && etcdLeftOut.isEmpty()) {
        lines.add(Line.of("preview.targets.wholeCluster.now", "now: the plan names the whole cluster ({0} nodes, {1} etcd"
            + " members); nothing keeps running", cluster.machines().size(), members.size()));
      } else if (etcdLeftOut.isEmpty()) {
        lines.add(Line.of("preview.targets.keepsRunning", "now: keeps running while the rest stops: {0}", nodes));
      } else if (leftOut.isEmpty()) {
        lines.add(Line.of("preview.targets.keepsRunning", "now: keeps running while the rest stops: {0}", etcd));
      } else {
        lines.add(Line.of("preview.targets.keepsRunning.both", "now: keeps running while the rest stops: {0} and {1}",
            nodes, etcd));
      }
    } catch (IllegalStateException e) {
      lines.add(Line.of("preview.targets.cannotTell", "now: cannot tell ({0})", e.getMessage()));
    }
    return StepPreview.of(lines);
  }


  @Override
  public String execute(StepContext context) {
    Params p = Params.from(context.params());
    context.info("reading the cluster's nodes (Kubernetes API) and its etcd members (etcdctl member list over SSH)");
    Picture cluster = machines.read();
    java.util.concurrent.atomic.AtomicReference<Set<String>> asked = new java.util.concurrent.atomic.AtomicReference<>();
    List<ValueProblem> problems = TargetRules.wholeCluster(cluster, p.nodes(), p.etcdNodes(), p.partialReason(), () -> {
      asked.set(machines.etcdNodes(cluster, p.etcdNodes()));
      return asked.get();
    });
    Set<String> members = asked.get();
    if (!problems.isEmpty()) {
      throw new StepFailedException("the plan does not name the whole cluster as it is now: " + String.join("; ",
          problems.stream().map(ValueProblem::detail).toList()) + "; nothing was changed");
    }
    String running = TargetRules.keepsRunning(cluster, p.nodes(), p.etcdNodes(), members);
    if (running.isEmpty()) {
      return context.said(Line.of("summary.targets.whole", "the plan names every node of the cluster ({0}) and every etcd"
          + " member ({1})", cluster.machines().size(), members.size()));
    }
    return context.said(Line.of("summary.targets.partial", "the plan leaves part of the cluster out on purpose ({0}):"
        + " keeps running while the rest stops: {1}", p.partialReason(), running));
  }
}
