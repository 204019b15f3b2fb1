package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.api.model.PodList;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * {@code wait.pods-gone}: waits by watch until no pod of a workload, a selector or a whole
 * namespace is left; pods in an {@code ignore_phases} phase (by default Succeeded) count as gone.
 * A workload's pods are those its own {@code spec.selector} matches, read when the step starts.
 */
@Component
class WaitPodsGone implements StepExecutor {

  static final String TYPE = "wait.pods-gone";
  static final List<String> NAMES = List.of("namespace", "workload", "selector", "ignore_phases");
  static final Set<String> PHASES = Set.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

  private final Kubernetes kubernetes;

  WaitPodsGone(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The checked params. */
  record Which(String namespace, Optional<ObjectId> workload, Optional<String> selector, List<String> ignorePhases) {

    static Which from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      String namespace = params.checked("namespace", () -> KubeNames.namespace(params.text("namespace")));
      Optional<ObjectId> workload = params.optionalText("workload")
          .map(w -> params.checked("workload", () -> ObjectId.parse(w, namespace, ObjectKind.WORKLOADS)));
      Optional<String> selector = params.optionalText("selector")
          .map(s -> params.checked("selector", () -> LabelSelectors.check(s)));
      List<String> phases = params.texts("ignore_phases").orElse(List.of("Succeeded"));
      for (String phase : phases) {
        if (!PHASES.contains(phase)) {
          throw params.problem("ignore_phases", "names " + KubeNames.quoted(phase)
              + ", which is not a pod phase (Pending, Running, Succeeded, Failed, Unknown)");
        }
      }
      return new Which(namespace, workload, selector, List.copyOf(phases));
    }

    /** {@code pod of Deployment a/web}, {@code pod matching app=x in namespace a}, {@code pod of namespace a}. */
    String pods() {
      String of = workload.map(w -> "pod of " + w)
          .orElse(selector.isPresent() ? "pod" : "pod of namespace " + namespace);
      String matching = selector.map(s -> (workload.isPresent() ? " with labels " : " matching ") + s
          + (workload.isPresent() ? "" : " in namespace " + namespace)).orElse("");
      return of + matching;
    }

    /** {@link #pods()} as a preview line's argument. */
    Line podsLine() {
      if (workload.isPresent()) {
        return selector.map(s -> Line.of("preview.k8s.pods.ofWithLabels", "pod of {0} with labels {1}", workload.get(), s))
            .orElseGet(() -> Line.of("preview.k8s.pods.of", "pod of {0}", workload.get()));
      }
      return selector.map(s -> Line.of("preview.k8s.pods.matching", "pod matching {0} in namespace {1}", s, namespace))
          .orElseGet(() -> Line.of("preview.k8s.pods.ofNamespace", "pod of namespace {0}", namespace));
    }

    String ignored() {
      return ignorePhases.isEmpty() ? "" : " (pods " + String.join(" or ", ignorePhases) + " count as gone)";
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Which which = Which.from(params);
    return StepPreview.of(which.ignorePhases().isEmpty()
        ? Line.of("preview.k8s.waitPodsGone", "wait until no {0} is left (by watch)", which.podsLine())
        : Line.of("preview.k8s.waitPodsGone.ignoring", "wait until no {0} is left (pods {1} count as gone) (by watch)",
            which.podsLine(), Line.or(which.ignorePhases())));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Which which = Which.from(context.params());
    KubernetesClient client = kubernetes.client();
    String selector = which.selector().orElse(null);
    if (which.workload().isPresent()) {
      selector = LabelSelectors.and(podSelector(client, which.workload().get()), selector);
    }
    FilterWatchListDeletable<Pod, PodList, PodResource> pods = selector == null
        ? client.pods().inNamespace(which.namespace())
        : client.pods().inNamespace(which.namespace()).withLabelSelector(selector);
    context.action(null, "watch every " + which.pods() + " until none is left" + which.ignored());
    Watching.until(context, "every " + which.pods() + " to be gone", List.of(new Watching.Condition<>(pods, items -> {
      List<String> left = items.stream()
          .filter(p -> p.getStatus() == null || !which.ignorePhases().contains(p.getStatus().getPhase()))
          .map(p -> p.getMetadata().getName()).sorted().toList();
      return left.isEmpty() ? null : Shown.count(left, "pod") + " left: " + Shown.some(left);
    })));
    context.info("no " + which.pods() + " is left");
    return context.said(Line.of("summary.k8s.podsGone", "no {0} is left", which.podsLine()));
  }

  private static String podSelector(KubernetesClient client, ObjectId workload) throws InterruptedException {
    HasMetadata object = Api.call("read " + workload, () -> workload.in(client).get());
    if (object == null) {
      throw new StepFailedException(workload + " does not exist, so which pods are its pods is unknown;"
          + " give a selector instead");
    }
    String selector = Workloads.podSelector(object);
    if (selector == null) {
      throw new StepFailedException(workload + " has no pod selector");
    }
    return selector;
  }
}
