/**
 * What the platform looks like right now, read live from the Kubernetes API and the nodes: nodes
 * (roles, readiness, SSH reachability with the pinned host key's fingerprint), base components
 * replica by replica (ordinal → node, data path, PV/PVC, pod), operator components and the
 * business applications. The first screen after login, and the ground a migration plan is checked
 * against.
 */
package io.lockstep.inventory;
