package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/**
 * The control plane's static pods on a master ({@code kube-apiserver-node-1} …): the kubelet runs
 * them from manifest files and mirrors them into the API as pods owned by their Node, so they go
 * when the Node does. A node that becomes a master gets them; one that stops being a master loses
 * them.
 */
final class ControlPlanePods {

  static final String NAMESPACE = "kube-system";

  private final KubernetesClient client;
  private final List<String> components;

  ControlPlanePods(KubernetesClient client, List<String> components) {
    this.client = client;
    this.components = List.copyOf(components);
  }

  void ensure(Node node) {
    String nodeName = node.getMetadata().getName();
    for (String component : components) {
      String name = component + "-" + nodeName;
      if (client.pods().inNamespace(NAMESPACE).withName(name).get() == null) {
        PodTemplateSpec template = new PodTemplateSpecBuilder(WorkloadObjects.template(
                Map.of("component", component, "tier", "control-plane"), component,
                "registry.k8s.io/" + component + ":v1.28.15", null))
            .editMetadata().addToAnnotations("kubernetes.io/config.source", "file")
            .addToAnnotations("kubernetes.io/config.mirror", nodeName).endMetadata()
            .editSpec().withHostNetwork(true).withPriorityClassName("system-node-critical").endSpec()
            .build();
        Pod pod = PodObjects.pending(NAMESPACE, name, template, PodObjects.controllerRef(node), Map.of(), nodeName);
        client.pods().resource(pod).create();
      }
    }
  }

  void remove(String nodeName) {
    for (String component : components) {
      client.pods().inNamespace(NAMESPACE).withName(component + "-" + nodeName).delete();
    }
  }
}
