package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.lockstep.lab.KosmosSeed;
import io.lockstep.lab.LabSeed;
import java.util.Map;

/**
 * The virtual nodes Kosmos ClusterTree adds to the host cluster, one per member cluster: named
 * {@code kosmos-MEMBER}, labelled {@code kosmos.io/node=true} and {@code type=virtual-kubelet},
 * tainted {@code kosmos.io/node=true:NoSchedule} (only pods that tolerate it go there), Ready, with
 * the member's nodes' capacity summed up. A pod the host schedules onto one runs in that member.
 */
final class KosmosNodes {

  static final String TAINT_KEY = "kosmos.io/node";
  static final String TYPE_LABEL = "type";
  static final String VIRTUAL_KUBELET = "virtual-kubelet";
  static final String CLUSTER_ANNOTATION = "kosmos.io/cluster-name";
  private static final String PREFIX = "kosmos-";

  private KosmosNodes() {}

  static String nodeName(String member) {
    return PREFIX + member;
  }

  /** Whether the node is a Kosmos virtual node (its pods run in a member cluster). */
  static boolean virtual(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && VIRTUAL_KUBELET.equals(labels.get(TYPE_LABEL)) && "true".equals(labels.get(TAINT_KEY));
  }

  static Node virtualNode(KosmosSeed.Member member, int index) {
    String name = nodeName(member.name());
    long cores = member.nodes().stream().mapToLong(LabSeed.Node::cores).sum();
    long memoryGi = member.nodes().stream().mapToLong(n -> Quantity.getAmountInBytes(new Quantity(n.memory()))
        .longValue() >> 30).sum();
    Map<String, Quantity> capacity = Map.of("cpu", new Quantity(String.valueOf(cores)),
        "memory", new Quantity(memoryGi + "Gi"), "pods", new Quantity(String.valueOf(110 * member.nodes().size())));
    return new NodeBuilder()
        .withNewMetadata().withName(name)
        .addToLabels(NodeObjects.HOSTNAME, name)
        .addToLabels(TAINT_KEY, "true")
        .addToLabels(TYPE_LABEL, VIRTUAL_KUBELET)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/role", "agent")
        .addToAnnotations(CLUSTER_ANNOTATION, member.name())
        .endMetadata()
        .withNewSpec().withUnschedulable(false)
        .addNewTaint().withKey(TAINT_KEY).withValue("true").withEffect("NoSchedule").endTaint()
        .endSpec()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("127.0.20." + (index + 1)).endAddress()
        .addNewAddress().withType("Hostname").withAddress(name).endAddress()
        .withCapacity(capacity).withAllocatable(capacity)
        .withConditions(NodeObjects.conditions(true))
        .withNewNodeInfo().withArchitecture("amd64").withOperatingSystem("linux")
        .withKubeletVersion("v1.28.15").withKubeProxyVersion("v1.28.15").withContainerRuntimeVersion("kosmos://v0.2.0")
        .withMachineID(name).withSystemUUID(name).withBootID(name).endNodeInfo()
        .endStatus().build();
  }

  /** The member a virtual node stands for; null for a real node. */
  static String member(Node node) {
    return virtual(node) && node.getMetadata().getAnnotations() != null
        ? node.getMetadata().getAnnotations().get(CLUSTER_ANNOTATION) : null;
  }
}
