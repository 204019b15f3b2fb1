package io.lockstep.inventory;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.lockstep.inventory.InventorySnapshot.ComponentRow;
import io.lockstep.inventory.InventorySnapshot.OperatorComponentRow;
import io.lockstep.inventory.InventorySnapshot.ReplicaRow;
import io.lockstep.inventory.InventorySnapshot.WorkloadRow;
import io.lockstep.kubernetes.Kubernetes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Reads the Kubernetes side of the inventory: one list call per resource type, joined in memory. */
@Component
class PlatformReader {

  static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";

  private final Kubernetes kubernetes;
  private final InventoryProperties properties;

  PlatformReader(Kubernetes kubernetes, InventoryProperties properties) {
    this.kubernetes = kubernetes;
    this.properties = properties;
  }

  List<Node> nodes() {
    return kubernetes.client().nodes().list().getItems().stream()
        .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
        .toList();
  }

  static List<String> roles(Node node) {
    Map<String, String> labels = Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
    return labels.keySet().stream()
        .filter(k -> k.startsWith(ROLE_LABEL_PREFIX))
        .map(k -> k.substring(ROLE_LABEL_PREFIX.length()))
        .sorted()
        .toList();
  }

  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static String internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress)
        .findFirst()
        .orElse(null);
  }

  List<ComponentRow> components() {
    KubernetesClient client = kubernetes.client();
    String ns = kubernetes.resourceNamespace();
    Map<String, PersistentVolumeClaim> claims = byName(
        client.persistentVolumeClaims().inNamespace(ns).list().getItems(), p -> p.getMetadata().getName());
    Map<String, PersistentVolume> volumes = byName(
        client.persistentVolumes().list().getItems(), p -> p.getMetadata().getName());
    Map<String, Pod> pods = byName(client.pods().inNamespace(ns).list().getItems(), p -> p.getMetadata().getName());
    return client.apps().statefulSets().inNamespace(ns).list().getItems().stream()
        .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
        .map(sts -> component(sts, claims, volumes, pods))
        .toList();
  }

  private ComponentRow component(StatefulSet sts, Map<String, PersistentVolumeClaim> claims,
      Map<String, PersistentVolume> volumes, Map<String, Pod> pods) {
    String name = sts.getMetadata().getName();
    int desired = Optional.ofNullable(sts.getSpec().getReplicas()).orElse(1);
    String template = sts.getSpec().getVolumeClaimTemplates() == null || sts.getSpec().getVolumeClaimTemplates().isEmpty()
        ? null
        : sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
    List<ReplicaRow> replicas = new ArrayList<>();
    for (int ordinal = 0; ordinal < desired; ordinal++) {
      String claimName = template == null ? null : template + "-" + name + "-" + ordinal;
      PersistentVolumeClaim claim = claimName == null ? null : claims.get(claimName);
      PersistentVolume volume = claim == null || claim.getSpec().getVolumeName() == null
          ? null : volumes.get(claim.getSpec().getVolumeName());
      Pod pod = pods.get(name + "-" + ordinal);
      replicas.add(new ReplicaRow(ordinal, VolumeFacts.node(volume), VolumeFacts.path(volume),
          volume == null ? null : volume.getMetadata().getName(), claim == null ? null : claimName,
          pod == null ? null : pod.getMetadata().getName(), PodFacts.phase(pod), PodFacts.ready(pod),
          pod == null ? null : pod.getSpec().getNodeName()));
    }
    int ready = (int) replicas.stream().filter(ReplicaRow::podReady).count();
    return new ComponentRow(componentName(sts), name, managedBy(sts), desired, ready, replicas);
  }

  private static String componentName(StatefulSet sts) {
    Map<String, String> labels = Optional.ofNullable(sts.getMetadata().getLabels()).orElse(Map.of());
    return owner(sts).map(OwnerReference::getName)
        .or(() -> Optional.ofNullable(labels.get("app.kubernetes.io/instance")))
        .orElse(sts.getMetadata().getName());
  }

  private static String managedBy(StatefulSet sts) {
    return owner(sts).map(OwnerReference::getKind).orElseGet(() -> {
      Map<String, String> labels = Optional.ofNullable(sts.getMetadata().getLabels()).orElse(Map.of());
      return labels.getOrDefault("app.kubernetes.io/managed-by", "-");
    });
  }

  private static Optional<OwnerReference> owner(StatefulSet sts) {
    List<OwnerReference> owners = sts.getMetadata().getOwnerReferences();
    return owners == null ? Optional.empty() : owners.stream().findFirst();
  }

  List<OperatorComponentRow> operatorComponents() {
    KubernetesClient client = kubernetes.client();
    List<OperatorComponentRow> rows = new ArrayList<>();
    for (InventoryProperties.OperatorResource type : properties.operatorResources()) {
      ResourceDefinitionContext context = new ResourceDefinitionContext.Builder()
          .withGroup(type.group()).withVersion(type.version()).withPlural(type.plural())
          .withKind(type.kind()).withNamespaced(true).build();
      try {
        client.genericKubernetesResources(context).inAnyNamespace().list().getItems().forEach(cr -> {
          Object replicas = cr.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
              ? spec.get("replicas") : null;
          rows.add(new OperatorComponentRow(type.kind(), type.crd(), cr.getMetadata().getName(),
              cr.getMetadata().getNamespace(), replicas instanceof Number n ? n.intValue() : 0));
        });
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    return rows;
  }

  String appNamespace() {
    return kubernetes.appNamespace();
  }

  String apiUrl() {
    return kubernetes.apiUrl();
  }

  List<WorkloadRow> workloads(String namespace) {
    KubernetesClient client = kubernetes.client();
    List<WorkloadRow> rows = new ArrayList<>();
    client.apps().deployments().inNamespace(namespace).list().getItems().forEach(d -> rows.add(new WorkloadRow(
        "Deployment", d.getMetadata().getName(), orZero(d.getSpec().getReplicas()),
        d.getStatus() == null ? 0 : orZero(d.getStatus().getReadyReplicas()))));
    client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(s -> rows.add(new WorkloadRow(
        "StatefulSet", s.getMetadata().getName(), orZero(s.getSpec().getReplicas()),
        s.getStatus() == null ? 0 : orZero(s.getStatus().getReadyReplicas()))));
    client.apps().daemonSets().inNamespace(namespace).list().getItems().forEach(d -> rows.add(new WorkloadRow(
        "DaemonSet", d.getMetadata().getName(),
        d.getStatus() == null ? 0 : orZero(d.getStatus().getDesiredNumberScheduled()),
        d.getStatus() == null ? 0 : orZero(d.getStatus().getNumberReady()))));
    rows.sort(Comparator.comparing(WorkloadRow::kind).thenComparing(WorkloadRow::name));
    return rows;
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
    return items.stream().filter(Objects::nonNull).collect(Collectors.toMap(name, Function.identity(), (a, b) -> a));
  }
}
