package io.lockstep.targets;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.sshsteps.EtcdMembers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * The machines of the cluster as the Kubernetes API and etcd report them now. Reads only.
 */
@Component
class ClusterMachines {

  static final String MASTER = "node-role.kubernetes.io/master";
  static final String CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
  private static final String ROLE = "node-role.kubernetes.io/";

  private final Kubernetes kubernetes;
  private final EtcdMembers etcd;

  ClusterMachines(Kubernetes kubernetes, EtcdMembers etcd) {
    this.kubernetes = kubernetes;
    this.etcd = etcd;
  }

  /** A node of the cluster that is a machine (not a virtual kubelet). */
  record Machine(String name, String address, boolean master, boolean ready, List<String> roles) {

    String described() {
      return name + (roles.isEmpty() ? "" : " (" + String.join(", ", roles) + ")");
    }
  }

  /** The cluster's machines, by name. */
  record Picture(List<Machine> machines) {

    Optional<Machine> machine(String name) {
      return machines.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    Set<String> names() {
      Set<String> names = new LinkedHashSet<>();
      machines.forEach(m -> names.add(m.name()));
      return names;
    }
  }

  /**
   * The machines of the cluster; nodes labelled {@code type=virtual-kubelet} (Kosmos' member
   * clusters) are no machines and left out.
   *
   * @throws IllegalStateException the API cannot be read, the reason named
   */
  Picture read() {
    List<Node> nodes;
    try {
      nodes = kubernetes.client().nodes().list().getItems();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("the cluster's nodes cannot be read from the Kubernetes API ("
          + firstLine(e) + "), so the nodes of the plan cannot be checked against it; save it again when the API answers", e);
    }
    List<Machine> machines = new ArrayList<>();
    for (Node node : nodes) {
      Map<String, String> labels = Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of());
      if ("virtual-kubelet".equals(labels.get("type"))) {
        continue;
      }
      List<String> roles = new ArrayList<>(new TreeSet<>(labels.keySet().stream().filter(k -> k.startsWith(ROLE))
          .map(k -> k.substring(ROLE.length())).toList()));
      boolean master = labels.containsKey(MASTER) || labels.containsKey(CONTROL_PLANE);
      machines.add(new Machine(node.getMetadata().getName(), internalIp(node), master, ready(node), List.copyOf(roles)));
    }
    machines.sort(java.util.Comparator.comparing(Machine::name));
    return new Picture(List.copyOf(machines));
  }

  /**
   * The machines that run an etcd member, asked on the masters (Ready ones first), then on
   * {@code alsoAsk}.
   *
   * @throws IllegalStateException etcd cannot be asked, each node's reason named
   */
  Set<String> etcdNodes(Picture picture, List<String> alsoAsk) {
    Set<String> askOn = new LinkedHashSet<>();
    picture.machines().stream().filter(m -> m.master() && m.ready()).forEach(m -> askOn.add(m.name()));
    picture.machines().stream().filter(Machine::master).forEach(m -> askOn.add(m.name()));
    alsoAsk.stream().filter(n -> picture.machine(n).isPresent()).forEach(askOn::add);
    Set<String> hosts = etcd.hosts(List.copyOf(askOn));
    Set<String> nodes = new TreeSet<>();
    picture.machines().stream().filter(m -> m.address() != null && hosts.contains(m.address()))
        .forEach(m -> nodes.add(m.name()));
    return nodes;
  }

  private static String internalIp(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    return node.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
        .map(a -> a.getAddress()).findFirst().orElse(null);
  }

  private static boolean ready(Node node) {
    return node.getStatus() != null && node.getStatus().getConditions() != null && node.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String firstLine(KubernetesClientException e) {
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : String.valueOf(e.getMessage());
    String first = message.lines().findFirst().orElse("");
    return first.length() > 200 ? first.substring(0, 200) + "…" : first;
  }
}
