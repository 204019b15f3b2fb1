package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The MySQL operator of the host cluster: reconciles every {@code MysqlCluster} into its StatefulSet
 * and Services ({@link MysqlObjects}). A changed CR spec (P6 patches {@code spec.podSpec}) becomes a
 * new pod template, which the StatefulSet rolls out highest ordinal first, each pod once the others
 * are Ready. The CR's {@code status.readyNodes} and its {@code Ready} condition follow the pods.
 */
final class MysqlOperator {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final MysqlDatabases databases;
  private final ControlLoop loop = new ControlLoop("lab-mysql-operator");
  private final SharedIndexInformer<GenericKubernetesResource> clusters;
  private final SharedIndexInformer<StatefulSet> statefulSets;
  private final SharedIndexInformer<Pod> pods;

  MysqlOperator(KubernetesClient client, MysqlDatabases databases) {
    this.client = client;
    this.databases = databases;
    clusters = client.genericKubernetesResources(KosmosDefinitions.MYSQL_CLUSTER).inAnyNamespace().runnableInformer(0);
    statefulSets = client.apps().statefulSets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by",
        MysqlObjects.MANAGED_BY).runnableInformer(0);
    pods = client.pods().inAnyNamespace().withLabel(MysqlProbe.CLUSTER_LABEL).runnableInformer(0);
  }

  void start() {
    clusters.addEventHandler(OnChange.of(cr -> enqueue(cr.getMetadata().getNamespace(), cr.getMetadata().getName()))).run();
    statefulSets.addEventHandler(OnChange.of(this::owned)).run();
    pods.addEventHandler(OnChange.of(p -> enqueue(p.getMetadata().getNamespace(),
        p.getMetadata().getLabels().get(MysqlProbe.CLUSTER_LABEL)))).run();
  }

  void stop() {
    List.of(clusters, statefulSets, pods).forEach(SharedIndexInformer::stop);
    loop.stop();
  }

  private void owned(StatefulSet sts) {
    String cluster = sts.getMetadata().getLabels().get(MysqlProbe.CLUSTER_LABEL);
    if (cluster != null) {
      enqueue(sts.getMetadata().getNamespace(), cluster);
    }
  }

  private void enqueue(String namespace, String name) {
    loop.enqueue("mysql:" + namespace + "/" + name, () -> reconcile(namespace, name));
  }

  void reconcile(String namespace, String name) {
    var resource = client.genericKubernetesResources(KosmosDefinitions.MYSQL_CLUSTER).inNamespace(namespace)
        .withName(name);
    GenericKubernetesResource cr = resource.get();
    if (cr == null || cr.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String hash = hash(JSON.asJson(cr.getAdditionalProperties().get("spec")));
    for (Service service : MysqlObjects.services(cr)) { // first: the replicas look for the primary's at once
      if (client.services().inNamespace(namespace).withName(service.getMetadata().getName()).get() == null) {
        client.services().resource(service).create();
      }
    }
    rootPassword(cr).ifPresent(password -> databases.ensure(namespace, name, password));
    StatefulSet wanted = MysqlObjects.statefulSet(cr, hash);
    StatefulSet current = client.apps().statefulSets().inNamespace(namespace).withName(wanted.getMetadata().getName())
        .get();
    if (current == null) {
      client.apps().statefulSets().resource(wanted).create();
    } else if (!hash.equals(current.getMetadata().getAnnotations().get(MysqlObjects.SPEC_HASH))) {
      client.apps().statefulSets().inNamespace(namespace).withName(wanted.getMetadata().getName())
          .edit(s -> new StatefulSetBuilder(s).editMetadata().addToAnnotations(MysqlObjects.SPEC_HASH, hash).endMetadata()
              .editSpec().withReplicas(wanted.getSpec().getReplicas()).withTemplate(wanted.getSpec().getTemplate())
              .endSpec().build());
    }
    writeStatus(resource, cr, wanted.getSpec().getReplicas());
  }

  /** The cluster's root password: its Secret's {@code ROOT_PASSWORD} (the Secret is the user's). */
  private java.util.Optional<String> rootPassword(GenericKubernetesResource cr) {
    Object secretName = MysqlObjects.map(cr.getAdditionalProperties().get("spec")).get("secretName");
    if (secretName == null) {
      return java.util.Optional.empty();
    }
    var secret = client.secrets().inNamespace(cr.getMetadata().getNamespace()).withName(secretName.toString()).get();
    String encoded = secret == null || secret.getData() == null ? null : secret.getData().get("ROOT_PASSWORD");
    return java.util.Optional.ofNullable(encoded).map(e -> new String(java.util.Base64.getDecoder().decode(e),
        StandardCharsets.UTF_8));
  }

  private void writeStatus(io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource,
      GenericKubernetesResource cr, int replicas) {
    String cluster = cr.getMetadata().getName();
    List<Pod> active = client.pods().inNamespace(cr.getMetadata().getNamespace())
        .withLabels(MysqlObjects.selector(cluster)).list().getItems().stream()
        .filter(WorkloadPods::active).sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .toList();
    int ready = (int) active.stream().filter(PodObjects::ready).count();
    Map<String, Object> old = MysqlObjects.map(cr.getAdditionalProperties().get("status"));
    boolean allReady = ready == replicas && active.size() == replicas;
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("readyNodes", ready);
    status.put("conditions", List.of(condition(old, allReady, allReady ? "StatefulSetReady" : "StatefulSetNotReady",
        ready + " of " + replicas + " nodes ready")));
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (Pod pod : active) {
      boolean master = MysqlObjects.podName(cluster, 0).equals(pod.getMetadata().getName());
      nodes.add(Map.of("name", pod.getMetadata().getName() + "." + MysqlObjects.statefulSet(cluster) + "-nodes."
              + cr.getMetadata().getNamespace(),
          "conditions", List.of(
              Map.of("type", "Master", "status", master ? "True" : "False"),
              Map.of("type", "Replicating", "status", !master && PodObjects.ready(pod) ? "True" : "False"))));
    }
    status.put("nodes", nodes);
    if (!Objects.equals(JSON.unmarshal(JSON.asJson(status), Map.class), old)) {
      StatusPatch.write(resource, cr, status);
    }
  }

  private static Map<String, Object> condition(Map<String, Object> old, boolean ready, String reason, String message) {
    String value = ready ? "True" : "False";
    Object previous = old.get("conditions") instanceof List<?> list && !list.isEmpty() ? list.get(0) : null;
    String since = MysqlObjects.map(previous).get("status") instanceof String s && s.equals(value)
        ? String.valueOf(MysqlObjects.map(previous).get("lastTransitionTime"))
        : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", "Ready");
    condition.put("status", value);
    condition.put("lastTransitionTime", since);
    condition.put("reason", reason);
    condition.put("message", message);
    return condition;
  }

  private static String hash(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
