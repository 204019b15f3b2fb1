package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes objects whose owners are gone, as Kubernetes' garbage collector does with background
 * propagation: a deleted operator custom resource takes its StatefulSet, a deleted workload its
 * pods (which then terminate gracefully), a deleted Node its mirror pods. Only owners of the kinds
 * the lab knows count; an object with another kind of owner is left alone. Volumes and claims have
 * no owners here and are never collected — P1 deletes them by label.
 */
final class GarbageCollector {

  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
  private static final Set<String> WORKLOAD_KINDS = Set.of("StatefulSet", "Deployment", "DaemonSet", "ReplicaSet", "Node");

  private final KubernetesClient client;
  private final Supplier<List<ApiResourceType>> customTypes;

  GarbageCollector(KubernetesClient client, Supplier<List<ApiResourceType>> customTypes) {
    this.client = client;
    this.customTypes = customTypes;
  }

  /** Collects every orphan. Dependents are listed before owners, so a brand-new pair never looks orphaned. */
  void sweep() {
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    List<StatefulSet> statefulSets = client.apps().statefulSets().inAnyNamespace().list().getItems();
    Set<String> ownerKinds = new HashSet<>(WORKLOAD_KINDS);
    Set<String> owners = new HashSet<>();
    Stream.of(client.apps().statefulSets().inAnyNamespace().list().getItems(),
            client.apps().deployments().inAnyNamespace().list().getItems(),
            client.apps().daemonSets().inAnyNamespace().list().getItems(),
            client.apps().replicaSets().inAnyNamespace().list().getItems(),
            client.nodes().list().getItems())
        .flatMap(List::stream).forEach(o -> owners.add(o.getMetadata().getUid()));
    for (ApiResourceType type : customTypes.get()) {
      ownerKinds.add(type.kind());
      client.genericKubernetesResources(context(type)).inAnyNamespace().list().getItems()
          .forEach(o -> owners.add(o.getMetadata().getUid()));
    }
    for (StatefulSet sts : statefulSets) {
      if (orphaned(sts, ownerKinds, owners)) {
        log.debug("collecting StatefulSet {}/{}", sts.getMetadata().getNamespace(), sts.getMetadata().getName());
        delete(() -> client.apps().statefulSets().resource(sts).delete());
      }
    }
    for (Pod pod : pods) {
      if (!PodObjects.terminating(pod) && orphaned(pod, ownerKinds, owners)) {
        delete(() -> client.pods().resource(pod).delete());
      }
    }
  }

  private static boolean orphaned(HasMetadata object, Set<String> ownerKinds, Set<String> owners) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs != null && !refs.isEmpty()
        && refs.stream().allMatch(ref -> ownerKinds.contains(ref.getKind()) && !owners.contains(ref.getUid()));
  }

  private static void delete(Runnable deletion) {
    try {
      deletion.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  static ResourceDefinitionContext context(ApiResourceType type) {
    return new ResourceDefinitionContext.Builder().withGroup(type.group()).withVersion(type.version())
        .withKind(type.kind()).withPlural(type.plural()).withNamespaced(type.namespaced()).build();
  }
}
