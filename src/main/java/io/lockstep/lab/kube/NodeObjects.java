package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lockstep.lab.LabSeed;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes Nodes of the lab's machines, and the rules about them the controllers share: a node
 * is Ready when its Ready condition is True, it takes new pods when it is Ready and not cordoned, and
 * a nodeSelector matches it when every non-null entry equals one of its labels (the CRUD store keeps
 * a merge patch's {@code null} as a value, which must not count).
 */
final class NodeObjects {

  static final String HOSTNAME = "kubernetes.io/hostname";
  static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
  static final String MASTER = "node-role.kubernetes.io/master";
  static final String WORKER = "node-role.kubernetes.io/worker";

  private NodeObjects() {}

  static Node node(LabSeed.Node machine, boolean master, LabSeed.Platform platform) {
    NodeBuilder node = new NodeBuilder()
        .withNewMetadata().withName(machine.name())
        .addToLabels(HOSTNAME, machine.name())
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToLabels("beta.kubernetes.io/os", "linux")
        .addToLabels("beta.kubernetes.io/arch", "amd64")
        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
        .endMetadata()
        .withNewSpec().withUnschedulable(false).endSpec()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress(machine.ip()).endAddress()
        .addNewAddress().withType("Hostname").withAddress(machine.name()).endAddress()
        .withCapacity(resources(machine, platform))
        .withAllocatable(resources(machine, platform))
        .withConditions(conditions(true))
        .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
        .withOsImage("CentOS Linux 7 (Core)").withKernelVersion("5.4.278-1.el7.elrepo.x86_64")
        .withContainerRuntimeVersion("docker://20.10.24").withKubeletVersion("v1.28.15")
        .withKubeProxyVersion("v1.28.15").withMachineID(machine.name()).withSystemUUID(machine.name())
        .withBootID(machine.name()).endNodeInfo()
        .endStatus();
    if (master) {
      node.editMetadata().addToLabels(CONTROL_PLANE, "").addToLabels(MASTER, "").endMetadata();
    }
    if (machine.roles().contains("worker") || !master) {
      node.editMetadata().addToLabels(WORKER, "").endMetadata();
    }
    return node.build();
  }

  /** Node conditions as a kubelet posting status (ready) or a silent kubelet (not ready) leaves them. */
  static List<NodeCondition> conditions(boolean ready) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> conditions = new ArrayList<>();
    for (String pressure : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
      conditions.add(new NodeConditionBuilder().withType(pressure).withStatus(ready ? "False" : "Unknown")
          .withReason(ready ? "KubeletHasSufficient" + pressure.replace("Pressure", "") : "NodeStatusUnknown")
          .withMessage(ready ? "kubelet has no " + pressure.toLowerCase() : "Kubelet stopped posting node status.")
          .withLastHeartbeatTime(now).withLastTransitionTime(now).build());
    }
    conditions.add(new NodeConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
        .withReason(ready ? "KubeletReady" : "NodeStatusUnknown")
        .withMessage(ready ? "kubelet is posting ready status" : "Kubelet stopped posting node status.")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).build());
    return conditions;
  }

  static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  static boolean cordoned(Node node) {
    return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
  }

  /** Whether a pod with this nodeSelector may run on the node; {@code null} values are absent keys. */
  static boolean matches(Node node, Map<String, String> nodeSelector) {
    if (nodeSelector == null) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    return nodeSelector.entrySet().stream()
        .filter(e -> e.getValue() != null)
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  static String internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
        .map(a -> a.getAddress()).findFirst().orElse(null);
  }

  private static Map<String, Quantity> resources(LabSeed.Node machine, LabSeed.Platform platform) {
    return Map.of(
        "cpu", new Quantity(String.valueOf(machine.cores())),
        "memory", new Quantity(machine.memory()),
        "pods", new Quantity("110"),
        "ephemeral-storage", new Quantity(platform.disk().toBytes() + ""));
  }
}
