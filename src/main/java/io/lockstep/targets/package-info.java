/**
 * Which nodes a node or cluster restart may target, taken from the cluster itself: the machines
 * of the cluster (Kubernetes nodes, virtual kubelets left out), which of them are masters (the
 * {@code node-role.kubernetes.io/master} or {@code control-plane} label, as KubeKey sets them) and
 * which run an etcd member ({@code etcdctl member list} on a master, since KubeKey runs etcd as a
 * systemd unit that no label shows). Applied when a plan is saved ({@link
 * io.lockstep.run.PlanDataCheck}): P2 refuses a node that is no master, P3 a master or an etcd
 * node, P4 a node list or etcd list that leaves part of the cluster out unless the plan says why.
 */
package io.lockstep.targets;
