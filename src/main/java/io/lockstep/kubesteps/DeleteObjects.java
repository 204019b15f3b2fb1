package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.delete}: deletes one object ({@code object: Kind/name}) or every object of a kind that
 * a label selector matches, then waits by watch until they are gone (finalizers done, pods shut
 * down). Each object is recorded before anything is deleted, under
 * {@code deleted/<namespace>/<Kind>/<name>}, once: its JSON without status and server-set fields;
 * a Secret by its name only, never its data. The objects are listed once and deleted by name, so
 * an object the selector matches only later is neither deleted nor waited for. Nothing to delete
 * (already gone) is not a failure, so the step can be repeated.
 */
@Component
class DeleteObjects implements StepExecutor {

  static final String TYPE = "k8s.delete";
  static final String KEY = "deleted/";
  static final List<String> NAMES = List.of("namespace", "object", "kind", "selector");

  private final Kubernetes kubernetes;

  DeleteObjects(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Selection selection = Selection.from(Params.of(TYPE, params, NAMES), NAMES);
    boolean one = selection.name().isPresent();
    Line delete;
    if (selection.kind() == ObjectKind.SECRET) {
      delete = one ? Line.of("preview.k8s.delete.secretOne", "delete {0} (recording it first, once, by name only:"
          + " Secret data is never recorded)", selection.line())
          : Line.of("preview.k8s.delete.secretEach", "delete {0} (recording each first, once, by name only:"
          + " Secret data is never recorded)", selection.line());
    } else {
      delete = one ? Line.of("preview.k8s.delete.one", "delete {0} (recording it first, once)", selection.line())
          : Line.of("preview.k8s.delete.each", "delete {0} (recording each first, once)", selection.line());
    }
    return StepPreview.of(delete, one ? Line.of("preview.k8s.waitGone.one", "wait until it is gone (by watch)")
        : Line.of("preview.k8s.waitGone.each", "wait until they are gone (by watch)"));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Selection selection = Selection.from(Params.of(TYPE, context.params(), NAMES), NAMES);
    KubernetesClient client = kubernetes.client();
    ObjectJson json = new ObjectJson(client.getKubernetesSerialization());
    List<HasMetadata> objects = Api.call("read " + selection, () -> selection.list(client));
    if (objects.isEmpty()) {
      context.info((selection.name().isPresent() ? selection + " does not exist" : "nothing matches: " + selection)
          + "; nothing to delete");
      return context.said(Line.of("summary.k8s.delete.nothing", "nothing to delete"));
    }
    for (HasMetadata object : objects) {
      ObjectId id = ObjectId.of(selection.kind(), object);
      context.undo().recordOnce(KEY + id.keyPart(), json.deleted(id, object));
    }
    if (selection.kind() == ObjectKind.SECRET) {
      context.info("Secrets are recorded by name only: their data is not kept and cannot be restored from this run");
    }
    for (HasMetadata object : objects) {
      ObjectId id = ObjectId.of(selection.kind(), object);
      context.action(null, "delete " + id);
      Api.call("delete " + id, () -> id.in(client).delete());
      context.info("deleted " + id);
    }
    Set<String> uids = objects.stream().map(o -> o.getMetadata().getUid()).collect(Collectors.toSet());
    Watching.until(context, selection + " to be gone", List.of(new Watching.Condition<>(selection.source(client),
        items -> {
          List<String> left = items.stream().filter(o -> uids.contains(o.getMetadata().getUid()))
              .map(o -> o.getMetadata().getName()).sorted().toList();
          return left.isEmpty() ? null : "not gone yet: " + Shown.some(left);
        })));
    Line summary = objects.size() == 1
        ? Line.of("summary.k8s.delete.one", "deleted {0}", ObjectId.of(selection.kind(), objects.get(0)).toString())
        : Line.of("summary.k8s.delete.many", "deleted {0} objects: {1}", objects.size(), selection.line());
    context.info(summary.english() + (objects.size() == 1 ? ", it is gone" : ", all gone"));
    return context.said(summary);
  }
}
