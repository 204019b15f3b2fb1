/**
 * The lab's second platform kind (P5): a management cluster of hypervisors whose VMs are fleet
 * units and whose shared storage is GlusterFS, plus a bastion holding the hosts' IPMI. Each host is
 * a real SSH endpoint (through {@code lab.node}'s {@link io.lockstep.lab.node.LabHosts}); the
 * commands of the source document ({@code fleetctl}, {@code gluster}, {@code clush},
 * {@code nodeset}, {@code fping}, {@code ipmitool}, {@code mount}, {@code pkill},
 * {@code poweroff}, {@code systemctl}) are interpreted in Java over one shared, persisted state
 * ({@link io.lockstep.lab.vmcluster.VmClusterLab} is the entry point).
 */
package io.lockstep.lab.vmcluster;
