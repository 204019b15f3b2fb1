package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pods as the lab's kubelets report them. Every pod carries the finalizer {@value #KUBELET}: it is
 * what keeps a deleted pod visible as Terminating (deletionTimestamp set, not Ready) for its grace
 * period, as a real kubelet does while it stops the containers; the lab's pod lifecycle removes it
 * when the grace period is over, and the pod is gone.
 */
final class PodObjects {

  static final String KUBELET = "lab.lockstep.io/kubelet";

  private PodObjects() {}

  static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  /** A new pod from a template: Pending, scheduled to {@code node} or (null) waiting for one. */
  static Pod pending(String namespace, String name, PodTemplateSpec template, OwnerReference owner,
      Map<String, String> extraLabels, String node) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() != null && template.getMetadata().getLabels() != null) {
      labels.putAll(template.getMetadata().getLabels());
    }
    labels.putAll(extraLabels);
    PodBuilder pod = new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels)
        .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
        .withOwnerReferences(owner).withFinalizers(KUBELET).endMetadata()
        .withSpec(template.getSpec())
        .withNewStatus().withPhase("Pending").withQosClass("BestEffort").endStatus();
    pod.editSpec().withNodeName(node).endSpec();
    pod.editStatus().withConditions(node == null
        ? List.of(condition("PodScheduled", false, "Unschedulable", "0/0 nodes are available to run the pod"))
        : List.of(condition("PodScheduled", true, null, null))).endStatus();
    return pod.build();
  }

  /** The status of a started pod: Running, its containers running and ready when {@code ready}. */
  static Pod running(Pod pod, String hostIp, boolean ready, boolean containersUp) {
    String now = now();
    List<ContainerStatus> containers = new ArrayList<>();
    pod.getSpec().getContainers().forEach(c -> {
      ContainerStatusBuilder status = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
          .withImageID("docker-pullable://" + c.getImage()).withReady(ready && containersUp)
          .withStarted(containersUp).withRestartCount(restarts(pod, c.getName(), containersUp));
      if (containersUp) {
        status.withNewState().withNewRunning().withStartedAt(now).endRunning().endState();
      } else {
        status.withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState();
      }
      containers.add(status.withContainerID(containersUp ? "docker://" + pod.getMetadata().getUid() : null).build());
    });
    return new PodBuilder(pod).editStatus().withPhase("Running").withHostIP(hostIp)
        .withPodIP(pod.getStatus().getPodIP() == null ? podIp(pod) : pod.getStatus().getPodIP())
        .withStartTime(pod.getStatus().getStartTime() == null ? now : pod.getStatus().getStartTime())
        .withConditions(
            condition("Initialized", true, null, null),
            condition("Ready", ready && containersUp, ready && containersUp ? null : "ContainersNotReady", null),
            condition("ContainersReady", ready && containersUp, null, null),
            condition("PodScheduled", true, null, null))
        .withContainerStatuses(containers)
        .endStatus().build();
  }

  /** The pod with its Ready and ContainersReady conditions False (it is stopping), the others kept. */
  static Pod unready(Pod pod, String reason) {
    List<PodCondition> conditions = new ArrayList<>();
    for (PodCondition c : pod.getStatus().getConditions()) {
      boolean readiness = "Ready".equals(c.getType()) || "ContainersReady".equals(c.getType());
      conditions.add(readiness ? condition(c.getType(), false, reason, null) : c);
    }
    return new PodBuilder(pod).editStatus().withConditions(conditions).endStatus().build();
  }

  /** The pod with the reason it is not ready as its Ready condition's message (unchanged when there is none). */
  static Pod explained(Pod pod, Optional<String> failure) {
    if (failure.isEmpty()) {
      return pod;
    }
    List<PodCondition> conditions = new ArrayList<>();
    for (PodCondition c : pod.getStatus().getConditions()) {
      conditions.add("Ready".equals(c.getType()) ? new PodConditionBuilder(c).withMessage(failure.get()).build() : c);
    }
    return new PodBuilder(pod).editStatus().withConditions(conditions).endStatus().build();
  }

  /** Whether the pod's Ready condition is True. */
  static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  static boolean containersUp(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
        && pod.getStatus().getContainerStatuses().stream().allMatch(c -> Boolean.TRUE.equals(c.getStarted()));
  }

  static PodCondition condition(String type, boolean status, String reason, String message) {
    return new PodConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
        .withMessage(message).withLastTransitionTime(now()).build();
  }

  private static int restarts(Pod pod, String container, boolean containersUp) {
    if (pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream().filter(s -> container.equals(s.getName()))
        .mapToInt(s -> s.getRestartCount() + (containersUp && !Boolean.TRUE.equals(s.getStarted()) ? 1 : 0))
        .findFirst().orElse(0);
  }

  private static String podIp(Pod pod) {
    int hash = pod.getMetadata().getName().hashCode() & 0xffff;
    return "10.244." + (hash >> 8) + "." + Math.max(2, hash & 0xff);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
