package io.lockstep.kosmos;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.run.StepFailedException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The params every {@code kosmos.*} step takes, checked, and the objects they read: the MySQL
 * cluster's CR ({@code mysql.presslabs.org/v1alpha1 MysqlCluster}) and the MCS API's
 * {@code ServiceExport}/{@code ServiceImport} ({@code multicluster.x-k8s.io/v1alpha1}).
 */
final class MysqlClusters {

  static final String MYSQL_API = "mysql.presslabs.org/v1alpha1";
  static final String MYSQL_KIND = "MysqlCluster";
  static final String MCS_API = "multicluster.x-k8s.io/v1alpha1";
  static final String CLUSTER_LABEL = "mysql.presslabs.org/cluster";
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * The checked params.
   *
   * @param replicas per replica ordinal, where it goes: a host node or a member cluster
   * @param service the primary's Service ({@code NAME-mysql-master} when not given)
   */
  record Params(String namespace, String name, List<String> replicas, String service) {

    Placement placement(MemberClusters members) {
      return new Placement(replicas, members.names());
    }
  }

  private MysqlClusters() {}

  static Params params(String type, Map<String, ?> values) {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(List.of("namespace", "name", "replicas", "service"));
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(type + ": unknown param " + String.join(", ", unknown)
          + "; " + type + " takes namespace, name, replicas, service");
    }
    String namespace = name(type, "namespace", values.get("namespace"));
    String name = name(type, "name", values.get("name"));
    List<String> replicas = new ArrayList<>();
    splice(type, values.get("replicas"), replicas);
    if (replicas.isEmpty()) {
      throw new IllegalArgumentException(type + ": param 'replicas' is missing: where each replica goes, in ordinal"
          + " order (a host node or a member cluster)");
    }
    Object service = values.get("service");
    return new Params(namespace, name, List.copyOf(replicas),
        service == null ? name + "-mysql-master" : name(type, "service", service));
  }

  private static void splice(String type, Object value, List<String> into) {
    if (value == null) {
      return;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        splice(type, item, into);
      }
      return;
    }
    into.add(name(type, "replicas", value));
  }

  private static String name(String type, String param, Object value) {
    if (!(value instanceof String text) || !NAME.matcher(text.strip()).matches()) {
      throw new IllegalArgumentException(type + ": param '" + param + "' must be a Kubernetes name, not "
          + (value == null ? "missing" : "'" + value + "'"));
    }
    return text.strip();
  }

  /** Checks the targets against the cluster: each a member or an existing, non-virtual host node. */
  static void checkTargets(Params p, Placement placement, List<String> hostNodes) {
    List<String> problems = new ArrayList<>();
    for (String target : new LinkedHashSet<>(p.replicas())) {
      if (!placement.inMember(target) && (!hostNodes.contains(target) || target.startsWith(Placement.VIRTUAL_NODE_PREFIX))) {
        problems.add("'" + target + "' is neither a node of the host cluster nor a member cluster ("
            + String.join(", ", new TreeSet<>(placement.members())) + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(String.join("; ", problems));
    }
  }

  static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      mysql(KubernetesClient client) {
    return client.genericKubernetesResources(MYSQL_API, MYSQL_KIND);
  }

  static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
      mcs(KubernetesClient client, String kind) {
    return client.genericKubernetesResources(MCS_API, kind);
  }

  /** The CR, or a failure naming it. */
  static GenericKubernetesResource cr(KubernetesClient client, Params p) {
    GenericKubernetesResource cr = call("read MysqlCluster " + p.namespace() + "/" + p.name(),
        () -> mysql(client).inNamespace(p.namespace()).withName(p.name()).get());
    if (cr == null) {
      throw new StepFailedException("MysqlCluster " + p.namespace() + "/" + p.name() + " does not exist");
    }
    return cr;
  }

  static <T> T call(String doing, Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw new StepFailedException("cannot " + doing + ": " + (e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() : e.getMessage()), e);
    }
  }
}
