package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.scale}: sets the replicas of Deployments and StatefulSets, recording the originals
 * first, or puts the recorded replicas back ({@code config/procedures/README.md}).
 *
 * <p>With {@code record}, every workload in scope is recorded (undo key
 * {@code replicas/<namespace>/<Kind>/<name>}) before any is changed, those already at the target
 * too, so that a restore over the same scope finds a record for each; a record the run already
 * holds is kept, so a rerun never records the 0 its first attempt made. A restore checks that
 * every workload has a record before it scales any, and settles the records once all are back.
 */
@Component
class ScaleWorkloads implements StepExecutor {

  static final String TYPE = "k8s.scale";
  static final String KEY = "replicas/";

  private final Kubernetes kubernetes;

  ScaleWorkloads(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    ScaleParams request = ScaleParams.from(params);
    if (request.restore()) {
      Object which = request.workloads()
          .<Object>map(w -> w.stream().map(ObjectId::toString).collect(Collectors.joining(", ")))
          .orElseGet(() -> Line.of("preview.k8s.scale.everyOf", "every Deployment and StatefulSet of namespace {0}",
              request.namespace()));
      return StepPreview.of(request.settle()
          ? Line.of("preview.k8s.scale.restoreSettle", "scale {0} back to the replicas recorded in this run, then settle"
              + " the records (fails, changing nothing, if one has no record)", which)
          : Line.of("preview.k8s.scale.restoreKeep", "scale {0} back to the replicas recorded in this run, keeping the"
              + " records standing (fails, changing nothing, if one has no record)", which));
    }
    List<Line> lines = new ArrayList<>();
    try {
      Map<ObjectId, Integer> current = current(kubernetes.client(), request);
      current.forEach((id, now) -> lines.add(previewLine(request, id, now)));
      request.workloads().ifPresent(named -> named.stream().filter(id -> !current.containsKey(id))
          .forEach(id -> lines.add(Line.of("preview.k8s.scale.missing", "{0} does not exist now, so the step would fail",
              id))));
      if (lines.isEmpty()) {
        lines.add(Line.of("preview.k8s.scale.none", "namespace {0} has no Deployment or StatefulSet: nothing to scale",
            request.namespace()));
      }
    } catch (KubernetesClientException e) {
      lines.add(request.record()
          ? Line.of("preview.k8s.scale.toRecording", "scale {0} to {1} (recording their replicas first, once)",
              scope(request), request.replicas())
          : Line.of("preview.k8s.scale.to", "scale {0} to {1}", scope(request), request.replicas()));
    }
    return StepPreview.of(lines);
  }

  /** {@link ScaleParams#scope()} as a preview line's argument. */
  private static Object scope(ScaleParams request) {
    if (request.workloads().isPresent()) {
      return request.scope();
    }
    return request.replicas() == 0
        ? Line.of("preview.k8s.scale.everyOfWithReplicas", "every Deployment and StatefulSet of namespace {0} that has"
            + " replicas", request.namespace())
        : Line.of("preview.k8s.scale.everyOf", "every Deployment and StatefulSet of namespace {0}", request.namespace());
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    ScaleParams request = ScaleParams.from(context.params());
    KubernetesClient client = kubernetes.client();
    return request.restore() ? restore(context, client, request) : scale(context, client, request);
  }

  private String scale(StepContext context, KubernetesClient client, ScaleParams request) throws InterruptedException {
    Map<ObjectId, Integer> current = Api.call("read the workloads of namespace " + request.namespace(),
        () -> current(client, request));
    List<String> missing = request.workloads().orElse(List.of()).stream().filter(id -> !current.containsKey(id))
        .map(ObjectId::toString).toList();
    if (!missing.isEmpty()) {
      throw new StepFailedException("nothing was scaled: " + String.join(", ", missing) + " not found");
    }
    if (current.isEmpty()) {
      context.info("namespace " + request.namespace() + " has no Deployment or StatefulSet: nothing to scale");
      return context.said(Line.of("summary.k8s.scale.nothing", "nothing to scale in {0}", request.namespace()));
    }
    if (request.record()) {
      current.forEach((id, now) -> context.undo().recordOnce(KEY + id.keyPart(), String.valueOf(now)));
    }
    int scaled = 0;
    for (Map.Entry<ObjectId, Integer> workload : current.entrySet()) {
      ObjectId id = workload.getKey();
      int now = workload.getValue();
      if (now == request.replicas()) {
        context.info(id + " already has " + now + " replicas: left alone");
        continue;
      }
      context.action(null, "scale " + id + " from " + now + " to " + request.replicas());
      Api.call("scale " + id, () -> {
        Workloads.scale(client, id, request.replicas());
        return null;
      });
      context.info("scaled " + id + " from " + now + " to " + request.replicas());
      scaled++;
    }
    return context.said(Line.of("summary.k8s.scale.scaled", "scaled {0} of {1} in {2} to {3}", scaled,
        workloads(current.keySet()), request.namespace(), request.replicas()));
  }

