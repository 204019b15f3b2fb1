package io.lockstep.lab.kube;

import io.lockstep.lab.LabCommandException;
import io.lockstep.lab.LabSeed;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code proton-cli apply} checks before it touches the cluster: the SSH password opens every
 * node, every node under {@code .nodes} is a reachable machine (listed once), the masters are among
 * the nodes, and every component section names one to three distinct nodes and a data path.
 */
final class ConfValidation {

  private final LabSeed seed;

  ConfValidation(LabSeed seed) {
    this.seed = seed;
  }

  void check(ProtonConf conf, Optional<String> password) throws LabCommandException {
    List<ProtonConf.Machine> machines = conf.machines();
    if (machines.isEmpty()) {
      throw invalid(".nodes: at least one node is required");
    }
    if (password.isPresent() && !password.get().equals(seed.platform().rootPassword())) {
      ProtonConf.Machine first = machines.get(0);
      throw new LabCommandException("Error: failed to connect to " + first.name() + " (" + first.ip4()
          + ":22): ssh: handshake failed: ssh: unable to authenticate, attempted methods [none password], "
          + "no supported methods remain", 1);
    }
    Set<String> names = new HashSet<>();
    for (ProtonConf.Machine machine : machines) {
      Optional<LabSeed.Node> known = seed.node(machine.name());
      String ip = machine.ip4().isEmpty() ? known.map(LabSeed.Node::ip).orElse(machine.name()) : machine.ip4();
      if (known.isEmpty() || !known.get().ip().equals(ip)) {
        throw new LabCommandException("Error: failed to connect to " + machine.name() + " (" + ip
            + ":22): dial tcp " + ip + ":22: connect: no route to host", 1);
      }
      if (!names.add(machine.name())) {
        throw invalid(".nodes: " + machine.name() + " is listed twice");
      }
    }
    if (conf.masters().isEmpty()) {
      throw invalid("cs.master: at least one master is required");
    }
    members("cs.master", conf.masters(), names);
    for (LabSeed.Component component : seed.components()) {
      Optional<Placement> placement = conf.placement(component.confKey());
      if (placement.isPresent()) {
        hosts(component.confKey(), placement.get(), names);
      }
    }
  }

  private static void hosts(String section, Placement placement, Set<String> nodes) throws LabCommandException {
    List<String> hosts = placement.hosts();
    if (hosts.isEmpty()) {
      throw invalid(section + ".hosts: at least one node is required");
    }
    if (hosts.size() > 3) {
      throw invalid(section + ".hosts: at most 3 replicas are supported, got " + hosts.size());
    }
    if (new HashSet<>(hosts).size() != hosts.size()) {
      throw invalid(section + ".hosts: a node may carry at most one replica");
    }
    members(section + ".hosts", hosts, nodes);
    if (placement.dataPath().isBlank() || !placement.dataPath().startsWith("/")) {
      throw invalid(section + ".data_path: an absolute path is required");
    }
  }

  private static void members(String field, List<String> listed, Set<String> nodes) throws LabCommandException {
    for (String name : listed) {
      if (!nodes.contains(name)) {
        throw invalid(field + ": " + name + " is not listed under .nodes");
      }
    }
  }

  static LabCommandException invalid(String message) {
    return new LabCommandException("Error: invalid configuration: " + message, 1);
  }
}
