package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.patch}: applies a JSON merge patch (RFC 7396) to one object. Before patching it records
 * the object's values of the patched fields, as a merge patch that would put them back (null for a
 * field that was absent), under {@code patched/<namespace>/<Kind>/<name>/<phase.step>}, once: a
 * rerun keeps the values from before the first attempt. For a Secret the values under
 * {@code data} and {@code stringData} are neither recorded nor shown.
 */
@Component
class PatchObject implements StepExecutor {

  static final String TYPE = "k8s.patch";
  static final String KEY = "patched/";
  static final List<String> NAMES = List.of("namespace", "object", "patch");
  private static final List<String> FIXED = List.of("apiVersion", "kind");
  private static final List<String> FIXED_METADATA = List.of("name", "namespace", "uid", "resourceVersion");

  private final Kubernetes kubernetes;

  PatchObject(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The checked params. */
  record Change(ObjectId object, Map<String, Object> patch) {

    static Change from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      String namespace = params.optionalText("namespace")
          .map(ns -> params.checked("namespace", () -> KubeNames.namespace(ns))).orElse(null);
      ObjectId object = params.checked("object", () -> ObjectId.parse(params.text("object"), namespace,
          EnumSet.allOf(ObjectKind.class)));
      Map<String, Object> patch = params.map("patch");
      FIXED.stream().filter(patch::containsKey).findFirst().ifPresent(field -> {
        throw params.problem("patch", "sets '" + field + "', which a patch cannot change");
      });
      if (patch.get("metadata") instanceof Map<?, ?> metadata) {
        FIXED_METADATA.stream().filter(metadata::containsKey).findFirst().ifPresent(field -> {
          throw params.problem("patch", "sets 'metadata." + field + "', which a patch cannot change");
        });
      } else if (patch.containsKey("metadata")) {
        throw params.problem("patch", "sets 'metadata' to something that is not a map");
      }
      return new Change(object, patch);
    }

    boolean secret() {
      return object.kind() == ObjectKind.SECRET;
    }

    /** The patch as shown: a Secret's data masked. */
    Map<String, Object> shownPatch() {
      return secret() ? ObjectJson.maskSecretData(patch, "***") : patch;
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Change change = Change.from(params);
    KubernetesClient client = kubernetes.client();
    ObjectJson json = new ObjectJson(client.getKubernetesSerialization());
    Line line = Line.of("preview.k8s.patch", "patch {0} with JSON merge patch {1} (recording the previous values of"
        + " these fields first, once)", change.object(), json.json(change.shownPatch()));
    try {
      HasMetadata object = change.object().in(client).get();
      if (object == null) {
        return StepPreview.of(line, Line.of("preview.k8s.patch.missing", "{0} does not exist now, so the step would"
            + " fail", change.object()));
      }
      Map<String, Object> before = ObjectJson.previous(change.patch(), json.map(object));
      if (change.secret()) {
        before = ObjectJson.maskSecretData(before, "***");
      }
      return new StepPreview(List.of(line), json.diff(change.object(), before, change.shownPatch()));
    } catch (KubernetesClientException e) {
      return StepPreview.of(line);
    }
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Change change = Change.from(context.params());
    KubernetesClient client = kubernetes.client();
    ObjectJson json = new ObjectJson(client.getKubernetesSerialization());
    ObjectId id = change.object();
    HasMetadata object = Api.call("read " + id, () -> id.in(client).get());
    if (object == null) {
      throw new StepFailedException(id + " does not exist: nothing was patched");
    }
    Map<String, Object> previous = ObjectJson.previous(change.patch(), json.map(object));
    if (change.secret()) {
      previous = ObjectJson.maskSecretData(previous, ObjectJson.NOT_RECORDED);
      context.info("the values under data and stringData of " + id + " are not recorded, only their keys");
    }
    context.undo().recordOnce(KEY + id.keyPart() + "/" + context.step(), json.json(previous));
    String text = json.json(change.patch());
    context.action(null, "patch " + id + " with JSON merge patch " + json.json(change.shownPatch()));
    Api.call("patch " + id, () -> id.in(client).patch(PatchContext.of(PatchType.JSON_MERGE), text));
    context.info("patched " + id);
    return context.said(Line.of("summary.k8s.patched", "patched {0}", id.toString()));
  }
}
