package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
import org.springframework.stereotype.Component;

/**
 * {@code k8s.check-workloads}: asserts, without waiting, that the named workloads exist and are
 * ready (ready = updated = desired replicas, latest change seen), failing with each one that is
 * missing or not ready. It only reads: a recovery action's check ("StatefulSet resource/kafka does
 * not exist") where {@code wait.workloads-ready} would wait.
 */
@Component
class CheckWorkloads implements StepExecutor {

  static final String TYPE = "k8s.check-workloads";
  static final List<String> NAMES = List.of("namespace", "workloads");

  private final Kubernetes kubernetes;

  CheckWorkloads(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  private static List<ObjectId> workloads(Map<String, ?> values) {
    Params params = Params.of(TYPE, values, NAMES);
    String namespace = params.checked("namespace", () -> KubeNames.namespace(params.text("namespace")));
    List<String> names = params.texts("workloads").orElseThrow(() -> params.invalid(
        "name the workloads that must exist and be ready in 'workloads' (Kind/name)"));
    return params.checked("workloads", () -> names.stream()
        .map(w -> ObjectId.parse(w, namespace, ObjectKind.WORKLOADS)).distinct().toList());
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
    return StepPreview.of(Line.of("preview.k8s.checkWorkloads", "check that {0} exist and are ready (no waiting)",
        Shown.someLine(workloads(params).stream().map(ObjectId::toString).toList())));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    List<ObjectId> workloads = workloads(context.params());
    KubernetesClient client = kubernetes.client();
    List<String> missing = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    for (ObjectId id : workloads) {
      HasMetadata workload = Api.call("read " + id, () -> id.in(client).get());
      String why = workload == null ? null : Workloads.notReady(workload);
      if (workload == null) {
        missing.add(id.toString());
      } else if (why != null) {
        notReady.add(id + ": " + why);
      }
    }
    List<String> down = new ArrayList<>();
    if (!missing.isEmpty()) {
      down.add("not installed: " + Shown.some(missing));
    }
    if (!notReady.isEmpty()) {
      down.add("not ready: " + Shown.some(notReady));
    }
    down.forEach(context::info);
    if (!down.isEmpty()) {
      throw new StepFailedException(String.join("; ", down));
    }
    return context.said(Line.of("summary.k8s.checkWorkloads.ready", "{0} workloads exist and are ready",
        workloads.size()));
  }
}
