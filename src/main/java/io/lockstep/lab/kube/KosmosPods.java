package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kosmos ClusterTree's pod controller, the virtual kubelet of every virtual node: a host pod the
 * host scheduler put on {@code kosmos-MEMBER} is created in that member (same namespace, name,
 * labels and spec, without a node and without node affinity on host hostnames: the member's
 * scheduler places it), and the host pod's status
 * (phase, conditions, pod IP, containers) mirrors the member pod's. The Secrets the pod's
 * containers take variables from are copied into the member first, as ClusterTree does (a kubelet
 * would not start the container without them). Deleting the host pod deletes
 * the member pod; once that is gone, the host pod is too. A member pod is tied to its host pod by
 * uid, so a recreated namesake waits for its predecessor to leave the member.
 */
final class KosmosPods {

  static final String LEAF_LABEL = "kosmos-io/pod";
  static final String HOST_UID = "kosmos.io/host-pod-uid";
  static final String OWNED_BY = "kosmos-io/owned-by-cluster";

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient host;
  private final Map<String, MemberCluster> members;

  KosmosPods(KubernetesClient host, Map<String, MemberCluster> members) {
    this.host = host;
    this.members = members;
  }

  /** Brings the member pods of host pod {@code namespace/name} and the host pod's status in line. */
  void reconcile(String namespace, String name) {
    Pod hostPod = host.pods().inNamespace(namespace).withName(name).get();
    MemberCluster target = hostPod == null ? null : memberOf(WorkloadPods.node(hostPod));
    for (MemberCluster member : members.values()) {
      Pod leaf = member.client().pods().inNamespace(namespace).withName(name).get();
      boolean wanted = member == target && !PodObjects.terminating(hostPod) && belongsTo(leaf, hostPod);
      if (leaf != null && isLeaf(leaf) && !wanted && !PodObjects.terminating(leaf)) {
        delete(member.client(), leaf);
      }
    }
    if (target == null) {
      return;
    }
    Pod leaf = target.client().pods().inNamespace(namespace).withName(name).get();
    if (PodObjects.terminating(hostPod)) {
      if (leaf == null || !belongsTo(leaf, hostPod)) {
        forget(hostPod);
      } else {
        mirror(hostPod, leaf);
      }
    } else if (leaf == null) {
      create(target, hostPod);
    } else if (belongsTo(leaf, hostPod)) {
      mirror(hostPod, leaf);
    }
  }

  /** The member a host node stands for, if it is a virtual node. */
  MemberCluster memberOf(String nodeName) {
    if (nodeName == null || !nodeName.startsWith(KosmosNodes.nodeName(""))) {
      return null;
    }
    return members.get(nodeName.substring(KosmosNodes.nodeName("").length()));
  }

  static boolean isLeaf(Pod pod) {
    return pod.getMetadata().getLabels() != null && "true".equals(pod.getMetadata().getLabels().get(LEAF_LABEL));
  }

  private static boolean belongsTo(Pod leaf, Pod hostPod) {
    return leaf != null && hostPod != null && isLeaf(leaf) && leaf.getMetadata().getAnnotations() != null
        && Objects.equals(leaf.getMetadata().getAnnotations().get(HOST_UID), hostPod.getMetadata().getUid());
  }

  private void create(MemberCluster member, Pod hostPod) {
    String ns = hostPod.getMetadata().getNamespace();
    KubernetesClient leafClient = member.client();
    if (leafClient.namespaces().withName(ns).get() == null) {
      leafClient.namespaces().resource(WorkloadObjects.namespace(ns)).create();
    }
    copySecrets(leafClient, hostPod);
    Map<String, String> labels = new LinkedHashMap<>(Objects.requireNonNullElse(hostPod.getMetadata().getLabels(),
        Map.of()));
    labels.put(LEAF_LABEL, "true");
    Map<String, String> annotations = new LinkedHashMap<>(Objects.requireNonNullElse(
        hostPod.getMetadata().getAnnotations(), Map.of()));
    annotations.put(HOST_UID, hostPod.getMetadata().getUid());
    annotations.put(OWNED_BY, "host");
    ObjectMeta meta = new ObjectMetaBuilder().withName(hostPod.getMetadata().getName()).withNamespace(ns)
        .withLabels(labels).withAnnotations(annotations).withFinalizers(PodObjects.KUBELET).build();
    Pod leaf = new PodBuilder().withMetadata(meta)
        .withSpec(leafSpec(hostPod))
        .withNewStatus().withPhase("Pending").withQosClass("BestEffort")
        .withConditions(PodObjects.condition("PodScheduled", false, "Unschedulable", "waiting for the scheduler"))
        .endStatus().build();
    leafClient.pods().resource(leaf).create();
  }

