package io.lockstep.lab.kube;

import io.lockstep.lab.LabSeed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The cluster configuration {@code proton-cli get conf} prints and {@code proton-cli apply} takes:
 * the machines ({@code .nodes}), the control plane ({@code .cs}) and one section per base component
 * keyed by its conf key, naming the component's hosts in replica-ordinal order and its data path.
 * Held as a YAML tree so that sections and keys the lab does not interpret survive a round trip.
 */
final class ProtonConf {

  static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
      .build();

  /** A machine as {@code .nodes} lists it. */
  record Machine(String name, String ip4) {}

  private final ObjectNode root;

  private ProtonConf(ObjectNode root) {
    this.root = root;
  }

  /**
   * Reads a configuration file.
   *
   * @throws IllegalArgumentException naming what is wrong with it, as proton-cli would
   */
  static ProtonConf parse(String yaml) {
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("invalid configuration file: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw new IllegalArgumentException("invalid configuration file: not a YAML mapping");
    }
    if (!tree.path("nodes").isArray() || !tree.path("cs").isObject()) {
      throw new IllegalArgumentException("invalid configuration file: .nodes and .cs are required");
    }
    return new ProtonConf((ObjectNode) tree);
  }

  /** The configuration of the seeded platform: the masters are the cluster's nodes. */
  static ProtonConf seeded(LabSeed seed) {
    ObjectNode root = YAML.createObjectNode();
    root.put("apiVersion", "v1");
    ArrayNode nodes = root.putArray("nodes");
    ObjectNode cs = YAML.createObjectNode();
    ArrayNode masters = cs.put("provisioner", "local").putArray("master");
    for (LabSeed.Node node : seed.nodes()) {
      if (node.master()) {
        nodes.addObject().put("name", node.name()).put("ip4", node.ip());
        masters.add(node.name());
      }
    }
    cs.put("container_runtime", "docker").put("ha_port", 16643).put("version", seed.platform().version());
    root.set("cs", cs);
    for (LabSeed.Component component : seed.components()) {
      ObjectNode section = root.putObject(component.confKey());
      ArrayNode hosts = section.putArray("hosts");
      component.nodes().forEach(hosts::add);
      section.put("data_path", component.dataPath());
      if (component.credentials().containsKey("admin_passwd")) {
        section.put("admin_user", "root");
      }
      new TreeMap<>(component.credentials()).forEach(section::put);
      ObjectNode resources = section.putObject("resources");
      resources.putObject("requests").put("cpu", "500m").put("memory", "1Gi");
      resources.putObject("limits").put("cpu", "2").put("memory", "4Gi");
    }
    return new ProtonConf(root);
  }

  List<Machine> machines() {
    List<Machine> machines = new ArrayList<>();
    for (JsonNode node : root.path("nodes")) {
      machines.add(new Machine(node.path("name").asString(""), node.path("ip4").asString("")));
    }
    return machines;
  }

  List<String> nodeNames() {
    return machines().stream().map(Machine::name).toList();
  }

  List<String> masters() {
    return strings(root.path("cs").path("master"));
  }

  /** The placement a component's section names, if the configuration has that section. */
  Optional<Placement> placement(String confKey) {
    JsonNode section = root.path(confKey);
    if (!section.isObject()) {
      return Optional.empty();
    }
    return Optional.of(new Placement(strings(section.path("hosts")), section.path("data_path").asString("")));
  }

  /** Scalar settings of a component's section other than its placement (credentials, users). */
  Map<String, String> settings(String confKey) {
    Map<String, String> settings = new LinkedHashMap<>();
    root.path(confKey).properties().forEach(e -> {
      if (e.getValue().isValueNode() && !e.getKey().equals("data_path")) {
        settings.put(e.getKey(), e.getValue().asString());
      }
    });
    return settings;
  }

  String yaml() {
    return YAML.writeValueAsString(root);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return values;
  }
}
