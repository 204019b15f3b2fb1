package io.lockstep.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The clusters joined to the platform's cluster (the host) by Kosmos, each reached through its own
 * context of the console's kubeconfig ({@code lockstep.kubernetes.members}: cluster name →
 * context). P6 moves stateful replicas into them. Clients are built on first use and shared.
 */
@Component
public class MemberClusters implements DisposableBean {

  private final KubernetesProperties properties;
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

  MemberClusters(KubernetesProperties properties) {
    this.properties = properties;
    properties.members().keySet().forEach(name -> {
      if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
        throw new IllegalArgumentException("lockstep.kubernetes.members: '" + name + "' is not a cluster name"
            + " (lower-case letters, digits and '-')");
      }
    });
  }

  /** The member clusters' names, sorted. */
  public Set<String> names() {
    return new TreeSet<>(properties.members().keySet());
  }

  /**
   * A client of member cluster {@code name}.
   *
   * @throws IllegalArgumentException no member cluster has that name
   */
  public KubernetesClient client(String name) {
    String context = properties.members().get(name);
    if (context == null) {
      throw new IllegalArgumentException("'" + name + "' is not a member cluster; members: "
          + (properties.members().isEmpty() ? "none (lockstep.kubernetes.members)" : String.join(", ", names())));
    }
    return clients.computeIfAbsent(name, n -> new KubernetesClientBuilder().withConfig(Kubernetes.config(properties, context)).build());
  }

  @Override
  public void destroy() {
    clients.values().forEach(KubernetesClient::close);
  }
}
