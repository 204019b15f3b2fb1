package io.lockstep.run;

import java.util.Map;

/**
 * Values that every shipped procedure accepts on the lab, by procedure id (P1 also needs a
 * planner's rows, which plans made from these alone lack): the valid baseline that hostile-value
 * and preview tests vary one value of.
 */
final class ShippedPlanValues {

  static final Map<String, Map<String, Object>> VALID = Map.of(
      "demo-node-check", Map.of(),
      "move-mysql-kosmos", Map.of("replicas", "node-4, member-1"),
      "proton-node-migration", Map.of("ssh_password", "lab-root-secret"),
      "restart-cluster", Map.of("nodes", "node-1, node-2, node-3, node-4, node-5, node-6",
          "etcd_nodes", "node-1, node-2, node-3"),
      "restart-master-node", Map.of("node", "node-2"),
      "restart-worker-node", Map.of("node", "node-5"),
      "restart-vm-cluster", Map.of("top", "top1", "top_hypervisors", "top1, top2, top3",
          "worker_hypervisors", "worker1, worker2", "islet_workers", "iw1, iw2", "workstation", "bastion",
          "dns_vms", "ns1, ns2, ns3", "dhcp_vms", "infra1, infra2", "volumes", "volspoms1, volspoms2"));

  private ShippedPlanValues() {}
}
