package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the workload controllers share: finding a workload's own pods (asked of the server, so that a
 * pod just created is never created twice), creating, binding and deleting pods, and naming them
 * the way Kubernetes does ({@code NAME-<template hash>-<suffix>}).
 */
final class WorkloadPods {

  /** Kubernetes' alphabet for generated names (no vowels, no look-alikes). */
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final KubernetesClient client;
  private final ClusterCache cache;
  private final KubernetesSerialization json = new KubernetesSerialization();
  private final SecureRandom random = new SecureRandom();

  WorkloadPods(KubernetesClient client, ClusterCache cache) {
    this.client = client;
    this.cache = cache;
  }

  KubernetesClient client() {
    return client;
  }

  /** The cluster's nodes as the controllers last saw them. */
  List<Node> nodes() {
    return cache.nodes();
  }

  /** The pods the workload controls: matching its selector and owned by it. */
  List<Pod> owned(HasMetadata workload, LabelSelector selector) {
    Map<String, String> labels = selector == null ? null : selector.getMatchLabels();
    if (labels == null || labels.isEmpty()) {
      return List.of();
    }
    String uid = workload.getMetadata().getUid();
    return client.pods().inNamespace(workload.getMetadata().getNamespace()).withLabels(labels).list().getItems()
        .stream()
        .filter(p -> p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences().stream()
            .anyMatch(ref -> Objects.equals(ref.getUid(), uid)))
        .toList();
  }

  /**
   * Whether a pod of this name still exists though the workload does not own it: the pod of a
   * deleted namesake (a reinstalled StatefulSet), terminating. Its successor waits for it to go.
   */
  boolean nameTaken(String namespace, String name) {
    return cache.pod(namespace, name).isPresent();
  }

  void create(String namespace, String name, PodTemplateSpec template, OwnerReference owner,
      Map<String, String> extraLabels, String node) {
    client.pods().resource(PodObjects.pending(namespace, name, template, owner, extraLabels, node)).create();
  }

  /** Assigns an unscheduled pod to a node. */
  void bind(Pod pod, String node) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .edit(p -> new PodBuilder(p).editSpec().withNodeName(node).endSpec().editStatus()
            .withConditions(PodObjects.condition("PodScheduled", true, null, null)).endStatus().build());
  }

  /** Deletes a pod the graceful way: it terminates for its grace period, then goes. */
  void delete(Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** A stable 10-character hash of a pod template: changes exactly when the template does. */
  String templateHash(PodTemplateSpec template) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(json.asJson(template).getBytes(StandardCharsets.UTF_8));
      StringBuilder hash = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        hash.append(ALPHABET.charAt((digest[i] & 0xff) % ALPHABET.length()));
      }
      return hash.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A random 5-character name suffix. */
  String suffix() {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return suffix.toString();
  }

  static boolean active(Pod pod) {
    return !PodObjects.terminating(pod);
  }

  static String node(Pod pod) {
    return pod.getSpec() == null ? null : pod.getSpec().getNodeName();
  }
}
