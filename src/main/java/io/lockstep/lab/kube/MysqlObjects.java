package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the MySQL operator (presslabs, {@code mysql.presslabs.org/v1alpha1}) makes of a
 * {@code MysqlCluster} named C: the StatefulSet {@code C-mysql} (pods {@code C-mysql-0…}, ordinal 0
 * the primary) whose pod template carries the CR's {@code spec.podSpec} affinity, tolerations and
 * nodeSelector; the Service {@code C-mysql-master} (port 3306, the primary), the Service
 * {@code C-mysql} (every node) and the headless {@code C-mysql-nodes} that names the pods.
 */
final class MysqlObjects {

  static final String MANAGED_BY = "mysql.presslabs.org";
  static final String SPEC_HASH = "mysql.presslabs.org/spec-hash";
  static final int PORT = 3306;

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private MysqlObjects() {}

  static String statefulSet(String cluster) {
    return cluster + "-mysql";
  }

  static String masterService(String cluster) {
    return statefulSet(cluster) + "-master";
  }

  static String podName(String cluster, int ordinal) {
    return statefulSet(cluster) + "-" + ordinal;
  }

  static Map<String, String> selector(String cluster) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "mysql");
    labels.put(MysqlProbe.CLUSTER_LABEL, cluster);
    return labels;
  }

  /** The StatefulSet for the CR's current spec; the spec's hash is an annotation, so a change shows. */
  static StatefulSet statefulSet(GenericKubernetesResource cr, String specHash) {
    String cluster = cr.getMetadata().getName();
    Map<String, Object> spec = map(cr.getAdditionalProperties().get("spec"));
    Map<String, Object> podSpec = map(spec.get("podSpec"));
    int replicas = spec.get("replicas") instanceof Number n ? n.intValue() : 1;
    String image = Objects.toString(spec.getOrDefault("image", "docker.io/percona:5.7"));
    Map<String, String> labels = new LinkedHashMap<>(selector(cluster));
    labels.put("app.kubernetes.io/managed-by", MANAGED_BY);
    return new StatefulSetBuilder()
        .withNewMetadata().withName(statefulSet(cluster)).withNamespace(cr.getMetadata().getNamespace())
        .withLabels(labels).addToAnnotations(SPEC_HASH, specHash)
        .withOwnerReferences(PodObjects.controllerRef(cr)).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(statefulSet(cluster) + "-nodes")
        .withNewSelector().withMatchLabels(selector(cluster)).endSelector()
        .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withAffinity(convert(podSpec.get("affinity"), Affinity.class))
        .withTolerations(list(podSpec.get("tolerations"), Toleration[].class))
        .withNodeSelector(strings(podSpec.get("nodeSelector")))
        .addNewContainer().withName("mysql").withImage(image)
        .addNewPort().withName("mysql").withContainerPort(PORT).endPort()
        .addNewEnv().withName("MYSQL_ROOT_PASSWORD").withNewValueFrom().withNewSecretKeyRef()
        .withName(Objects.toString(spec.get("secretName"), cluster + "-secret")).withKey("ROOT_PASSWORD")
        .endSecretKeyRef().endValueFrom().endEnv()
        .endContainer()
        .endSpec().endTemplate()
        .endSpec().build();
  }

  /** The operator's Services: the primary's, every node's, and the headless one naming the pods. */
  static List<Service> services(GenericKubernetesResource cr) {
    String cluster = cr.getMetadata().getName();
    String ns = cr.getMetadata().getNamespace();
    Map<String, String> master = new LinkedHashMap<>(selector(cluster));
    master.put("statefulset.kubernetes.io/pod-name", podName(cluster, 0));
    return List.of(
        service(cr, masterService(cluster), master, clusterIp(ns + "/" + masterService(cluster))),
        service(cr, statefulSet(cluster), selector(cluster), clusterIp(ns + "/" + statefulSet(cluster))),
        service(cr, statefulSet(cluster) + "-nodes", selector(cluster), "None"));
  }

  private static Service service(GenericKubernetesResource cr, String name, Map<String, String> selector,
      String clusterIp) {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(cr.getMetadata().getNamespace())
        .withLabels(selector(cr.getMetadata().getName())).withOwnerReferences(PodObjects.controllerRef(cr))
        .endMetadata()
        .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withSelector(selector)
        .addNewPort().withName("mysql").withProtocol("TCP").withPort(PORT).withTargetPort(new IntOrString(PORT))
        .endPort().endSpec().build();
  }

  /** A stable ClusterIP in 10.96.0.0/16 for a Service (the lab allocates none). */
  static String clusterIp(String key) {
    int hash = key.hashCode() & 0xffff;
    return "10.96." + (hash >> 8) + "." + Math.max(2, hash & 0xff);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Map<String, String> strings(Object value) {
    if (!(value instanceof Map<?, ?> m) || m.isEmpty()) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    return out;
  }

  private static <T> T convert(Object value, Class<T> type) {
    return value == null ? null : JSON.convertValue(value, type);
  }

  private static <T> List<T> list(Object value, Class<T[]> type) {
    return value == null ? null : Optional.ofNullable(JSON.convertValue(value, type)).map(List::of).orElse(null);
  }
}