  private String restore(StepContext context, KubernetesClient client, ScaleParams request)
      throws InterruptedException {
    Map<ObjectId, Integer> current = Api.call("read the workloads of namespace " + request.namespace(),
        () -> current(client, request));
    Map<ObjectId, Integer> recorded = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<ObjectId> scope = new ArrayList<>(request.workloads().orElse(List.copyOf(current.keySet())));
    if (request.workloads().isEmpty()) {
      recordedIn(context, request.namespace()).stream().filter(id -> !scope.contains(id)).forEach(scope::add);
    }
    for (ObjectId id : scope) {
      // recorded(), not get(): a restore run again after it finished finds its records settled.
      Optional<String> record = context.undo().recorded(KEY + id.keyPart());
      if (record.isEmpty()) {
        problems.add(id + " has no recorded replicas in this run");
      } else if (!current.containsKey(id)) {
        problems.add(id + " was recorded but does not exist any more");
      } else {
        recorded.put(id, replicasOf(id, record.get()));
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException("cannot restore replicas, nothing was scaled: " + String.join("; ", problems));
    }
    for (Map.Entry<ObjectId, Integer> workload : recorded.entrySet()) {
      ObjectId id = workload.getKey();
      int now = current.get(id);
      int target = workload.getValue();
      if (now == target) {
        context.info(id + " already has its recorded " + target + " replicas");
        continue;
      }
      context.action(null, "scale " + id + " from " + now + " back to its recorded " + target);
      Api.call("scale " + id, () -> {
        Workloads.scale(client, id, target);
        return null;
      });
      context.info("scaled " + id + " back to " + target);
    }
    if (request.settle()) {
      recorded.keySet().forEach(id -> context.undo().settle(KEY + id.keyPart()));
    } else {
      context.info("the records stay standing until a later step settles them (settle: false)");
    }
    return context.said(Line.of("summary.k8s.scale.restored", "restored the recorded replicas of {0} in {1}",
        workloads(recorded.keySet()), request.namespace()));
  }

  /** {@code 1 workload}, {@code 3 workloads}, in the reader's language. */
  private static Line workloads(java.util.Collection<ObjectId> ids) {
    return Shown.count(List.copyOf(ids), "summary.k8s.count.workload", "1 workload", "summary.k8s.count.workloads",
        "{0} workloads");
  }

  /** The workloads in scope that exist, with their replicas now. */
  private static Map<ObjectId, Integer> current(KubernetesClient client, ScaleParams request) {
    List<ObjectId> ids = request.workloads()
        .orElseGet(() -> Workloads.list(client, request.namespace(), ObjectKind.SCALABLE));
    Map<ObjectId, Integer> current = new LinkedHashMap<>();
    for (ObjectId id : ids) {
      HasMetadata workload = id.in(client).get();
      if (workload != null) {
        current.put(id, Workloads.replicas(workload));
      }
    }
    return current;
  }

  private static List<ObjectId> recordedIn(StepContext context, String namespace) {
    String prefix = KEY + namespace + "/";
    return context.undo().all(prefix).keySet().stream()
        .map(key -> key.substring(prefix.length()))
        .map(rest -> ObjectId.parse(rest, namespace, ObjectKind.SCALABLE))
        .toList();
  }

  private static int replicasOf(ObjectId id, String record) {
    try {
      return Integer.parseInt(record.strip());
    } catch (NumberFormatException e) {
      throw new StepFailedException("the recorded replicas of " + id + " are not a number: '" + record + "'");
    }
  }

  private static Line previewLine(ScaleParams request, ObjectId id, int now) {
    if (now == request.replicas()) {
      return request.record()
          ? Line.of("preview.k8s.scale.leaveRecording", "leave {0} at {1} replicas (recording {1} first, once)", id, now)
          : Line.of("preview.k8s.scale.leave", "leave {0} at {1} replicas", id, now);
    }
    return request.record()
        ? Line.of("preview.k8s.scale.fromToRecording", "scale {0} from {1} to {2} (recording its replicas first, once)",
            id, now, request.replicas())
        : Line.of("preview.k8s.scale.fromTo", "scale {0} from {1} to {2}", id, now, request.replicas());
  }
}
