package io.lockstep.lab.kube;

import java.util.List;

/**
 * One kind of object the lab's API server serves, as API discovery names it: where it lives
 * (group/version, plural), what it is called (kind, singular, short names) and whether it sits in
 * a namespace. Paths built here are the REST paths the CRUD store keys objects by.
 */
record ApiResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> shortNames,
    List<String> subresources) {

  ApiResourceType {
    shortNames = List.copyOf(shortNames);
    subresources = List.copyOf(subresources);
  }

  /** {@code v1} for the core group, {@code GROUP/VERSION} otherwise. */
  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** {@code /api/v1} or {@code /apis/GROUP/VERSION}. */
  String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /** The collection path, across all namespaces when {@code namespace} is null. */
  String collectionPath(String namespace) {
    return namespaced && namespace != null
        ? groupVersionPath() + "/namespaces/" + namespace + "/" + plural
        : groupVersionPath() + "/" + plural;
  }

  /** The path of one object. */
  String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }
}
