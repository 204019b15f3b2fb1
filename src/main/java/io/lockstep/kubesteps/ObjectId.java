package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Set;

/**
 * One Kubernetes object by kind, namespace and name: {@code Deployment anyshare/web}, {@code Node
 * node-1}. The namespace is null exactly for kinds without namespace.
 *
 * @param kind the kind
 * @param namespace the namespace, a valid namespace name; null for Nodes and PersistentVolumes
 * @param name the object's name, a valid Kubernetes name
 */
record ObjectId(ObjectKind kind, String namespace, String name) {

  ObjectId {
    if (kind.namespaced() && namespace == null) {
      throw new IllegalArgumentException(kind + " " + name + " needs a namespace: give param 'namespace'");
    }
    if (!kind.namespaced() && namespace != null) {
      throw new IllegalArgumentException(kind + " belongs to no namespace: leave param 'namespace' out");
    }
    if (namespace != null) {
      KubeNames.namespace(namespace);
    }
    KubeNames.object(kind.toString(), name);
  }

  /**
   * Reads {@code Kind/name} ({@code Deployment/web}) as an object of {@code namespace}.
   *
   * @throws IllegalArgumentException the text is not {@code Kind/name}, names a kind not in
   *     {@code allowed} or a name Kubernetes would refuse
   */
  static ObjectId parse(String text, String namespace, Set<ObjectKind> allowed) {
    int slash = text.indexOf('/');
    if (slash <= 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(KubeNames.quoted(text) + " is not written Kind/name, like Deployment/web");
    }
    ObjectKind kind = ObjectKind.named(text.substring(0, slash), allowed);
    return new ObjectId(kind, namespace, text.substring(slash + 1));
  }

  /** The object's id as it is now, from the object itself. */
  static ObjectId of(ObjectKind kind, HasMetadata object) {
    return new ObjectId(kind, kind.namespaced() ? object.getMetadata().getNamespace() : null,
        object.getMetadata().getName());
  }

  /** The object in the API. */
  Resource<HasMetadata> in(KubernetesClient client) {
    return kind.in(client, namespace).withName(name);
  }

  /** {@code anyshare/Deployment/web}, {@code Node/node-1}: the object's part of an undo record key. */
  String keyPart() {
    return (namespace == null ? "" : namespace + "/") + kind + "/" + name;
  }

  /** {@code anyshare/web}, {@code node-1}. */
  String path() {
    return namespace == null ? name : namespace + "/" + name;
  }

  @Override
  public String toString() {
    return kind + " " + path();
  }
}
