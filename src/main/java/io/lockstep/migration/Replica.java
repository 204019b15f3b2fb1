package io.lockstep.migration;

/**
 * A replica's data directory as the platform holds it now: a base-component replica, or a host
 * service on one of its nodes. One row of the plan starts from each.
 *
 * @param component the component's name as Secret {@value ComponentCatalog#SECRET} names it, or the
 *     host service's name
 * @param kind {@code helm}, {@code operator} or {@code host}; null when the Secret does not name the
 *     component
 * @param confKey the component's section in the cluster configuration; null for a host service or
 *     when unknown
 * @param ordinal the replica's ordinal (a host service: the node's index in its node list)
 * @param node where the data is; null when the replica has no bound volume
 * @param path the data directory; null when the replica has no bound volume
 */
record Replica(String component, String kind, String confKey, int ordinal, String node, String path) {

  static final String HOST = "host";

  String key() {
    return component + "-" + ordinal;
  }

  boolean host() {
    return HOST.equals(kind);
  }
}
