package io.lockstep.migration;

/**
 * A node of the cluster as the planner needs it.
 *
 * @param name the node's name
 * @param ip its InternalIP address; null when it has none
 * @param ready its Ready condition is True
 * @param reachable the console logged in over SSH with the pinned host key
 * @param sshMessage why it is not reachable; empty when it is
 * @param master it carries the master (or control-plane) role
 */
record NodeState(String name, String ip, boolean ready, boolean reachable, String sshMessage, boolean master) {}
