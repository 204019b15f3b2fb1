/**
 * The built-in lab platform (profile {@code lab}): a simulated Proton cluster reachable over the
 * real protocols — a Kubernetes API on loopback (fabric8's mock server in CRUD mode, with the
 * controllers it lacks played by {@code lab.kube}) and one SSH server per node whose commands
 * change the lab's state ({@code lab.node}), moving real bytes with the real rsync. Operators
 * rehearse a maintenance window on it; tests run against it.
 *
 * <p>Nothing else depends on this module: the console reaches the lab only through the kubeconfig,
 * known_hosts and key the lab writes, exactly as it reaches a real platform.
 */
package io.lockstep.lab;
