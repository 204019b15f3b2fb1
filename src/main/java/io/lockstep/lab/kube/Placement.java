package io.lockstep.lab.kube;

import java.util.List;

/**
 * Where a base component's replicas live: {@code hosts.get(i)} is the node of replica ordinal i
 * (the order is the component's cluster membership, so it is kept exactly), and every replica keeps
 * its data under {@code dataPath} on its node.
 */
record Placement(List<String> hosts, String dataPath) {

  Placement {
    hosts = List.copyOf(hosts);
  }
}
