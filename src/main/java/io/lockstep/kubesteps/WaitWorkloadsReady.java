package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code wait.workloads-ready}: waits by watch until workloads are fully ready (their controller has
 * seen their current generation, and ready = updated = desired replicas; DaemonSets: ready =
 * desired scheduled). Named workloads must exist when the step starts; without names, every
 * Deployment, StatefulSet and DaemonSet of the namespace counts, as it is at each moment.
 */
@Component
class WaitWorkloadsReady implements StepExecutor {

  static final String TYPE = "wait.workloads-ready";
  static final List<String> NAMES = List.of("namespace", "workloads");

  private final Kubernetes kubernetes;

  WaitWorkloadsReady(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The checked params. */
  record Which(String namespace, Optional<List<ObjectId>> workloads) {

    static Which from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      String namespace = params.checked("namespace", () -> KubeNames.namespace(params.text("namespace")));
      Optional<List<ObjectId>> workloads = params.texts("workloads").map(list -> params.checked("workloads",
          () -> list.stream().map(w -> ObjectId.parse(w, namespace, ObjectKind.WORKLOADS)).distinct().toList()));
      return new Which(namespace, workloads);
    }

    String shown() {
      return workloads.map(list -> list.stream().map(ObjectId::toString).collect(Collectors.joining(", ")))
          .orElse("every Deployment, StatefulSet and DaemonSet of namespace " + namespace);
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Which which = Which.from(params);
    Object shown = which.workloads()
        .<Object>map(list -> list.stream().map(ObjectId::toString).collect(Collectors.joining(", ")))
        .orElseGet(() -> Line.of("preview.k8s.everyWorkloadOf", "every Deployment, StatefulSet and DaemonSet of"
            + " namespace {0}", which.namespace()));
    boolean one = which.workloads().map(List::size).orElse(2) == 1;
    return StepPreview.of(one
        ? Line.of("preview.k8s.waitWorkloads.one", "wait until {0} is ready: ready = updated = desired replicas, latest"
            + " change seen by the controller (by watch)", shown)
        : Line.of("preview.k8s.waitWorkloads.many", "wait until {0} are ready: ready = updated = desired replicas,"
            + " latest change seen by the controller (by watch)", shown));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Which which = Which.from(context.params());
    KubernetesClient client = kubernetes.client();
    if (which.workloads().isPresent()) {
      requireExist(client, which.workloads().get());
    }
    List<Watching.Condition<?>> conditions = new ArrayList<>();
    for (ObjectKind kind : ObjectKind.WORKLOADS) {
      Optional<List<String>> names = which.workloads().map(list -> list.stream()
          .filter(id -> id.kind() == kind).map(ObjectId::name).toList());
      if (names.map(List::isEmpty).orElse(false)) {
        continue;
      }
      conditions.add(new Watching.Condition<>(kind.in(client, which.namespace()),
          items -> notReady(kind, which.namespace(), items, names)));
    }
    context.action(null, "watch " + which.shown() + " until ready");
    Watching.until(context, which.shown() + " to be ready", conditions);
    context.info(which.shown() + (which.workloads().isPresent() ? "" : ":") + " ready");
    return context.said(which.workloads().isPresent()
        ? Line.of("summary.k8s.waitWorkloads.listed", "{0} ready", which.shown())
        : Line.of("summary.k8s.waitWorkloads.every", "every Deployment, StatefulSet and DaemonSet of namespace {0} ready",
            which.namespace()));
  }

  private static void requireExist(KubernetesClient client, List<ObjectId> workloads) throws InterruptedException {
    List<String> missing = new ArrayList<>();
    for (ObjectId id : workloads) {
      if (Api.call("read " + id, () -> id.in(client).get()) == null) {
        missing.add(id.toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new StepFailedException("not found, so never ready: " + String.join(", ", missing));
    }
  }

  /** What is not ready among {@code items} (those named, or all), null when all are. */
  private static String notReady(ObjectKind kind, String namespace, List<HasMetadata> items,
      Optional<List<String>> names) {
    List<String> problems = new ArrayList<>();
    for (String name : names.orElseGet(() -> items.stream().map(i -> i.getMetadata().getName()).sorted().toList())) {
      Optional<HasMetadata> item = items.stream().filter(i -> name.equals(i.getMetadata().getName())).findFirst();
      String why = item.isPresent() ? Workloads.notReady(item.get()) : "does not exist";
      if (why != null) {
        problems.add(new ObjectId(kind, namespace, name) + ": " + why);
      }
    }
    return problems.isEmpty() ? null : Shown.some(problems);
  }
}
