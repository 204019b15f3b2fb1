package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a Deployment's pods ({@code NAME-<template hash>-<suffix>}, spread over the nodes that take
 * pods) in step with its replicas. Pods of an older template — after {@code kubectl rollout
 * restart}, which changes an annotation of the template — are replaced by pods of the current one.
 */
final class DeploymentController {

  static final String TEMPLATE_HASH = "pod-template-hash";

  private final WorkloadPods pods;
  private final PodScheduler scheduler;

  DeploymentController(WorkloadPods pods, PodScheduler scheduler) {
    this.pods = pods;
    this.scheduler = scheduler;
  }

  void reconcile(String namespace, String name) {
    Deployment deployment = pods.client().apps().deployments().inNamespace(namespace).withName(name).get();
    if (deployment == null || deployment.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    int replicas = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
    String hash = pods.templateHash(deployment.getSpec().getTemplate());
    List<Pod> owned = pods.owned(deployment, deployment.getSpec().getSelector());
    List<Pod> current = new ArrayList<>(owned.stream().filter(WorkloadPods::active)
        .filter(p -> hash.equals(p.getMetadata().getLabels().get(TEMPLATE_HASH))).toList());
    owned.stream().filter(WorkloadPods::active)
        .filter(p -> !hash.equals(p.getMetadata().getLabels().get(TEMPLATE_HASH)))
        .forEach(pods::delete);

    List<Node> nodes = pods.nodes();
    PodSpec selector = deployment.getSpec().getTemplate().getSpec();
    for (Pod pod : current) {
      if (WorkloadPods.node(pod) == null) {
        scheduler.spread(name, current, selector, nodes).ifPresent(node -> pods.bind(pod, node));
      }
    }
    List<Pod> placed = new ArrayList<>(current);
    for (int i = current.size(); i < replicas; i++) {
      String node = scheduler.spread(name, placed, selector, nodes).orElse(null);
      String podName = name + "-" + hash + "-" + pods.suffix();
      pods.create(namespace, podName, deployment.getSpec().getTemplate(), PodObjects.controllerRef(deployment),
          Map.of(TEMPLATE_HASH, hash), node);
      placed.add(new PodBuilder().withNewSpec().withNodeName(node).endSpec().build());
    }
    current.stream()
        .sorted(Comparator.comparing((Pod p) -> PodObjects.ready(p)).thenComparing(p -> p.getMetadata().getName()))
        .limit(Math.max(0, current.size() - replicas))
        .forEach(pods::delete);
    writeStatus(deployment, owned, replicas, hash);
  }

  private void writeStatus(Deployment deployment, List<Pod> owned, int replicas, String hash) {
    List<Pod> active = owned.stream().filter(WorkloadPods::active).toList();
    int updated = (int) active.stream().filter(p -> hash.equals(p.getMetadata().getLabels().get(TEMPLATE_HASH))).count();
    int ready = (int) active.stream().filter(PodObjects::ready).count();
    DeploymentStatus old = deployment.getStatus();
    DeploymentStatus status = new DeploymentStatusBuilder()
        .withObservedGeneration(deployment.getMetadata().getGeneration())
        .withReplicas(active.size()).withUpdatedReplicas(updated).withReadyReplicas(ready)
        .withAvailableReplicas(ready).withUnavailableReplicas(Math.max(0, replicas - ready))
        .withConditions(
            condition(old, "Available", ready >= replicas, ready >= replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"),
            condition(old, "Progressing", true, updated >= replicas ? "NewReplicaSetAvailable" : "ReplicaSetUpdated"))
        .build();
    if (!Objects.equals(status, old)) {
      StatusPatch.write(pods.client().apps().deployments().resource(deployment), deployment, status);
    }
  }

  /** A condition; the previous one (with its timestamps) when nothing about it changed. */
  private static DeploymentCondition condition(DeploymentStatus old, String type, boolean status, String reason) {
    String value = status ? "True" : "False";
    if (old != null && old.getConditions() != null) {
      for (DeploymentCondition c : old.getConditions()) {
        if (type.equals(c.getType()) && value.equals(c.getStatus()) && reason.equals(c.getReason())) {
          return c;
        }
      }
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new DeploymentConditionBuilder().withType(type).withStatus(value).withReason(reason)
        .withLastUpdateTime(now).withLastTransitionTime(now).build();
  }
}
