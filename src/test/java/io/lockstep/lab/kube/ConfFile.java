package io.lockstep.lab.kube;

import io.lockstep.lab.LabSeed;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A cluster configuration being edited the way an operator edits {@code proton-cli get conf}'s output. */
final class ConfFile {

  private final ObjectNode tree;

  private ConfFile(ObjectNode tree) {
    this.tree = tree;
  }

  static ConfFile of(String yaml) {
    return new ConfFile((ObjectNode) ProtonConf.YAML.readTree(yaml));
  }

  /** Lists the machine under {@code .nodes} and {@code .cs.master}. */
  ConfFile withMaster(LabSeed.Node machine) {
    nodes().addObject().put("name", machine.name()).put("ip4", machine.ip());
    masters().add(machine.name());
    return this;
  }

  ConfFile withMachine(String name, String ip) {
    nodes().addObject().put("name", name).put("ip4", ip);
    return this;
  }

  /** Drops the node from {@code .nodes} and {@code .cs.master}. */
  ConfFile without(String node) {
    for (int i = nodes().size() - 1; i >= 0; i--) {
      if (node.equals(nodes().get(i).get("name").asString())) {
        nodes().remove(i);
      }
    }
    for (int i = masters().size() - 1; i >= 0; i--) {
      if (node.equals(masters().get(i).asString())) {
        masters().remove(i);
      }
    }
    return this;
  }

  ConfFile withHosts(String confKey, List<String> hosts) {
    ArrayNode array = ((ObjectNode) tree.get(confKey)).putArray("hosts");
    hosts.forEach(array::add);
    return this;
  }

  ConfFile withDataPath(String confKey, String dataPath) {
    ((ObjectNode) tree.get(confKey)).put("data_path", dataPath);
    return this;
  }

  String yaml() {
    return ProtonConf.YAML.writeValueAsString(tree);
  }

  private ArrayNode nodes() {
    return (ArrayNode) tree.get("nodes");
  }

  private ArrayNode masters() {
    return (ArrayNode) tree.get("cs").get("master");
  }
}
