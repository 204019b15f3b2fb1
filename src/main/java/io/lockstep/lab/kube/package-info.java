/**
 * The Kubernetes side of the lab platform: an API server on loopback that real kubectl and fabric8
 * talk to as to a real cluster (fabric8's CRUD mock store, completed by {@link
 * io.lockstep.lab.kube.LabDispatcher} with discovery, subresources, real patch semantics, field
 * selectors, robust watches and kubectl tables), the seeded Proton platform in it, the controllers a
 * real cluster would run (pods follow workloads, node agents and nodes; owners take their
 * dependents), its state saved to disk, and the platform-level effects of the commands the lab's
 * nodes run ({@code systemctl}, {@code helm3 delete}, {@code proton-cli get conf / apply}).
 *
 * <p>{@link io.lockstep.lab.kube.LabKube} is the only public class: the lab's wiring starts, resets
 * and stops it, and the lab's nodes reach it as a {@link io.lockstep.lab.LabCluster}.
 */
package io.lockstep.lab.kube;
