package io.lockstep.sshsteps;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import java.time.Duration;

/** Object mother for the Kubernetes side: the console's facade and Node objects with addresses. */
final class ACluster {

  private ACluster() {}

  /** The console's view of the API behind {@code client} (fabric8's mock server, say). */
  static Kubernetes kubernetes(KubernetesClient client) {
    return new Kubernetes(
        new KubernetesProperties(null, null, "anyshare", "resource", Duration.ofSeconds(5)),
        client);
  }

  /** Creates Node {@code name} whose status gives {@code internalIp} as its InternalIP address. */
  static void node(KubernetesClient client, String name, String internalIp) {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIp).endAddress()
        .endStatus().build()).create();
  }
}
