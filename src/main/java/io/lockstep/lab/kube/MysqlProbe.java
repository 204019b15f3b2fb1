package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Optional;

/**
 * The readiness of a MySQL operator's replica: a replica (ordinal above 0) replicates from the
 * primary through the primary's Service {@code CLUSTER-mysql-master}, which it resolves in its own
 * namespace of the cluster it runs in. In the host cluster the operator creates that Service; in a
 * member cluster it exists only while the member imports it (Kosmos MCS). Without it the replica
 * runs but is not ready, and says so. Other pods are not this probe's business.
 */
final class MysqlProbe implements PodProbe {

  static final String CLUSTER_LABEL = "mysql.presslabs.org/cluster";
  static final String POD_INDEX = "apps.kubernetes.io/pod-index";

  private final KubernetesClient client;

  MysqlProbe(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<String> failure(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null || !labels.containsKey(CLUSTER_LABEL) || "0".equals(labels.getOrDefault(POD_INDEX, "0"))) {
      return Optional.empty();
    }
    String namespace = pod.getMetadata().getNamespace();
    String service = MysqlObjects.masterService(labels.get(CLUSTER_LABEL));
    if (client.services().inNamespace(namespace).withName(service).get() != null) {
      return Optional.empty();
    }
    return Optional.of("[ERROR] cannot reach the primary: dial tcp: lookup " + service + "." + namespace
        + ".svc.cluster.local: no such host (replication not started)");
  }
}
