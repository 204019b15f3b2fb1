package io.lockstep.kubesteps;

import io.lockstep.run.StepPreview;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The objects a {@code k8s.delete} or {@code wait.deleted} step is about: one object by name, or
 * every object of a kind that a label selector matches, in a namespace (none for Nodes and
 * PersistentVolumes).
 *
 * @param kind the kind
 * @param namespace the namespace; null exactly for kinds without one
 * @param name the object's name, or empty
 * @param selector the label selector, or empty; exactly one of name and selector is present
 */
record Selection(ObjectKind kind, String namespace, Optional<String> name, Optional<String> selector) {

  Selection {
    if (name.isPresent() == selector.isPresent()) {
      throw new IllegalArgumentException("a selection has a name or a selector");
    }
    if (kind.namespaced() && namespace == null) {
      throw new IllegalArgumentException(kind + " objects live in a namespace: give param 'namespace'");
    }
    if (!kind.namespaced() && namespace != null) {
      throw new IllegalArgumentException(kind + " belongs to no namespace: leave param 'namespace' out");
    }
    name.ifPresent(n -> KubeNames.object(kind.toString(), n));
  }

  /**
   * Reads the params {@code namespace}, {@code kind} and {@code name}/{@code selector}, or
   * {@code object} ({@code Kind/name}) instead of {@code kind} and {@code name} when {@code object}
   * is one of the names.
   */
  static Selection from(Params params, List<String> names) {
    Optional<String> namespace = params.optionalText("namespace")
        .map(ns -> params.checked("namespace", () -> KubeNames.namespace(ns)));
    Optional<String> selector = params.optionalText("selector")
        .map(s -> params.checked("selector", () -> LabelSelectors.check(s)));
    boolean byObject = names.contains("object") && params.has("object");
    if (byObject && (params.has("kind") || selector.isPresent())) {
      throw params.invalid("give either 'object' (Kind/name) or 'kind' with 'selector', not both");
    }
    if (byObject) {
      ObjectId id = params.checked("object", () -> ObjectId.parse(params.text("object"), namespace.orElse(null),
          EnumSet.allOf(ObjectKind.class)));
      return new Selection(id.kind(), id.namespace(), Optional.of(id.name()), Optional.empty());
    }
    if (!params.has("kind")) {
      throw params.invalid(names.contains("object") ? "give 'object' (Kind/name) or 'kind' with 'selector'"
          : "param 'kind' is missing");
    }
    ObjectKind kind = params.checked("kind",
        () -> ObjectKind.named(params.text("kind"), EnumSet.allOf(ObjectKind.class)));
    Optional<String> name = names.contains("name") ? params.optionalText("name") : Optional.empty();
    if (name.isPresent() == selector.isPresent()) {
      throw params.invalid(names.contains("name")
          ? "give either 'name' or 'selector'" + (name.isPresent() ? ", not both" : "")
          : "'kind' needs a 'selector'");
    }
    try {
      return new Selection(kind, namespace.orElse(null), name, selector);
    } catch (IllegalArgumentException e) {
      throw params.invalid(e.getMessage());
    }
  }

  /** The objects selected, as an operation to list, watch or inform on. */
  Informable<HasMetadata> source(KubernetesClient client) {
    NonNamespaceOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> all =
        kind.in(client, namespace);
    return name.<Informable<HasMetadata>>map(all::withName).orElseGet(() -> all.withLabelSelector(selector.get()));
  }

  /** The objects selected now. */
  List<HasMetadata> list(KubernetesClient client) {
    NonNamespaceOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> all =
        kind.in(client, namespace);
    if (name.isPresent()) {
      HasMetadata object = all.withName(name.get()).get();
      return object == null ? List.of() : List.of(object);
    }
    return all.withLabelSelector(selector.get()).list().getItems().stream()
        .sorted(Comparator.comparing(o -> o.getMetadata().getName())).toList();
  }

  /** What {@link #toString()} says, as a preview line's argument in the reader's language. */
  StepPreview.Line line() {
    if (name.isPresent()) {
      return StepPreview.Line.plain(new ObjectId(kind, namespace, name.get()).toString());
    }
    return namespace == null
        ? StepPreview.Line.of("preview.k8s.selection", "every {0} matching {1}", kind, selector.get())
        : StepPreview.Line.of("preview.k8s.selectionIn", "every {0} matching {1} in namespace {2}", kind,
            selector.get(), namespace);
  }

  /** What is left of {@link #line()} after "every": {@code no Pod matching … is left}. */
  StepPreview.Line noneLeft() {
    return namespace == null
        ? StepPreview.Line.of("preview.k8s.noneLeft", "no {0} matching {1} is left", kind, selector.orElse(""))
        : StepPreview.Line.of("preview.k8s.noneLeftIn", "no {0} matching {1} in namespace {2} is left", kind,
            selector.orElse(""), namespace);
  }

  /** {@code Deployment anyshare/web}, {@code every Pod matching app=web in namespace anyshare}. */
  @Override
  public String toString() {
    return name.map(n -> new ObjectId(kind, namespace, n).toString())
        .orElseGet(() -> "every " + kind + " matching " + selector.get()
            + (namespace == null ? "" : " in namespace " + namespace));
  }
}
