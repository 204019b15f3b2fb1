package io.lockstep.kubesteps;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.rollout-restart}: what {@code kubectl rollout restart} does — sets the pod template's
 * annotation {@value #ANNOTATION} to now, so the controller replaces every pod — for a Deployment,
 * StatefulSet or DaemonSet. P1 restarts the MariaDB operator this way so that it creates the master
 * Service. Repeating it restarts the pods again, which is harmless for the workloads it is meant for.
 */
@Component
class RolloutRestart implements StepExecutor {

  static final String TYPE = "k8s.rollout-restart";
  static final String ANNOTATION = "kubectl.kubernetes.io/restartedAt";
  static final List<String> NAMES = List.of("namespace", "object");

  private final Kubernetes kubernetes;
  private final Clock clock;

  RolloutRestart(Kubernetes kubernetes, Clock clock) {
    this.kubernetes = kubernetes;
    this.clock = clock;
  }

  @Override
  public String type() {
    return TYPE;
  }

  private static ObjectId target(Map<String, ?> values) {
    Params params = Params.of(TYPE, values, NAMES);
    String namespace = params.checked("namespace", () -> KubeNames.namespace(params.text("namespace")));
    return params.checked("object", () -> ObjectId.parse(params.text("object"), namespace, ObjectKind.WORKLOADS));
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    ObjectId id = target(params);
    return StepPreview.of(Line.of("preview.k8s.rolloutRestart", "restart the pods of {0} (set the template annotation"
        + " {1} to the time)", id, ANNOTATION));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    ObjectId id = target(context.params());
    KubernetesClient client = kubernetes.client();
    if (Api.call("read " + id, () -> id.in(client).get()) == null) {
      throw new StepFailedException(id + " does not exist");
    }
    String now = clock.instant().toString();
    Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("metadata",
        Map.of("annotations", Map.of(ANNOTATION, now)))));
    context.action(null, "rollout restart " + id);
    Api.call("restart " + id, () -> id.in(client).patch(PatchContext.of(PatchType.JSON_MERGE),
        client.getKubernetesSerialization().asJson(patch)));
    context.info("restarted " + id + " (" + ANNOTATION + "=" + now + ")");
    return context.said(Line.of("summary.k8s.restarted", "restarted {0}", id.toString()));
  }
}
