package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The kinds of object the executors handle, written as Kubernetes writes them ({@code Deployment},
 * {@code PersistentVolumeClaim}). PersistentVolumes and Nodes belong to no namespace.
 */
enum ObjectKind {
  DEPLOYMENT("Deployment", Deployment.class, true),
  STATEFUL_SET("StatefulSet", StatefulSet.class, true),
  DAEMON_SET("DaemonSet", DaemonSet.class, true),
  POD("Pod", Pod.class, true),
  SERVICE("Service", Service.class, true),
  CONFIG_MAP("ConfigMap", ConfigMap.class, true),
  SECRET("Secret", Secret.class, true),
  PERSISTENT_VOLUME_CLAIM("PersistentVolumeClaim", PersistentVolumeClaim.class, true),
  PERSISTENT_VOLUME("PersistentVolume", PersistentVolume.class, false),
  NODE("Node", Node.class, false);

  /** The kinds {@code k8s.scale} scales. */
  static final Set<ObjectKind> SCALABLE = EnumSet.of(DEPLOYMENT, STATEFUL_SET);
  /** The kinds that run pods: {@code wait.pods-gone} and {@code wait.workloads-ready} take them. */
  static final Set<ObjectKind> WORKLOADS = EnumSet.of(DEPLOYMENT, STATEFUL_SET, DAEMON_SET);

  private final String kind;
  private final Class<? extends HasMetadata> type;
  private final boolean namespaced;

  ObjectKind(String kind, Class<? extends HasMetadata> type, boolean namespaced) {
    this.kind = kind;
    this.type = type;
    this.namespaced = namespaced;
  }

  /**
   * The kind written {@code kind}, if it is one of {@code allowed}.
   *
   * @throws IllegalArgumentException naming the kinds that are allowed (and the right spelling of
   *     a kind written in the wrong case)
   */
  static ObjectKind named(String kind, Set<ObjectKind> allowed) {
    for (ObjectKind candidate : allowed) {
      if (candidate.kind.equals(kind)) {
        return candidate;
      }
    }
    String hint = Arrays.stream(values()).filter(k -> k.kind.equalsIgnoreCase(kind) && allowed.contains(k))
        .map(k -> " (did you mean " + k.kind + "?)").findFirst().orElse("");
    throw new IllegalArgumentException("kind " + KubeNames.quoted(kind) + " is not one of "
        + allowed.stream().map(ObjectKind::toString).collect(Collectors.joining(", ")) + hint);
  }

  boolean namespaced() {
    return namespaced;
  }

  /**
   * The objects of this kind in {@code namespace} (ignored for a kind without namespace).
   */
  @SuppressWarnings("unchecked") // every constant's type is the model class of its kind
  NonNamespaceOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> in(
      KubernetesClient client, String namespace) {
    MixedOperation<HasMetadata, KubernetesResourceList<HasMetadata>, Resource<HasMetadata>> all =
        client.resources((Class<HasMetadata>) type);
    return namespaced ? all.inNamespace(namespace) : all;
  }

  @Override
  public String toString() {
    return kind;
  }
}
