package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code wait.pods-ready}: waits by watch until every pod of the given namespaces is Running and
 * Ready, or has completed (phase Succeeded) — P1's "wait for the cluster" after the host services
 * start again ({@code kube-system} and {@code resource}). A namespace without pods counts as ready
 * only when {@code min_pods} allows it (default 1 per namespace: an empty namespace right after a
 * restart usually means the pods have not been created yet).
 */
@Component
class WaitPodsReady implements StepExecutor {

  static final String TYPE = "wait.pods-ready";
  static final List<String> NAMES = List.of("namespaces", "min_pods");

  private final Kubernetes kubernetes;

  WaitPodsReady(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  record Which(List<String> namespaces, int minPods) {
    static Which from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      List<String> namespaces = params.texts("namespaces").orElseThrow(() -> params.missing("namespaces"));
      if (namespaces.isEmpty()) {
        throw params.problem("namespaces", "is empty; name at least one namespace");
      }
      namespaces.forEach(n -> params.checked("namespaces", () -> KubeNames.namespace(n)));
      return new Which(List.copyOf(namespaces), params.count("min_pods").orElse(1));
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Which which = Which.from(params);
    return StepPreview.of(Line.of("preview.k8s.waitPodsReady", "wait until every pod of {0} is Running and Ready or has"
        + " completed (at least {1} pod(s) in each; by watch)", String.join(", ", which.namespaces()), which.minPods()));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Which which = Which.from(context.params());
    KubernetesClient client = kubernetes.client();
    List<Watching.Condition<?>> conditions = new ArrayList<>();
    for (String namespace : which.namespaces()) {
      conditions.add(new Watching.Condition<>(client.pods().inNamespace(namespace), pods -> {
        if (pods.size() < which.minPods()) {
          return namespace + ": " + pods.size() + " pod(s), waiting for at least " + which.minPods();
        }
        List<String> notReady = pods.stream().filter(p -> !readyOrDone(p)).map(p -> p.getMetadata().getName())
            .sorted().toList();
        return notReady.isEmpty() ? null : namespace + ": " + Shown.count(notReady, "pod") + " not ready: " + Shown.some(notReady);
      }));
    }
    context.action(null, "watch the pods of " + String.join(", ", which.namespaces()) + " until all are ready or completed");
    Watching.until(context, "the pods of " + String.join(", ", which.namespaces()) + " to be ready", conditions);
    Line summary = Line.of("summary.k8s.podsReady", "every pod of {0} is ready or completed",
        String.join(", ", which.namespaces()));
    context.info(summary.english());
    return context.said(summary);
  }

  static boolean readyOrDone(Pod pod) {
    if (pod.getStatus() == null) {
      return false;
    }
    if ("Succeeded".equals(pod.getStatus().getPhase())) {
      return true;
    }
    if (!"Running".equals(pod.getStatus().getPhase()) || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
