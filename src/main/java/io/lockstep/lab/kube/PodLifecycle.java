package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kubelets and the node lifecycle controller do to a pod once it has a node:
 * <ul>
 *   <li>a new pod stays Pending for the start delay, then runs with its containers Ready — if its
 *       node is Ready and the node's kubelet and runtime run by then (otherwise it waits for them);
 *   <li>a running pod is Ready exactly while its node is Ready, its containers run and its {@link
 *       PodProbe readiness probe} passes (the probe's complaint is the Ready condition's message); with the
 *       runtime stopped its containers are gone, and they start again (one restart more) with it;
 *   <li>a deleted pod is Terminating, not Ready, for the grace period, then gone; a stopped kubelet
 *       holds it there until it starts again; a pod whose node was deleted goes at once.
 * </ul>
 */
final class PodLifecycle {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final ClusterCache cache;
  private final ControlLoop loop;
  private final NodeAgents agents;
  private final Duration startDelay;
  private final Duration grace;
  private final PodProbe probe;
  private final Set<String> starting = ConcurrentHashMap.newKeySet();
  private final Set<String> finishing = ConcurrentHashMap.newKeySet();

  PodLifecycle(KubernetesClient client, ClusterCache cache, ControlLoop loop, NodeAgents agents, Duration startDelay,
      Duration grace, PodProbe probe) {
    this.client = client;
    this.cache = cache;
    this.loop = loop;
    this.agents = agents;
    this.startDelay = startDelay;
    this.grace = grace;
    this.probe = probe;
  }

  void reconcile(String namespace, String name) {
    Pod pod = cache.pod(namespace, name).orElse(null);
    if (pod == null) {
      return;
    }
    String nodeName = WorkloadPods.node(pod);
    Node node = cache.node(nodeName).orElse(null);
    if (nodeName != null && node == null) {
      forget(pod);
    } else if (node != null && KosmosNodes.virtual(node)) {
      return; // a virtual node's pods are Kosmos' to run (KosmosPods)
    } else if (PodObjects.terminating(pod)) {
      terminate(pod, nodeName);
    } else if (node != null && "Pending".equals(pod.getStatus().getPhase())) {
      if (canRun(node)) {
        scheduleStart(pod);
      }
    } else if (node != null && agents.kubeletActive(nodeName)) {
      boolean up = agents.runtimeActive(nodeName);
      follow(pod, node, up);
    } else if (node != null && PodObjects.ready(pod)) {
      follow(pod, node, PodObjects.containersUp(pod));
    }
  }

  private void follow(Pod pod, Node node, boolean containersUp) {
    Optional<String> failure = containersUp ? probe.failure(pod) : Optional.empty();
    boolean ready = NodeObjects.ready(node) && containersUp && agents.kubeletActive(node.getMetadata().getName())
        && failure.isEmpty();
    if (PodObjects.ready(pod) != ready || PodObjects.containersUp(pod) != containersUp) {
      writeStatus(pod, PodObjects.explained(PodObjects.running(pod, NodeObjects.internalIp(node), ready, containersUp),
          failure));
    }
  }

  private void scheduleStart(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (starting.add(uid)) {
      loop.later(startDelay, "start:" + uid, () -> {
        starting.remove(uid);
        start(pod);
      });
    }
  }

  private void start(Pod created) {
    Pod pod = cache.pod(created.getMetadata().getNamespace(), created.getMetadata().getName()).orElse(null);
    if (pod == null || !sameUid(pod, created) || PodObjects.terminating(pod)
        || !"Pending".equals(pod.getStatus().getPhase()) || WorkloadPods.node(pod) == null) {
      return;
    }
    Node node = cache.node(WorkloadPods.node(pod)).orElse(null);
    if (node != null && canRun(node)) {
      Optional<String> failure = probe.failure(pod);
      writeStatus(pod, PodObjects.explained(PodObjects.running(pod, NodeObjects.internalIp(node), failure.isEmpty(),
          true), failure));
    }
  }

  private void terminate(Pod pod, String nodeName) {
    if (PodObjects.ready(pod)) {
      writeStatus(pod, PodObjects.unready(pod, "PodCompleted"));
    }
    if (nodeName == null || "Pending".equals(pod.getStatus().getPhase())) {
      forget(pod);
    } else if (agents.kubeletActive(nodeName) && finishing.add(pod.getMetadata().getUid())) {
      loop.later(grace, "finish:" + pod.getMetadata().getUid(), () -> {
        finishing.remove(pod.getMetadata().getUid());
        Pod current = cache.pod(pod.getMetadata().getNamespace(), pod.getMetadata().getName()).orElse(null);
        if (current != null && sameUid(current, pod) && agents.kubeletActive(nodeName)) {
          forget(current);
        }
      });
    }
  }

  /**
   * Removes the pod for good, in one request guarded by its uid (the name may belong to a new pod
   * by now): marks it deleted if nobody did and drops the kubelet's finalizer, upon which the store
   * deletes it — or keeps it Terminating while finalizers of others remain.
   */
  private void forget(Pod pod) {
    List<Map<String, Object>> operations = new ArrayList<>();
    operations.add(Map.of("op", "test", "path", "/metadata/uid", "value", pod.getMetadata().getUid()));
    if (!PodObjects.terminating(pod)) {
      operations.add(Map.of("op", "add", "path", "/metadata/deletionTimestamp",
          "value", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
    }
    operations.add(Map.of("op", "replace", "path", "/metadata/finalizers", "value",
        pod.getMetadata().getFinalizers().stream().filter(f -> !PodObjects.KUBELET.equals(f)).toList()));
    try {
      resource(pod).patch(PatchContext.of(PatchType.JSON), JSON.asJson(operations));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 422) {
        throw e;
      }
    }
  }

  private boolean canRun(Node node) {
    return NodeObjects.ready(node) && agents.running(node.getMetadata().getName());
  }

  /** Writes the status {@code updated} carries, unless the pod has been replaced by a namesake. */
  private void writeStatus(Pod pod, Pod updated) {
    StatusPatch.write(resource(pod), pod, updated.getStatus());
  }

  private PodResource resource(Pod pod) {
    return resource(pod.getMetadata().getNamespace(), pod.getMetadata().getName());
  }

  private PodResource resource(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name);
  }

  private static boolean sameUid(Pod a, Pod b) {
    return Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid());
  }
}
