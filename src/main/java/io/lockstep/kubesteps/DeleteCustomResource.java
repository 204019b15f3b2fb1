package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@code k8s.delete-custom}: deletes one custom resource ({@code api_version}, {@code kind}, its
 * {@code plural} resource name, {@code name}, {@code namespace} for a namespaced kind) and waits by watch until it is gone — its
 * operator's finalizers done. P1 stops the operator-managed components (nebula, mariadb, mongodb)
 * this way; the seed sleeps 33 seconds instead of waiting.
 *
 * <p>The resource is recorded first (undo key {@code deleted/<namespace>/<Kind>/<name>}, once) as
 * JSON without status and server-set fields; because a component's custom resource may carry
 * credentials in its spec, the record is kept as a secret one: stored for a restore, never shown.
 * A resource that does not exist is nothing to delete, so the step can be repeated.
 */
@Component
class DeleteCustomResource implements StepExecutor {

  static final String TYPE = "k8s.delete-custom";
  static final List<String> NAMES = List.of("api_version", "kind", "plural", "namespace", "name");
  private static final java.util.regex.Pattern API_VERSION =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/v[0-9]+((alpha|beta)[0-9]+)?");
  private static final java.util.regex.Pattern KIND = java.util.regex.Pattern.compile("[A-Z][A-Za-z0-9]{0,62}");
  private static final java.util.regex.Pattern PLURAL = java.util.regex.Pattern.compile("[a-z][a-z0-9]{0,62}");

  private final Kubernetes kubernetes;

  DeleteCustomResource(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  record Target(String apiVersion, String kind, String plural, Optional<String> namespace, String name) {

    static Target from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      String apiVersion = params.text("api_version");
      if (!API_VERSION.matcher(apiVersion).matches()) {
        throw params.problem("api_version", "is " + KubeNames.quoted(apiVersion)
            + "; write GROUP/VERSION of the custom resource, e.g. app.nebula-graph.io/v1alpha1");
      }
      String kind = params.text("kind");
      if (!KIND.matcher(kind).matches()) {
        throw params.problem("kind", "is " + KubeNames.quoted(kind) + "; write the kind as Kubernetes does, e.g. NebulaCluster");
      }
      String plural = params.text("plural");
      if (!PLURAL.matcher(plural).matches()) {
        throw params.problem("plural", "is " + KubeNames.quoted(plural) + "; write the resource's plural name, e.g. nebulaclusters");
      }
      Optional<String> namespace = params.optionalText("namespace")
          .map(n -> params.checked("namespace", () -> KubeNames.namespace(n)));
      String name = params.checked("name", () -> KubeNames.object(kind, params.text("name")));
      return new Target(apiVersion, kind, plural, namespace, name);
    }

    String path() {
      return namespace.map(n -> n + "/").orElse("") + name;
    }

    @Override
    public String toString() {
      return kind + " " + path() + " (" + apiVersion + ")";
    }

    NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> all(
        KubernetesClient client) {
      MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> all =
          client.genericKubernetesResources(new ResourceDefinitionContext.Builder()
              .withGroup(apiVersion.substring(0, apiVersion.indexOf('/')))
              .withVersion(apiVersion.substring(apiVersion.indexOf('/') + 1))
              .withKind(kind).withPlural(plural).withNamespaced(namespace.isPresent()).build());
      return namespace.isPresent() ? all.inNamespace(namespace.get()) : all;
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Target target = Target.from(params);
    return StepPreview.of(Line.of("preview.k8s.deleteResource", "delete {0} (recording it first, once, as a secret"
        + " record)", target), Line.of("preview.k8s.waitGone.one", "wait until it is gone (by watch)"));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Target target = Target.from(context.params());
    KubernetesClient client = kubernetes.client();
    GenericKubernetesResource resource = Api.call("read " + target, () -> target.all(client).withName(target.name()).get());
    if (resource == null) {
      context.info(target + " does not exist; nothing to delete");
      return context.said(Line.of("summary.k8s.delete.nothing", "nothing to delete"));
    }
    Map<String, Object> recorded = new java.util.LinkedHashMap<>(
        client.getKubernetesSerialization().convertValue(resource, Map.class));
    recorded.remove("status");
    if (recorded.get("metadata") instanceof Map<?, ?> metadata) {
      List.of("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "deletionTimestamp")
          .forEach(metadata::remove);
    }
    context.undo().recordSecretOnce("deleted/" + target.namespace().orElse("") + "/" + target.kind() + "/" + target.name(),
        client.getKubernetesSerialization().asJson(recorded));
    String uid = resource.getMetadata().getUid();
    context.action(null, "delete " + target);
    Api.call("delete " + target, () -> target.all(client).withName(target.name()).delete());
    Watching.until(context, target + " to be gone", List.of(new Watching.Condition<>(target.all(client),
        items -> items.stream().anyMatch(r -> r.getMetadata().getName().equals(target.name())
            && (uid == null || uid.equals(r.getMetadata().getUid()))) ? "still there: " + target.name() : null)));
    context.info(target + " is gone");
    return context.said(Line.of("summary.k8s.delete.one", "deleted {0}", target.toString()));
  }
}
