package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.check-restored}: compares what the run recorded before it changed things with the
 * cluster as it is now, and fails naming everything not back yet: a workload whose replicas are
 * not its recorded count, a DaemonSet still parked ({@code stop-by-admin}) that was not before the
 * run, a node still cordoned that was schedulable before. Only the run's standing records count
 * (one settled was put back by the run). It only reads: a recovery action's check ("14 workloads
 * of anyshare are not at their recorded replicas").
 */
@Component
class CheckRestored implements StepExecutor {

  static final String TYPE = "k8s.check-restored";
  static final List<String> NAMES = List.of("namespace");
  private static final int NAMED = 5;

  private final Kubernetes kubernetes;

  CheckRestored(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
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

  private static Optional<String> namespace(Map<String, ?> values) {
    Params params = Params.of(TYPE, values, NAMES);
    return params.optionalText("namespace").map(ns -> params.checked("namespace", () -> KubeNames.namespace(ns)));
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    return StepPreview.of(namespace(params)
        .map(ns -> Line.of("preview.k8s.checkRestored.in", "compare the replicas, DaemonSet selectors of namespace {0}"
            + " and node schedulability this run recorded with the cluster now (no change)", ns))
        .orElseGet(() -> Line.of("preview.k8s.checkRestored", "compare the replicas, DaemonSet selectors and node"
            + " schedulability this run recorded with the cluster now (no change)")));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Optional<String> namespace = namespace(context.params());
    KubernetesClient client = kubernetes.client();
    List<String> replicas = new ArrayList<>();
    for (Map.Entry<String, String> record : context.undo().all(ScaleWorkloads.KEY + namespace.map(ns -> ns + "/")
        .orElse("")).entrySet()) {
      String[] parts = record.getKey().substring(ScaleWorkloads.KEY.length()).split("/", 2);
      ObjectId id = ObjectId.parse(parts[1], parts[0], ObjectKind.SCALABLE);
      int wanted = Integer.parseInt(record.getValue().strip());
      HasMetadata workload = Api.call("read " + id, () -> id.in(client).get());
      if (workload == null) {
        replicas.add(id + " is gone (" + wanted + " replicas recorded)");
      } else if (Workloads.replicas(workload) != wanted) {
        replicas.add(id + " has " + Workloads.replicas(workload) + " replicas, " + wanted + " recorded");
      }
    }
    List<String> parked = new ArrayList<>();
    for (Map.Entry<String, String> record : context.undo().all(ParkDaemonSets.KEY + namespace.map(ns -> ns + "/")
        .orElse("")).entrySet()) {
      String[] parts = record.getKey().substring(ParkDaemonSets.KEY.length()).split("/", 2);
      DaemonSet daemonSet = Api.call("read DaemonSet " + parts[0] + "/" + parts[1],
          () -> client.apps().daemonSets().inNamespace(parts[0]).withName(parts[1]).get());
      boolean wasParked = record.getValue().contains("\"" + ParkDaemonSets.LABEL + "\"");
      if (daemonSet != null && !wasParked && "true".equals(ParkDaemonSets.selector(daemonSet).get(ParkDaemonSets.LABEL))) {
        parked.add(parts[0] + "/" + parts[1]);
      }
    }
    List<String> cordoned = new ArrayList<>();
    for (Map.Entry<String, String> record : context.undo().all(Nodes.UNSCHEDULABLE).entrySet()) {
      String name = record.getKey().substring(Nodes.UNSCHEDULABLE.length());
      Node node = Api.call("read node " + name, () -> client.nodes().withName(name).get());
      if (node != null && Nodes.unschedulable(node) && !Boolean.parseBoolean(record.getValue().strip())) {
        cordoned.add(name);
      }
    }
    List<String> down = new ArrayList<>();
    if (!replicas.isEmpty()) {
      down.add(replicas.size() + " workload" + (replicas.size() == 1 ? " is" : "s are") + " not at the replicas recorded"
          + " before the run: " + named(replicas));
    }
    if (!parked.isEmpty()) {
      down.add(parked.size() + " DaemonSet" + (parked.size() == 1 ? " is" : "s are") + " still parked ("
          + ParkDaemonSets.LABEL + "): " + named(parked));
    }
    if (!cordoned.isEmpty()) {
      down.add("cordoned, and schedulable before the run: " + named(cordoned));
    }
    down.forEach(context::info);
    if (!down.isEmpty()) {
      throw new StepFailedException(String.join("; ", down));
    }
    return context.said(namespace
        .map(ns -> Line.of("summary.k8s.checkRestored.in", "everything this run recorded is as it was in {0}", ns))
        .orElseGet(() -> Line.of("summary.k8s.checkRestored", "everything this run recorded is as it was")));
  }

  private static String named(List<String> items) {
    return items.size() <= NAMED ? String.join(", ", items)
        : String.join(", ", items.subList(0, NAMED)) + " and " + (items.size() - NAMED) + " more";
  }
}