  /** Copies the Secrets the pod's containers read variables from into the member, where missing. */
  private void copySecrets(KubernetesClient leafClient, Pod hostPod) {
    String ns = hostPod.getMetadata().getNamespace();
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (var container : Objects.requireNonNullElse(hostPod.getSpec().getContainers(),
        List.<io.fabric8.kubernetes.api.model.Container>of())) {
      for (var env : Objects.requireNonNullElse(container.getEnv(), List.<io.fabric8.kubernetes.api.model.EnvVar>of())) {
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
          names.add(env.getValueFrom().getSecretKeyRef().getName());
        }
      }
    }
    for (String name : names) {
      var secret = host.secrets().inNamespace(ns).withName(name).get();
      if (secret == null || leafClient.secrets().inNamespace(ns).withName(name).get() != null) {
        continue;
      }
      leafClient.secrets().resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
          .withNewMetadata().withName(name).withNamespace(ns).addToLabels(OWNED_BY, "host").endMetadata()
          .withType(secret.getType()).withData(secret.getData()).build()).create();
    }
  }

  /**
   * The host pod's spec for the member: no node (the member's scheduler picks one), and no required
   * node affinity on host hostnames, which name host nodes and virtual nodes the member does not have.
   */
  private static PodSpec leafSpec(Pod hostPod) {
    PodSpec spec = new PodBuilder(hostPod).editSpec().withNodeName(null).endSpec().build().getSpec();
    NodeSelector required = spec.getAffinity() == null || spec.getAffinity().getNodeAffinity() == null ? null
        : spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null) {
      return spec;
    }
    List<NodeSelectorTerm> terms = new ArrayList<>();
    for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
      List<NodeSelectorRequirement> kept = Objects.requireNonNullElse(term.getMatchExpressions(),
          List.<NodeSelectorRequirement>of()).stream().filter(e -> !NodeObjects.HOSTNAME.equals(e.getKey())).toList();
      if (!kept.isEmpty() || (term.getMatchFields() != null && !term.getMatchFields().isEmpty())) {
        terms.add(new NodeSelectorTermBuilder(term).withMatchExpressions(kept).build());
      }
    }
    spec.getAffinity().getNodeAffinity().setRequiredDuringSchedulingIgnoredDuringExecution(
        terms.isEmpty() ? null : new NodeSelector(terms));
    return spec;
  }

  /** Copies the member pod's status to the host pod, when it differs. */
  private void mirror(Pod hostPod, Pod leaf) {
    PodStatus status = leaf.getStatus();
    if (status != null && !Objects.equals(JSON.asJson(status), JSON.asJson(hostPod.getStatus()))) {
      StatusPatch.write(host.pods().inNamespace(hostPod.getMetadata().getNamespace())
          .withName(hostPod.getMetadata().getName()), hostPod, status);
    }
  }

  /** The member pod is gone: the host pod goes too (its kubelet finalizer is dropped). */
  private void forget(Pod hostPod) {
    List<Map<String, Object>> operations = List.of(
        Map.of("op", "test", "path", "/metadata/uid", "value", hostPod.getMetadata().getUid()),
        Map.of("op", "replace", "path", "/metadata/finalizers", "value",
            hostPod.getMetadata().getFinalizers().stream().filter(f -> !PodObjects.KUBELET.equals(f)).toList()));
    try {
      host.pods().inNamespace(hostPod.getMetadata().getNamespace()).withName(hostPod.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), JSON.asJson(operations));
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 422) {
        throw e;
      }
    }
  }

  private static void delete(KubernetesClient client, Pod pod) {
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
