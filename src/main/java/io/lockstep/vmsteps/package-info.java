/**
 * Step executors for a management cluster of hypervisors with fleet-managed VMs and GlusterFS
 * volumes (PROCEDURES.md P5), all over SSH: {@code fleet.record-vms}, {@code fleet.stop-vms},
 * {@code fleet.start-vms}, {@code gluster.volumes}, {@code gluster.clients-gone},
 * {@code net.latency} and {@code ipmi.power}. Each reads the tools' own output (fleetctl, gluster,
 * fping, ipmitool) and waits, where the seed says "verify", until the cluster says so; the
 * hypervisors are reached by the names of {@code lockstep.sshsteps.hosts}.
 */
@NullMarked
package io.lockstep.vmsteps;

import org.jspecify.annotations.NullMarked;
