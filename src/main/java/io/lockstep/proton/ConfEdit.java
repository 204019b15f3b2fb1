package io.lockstep.proton;

import io.lockstep.run.StepFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The edit P1 makes to {@code proton-cli get conf} before {@code proton-cli apply} (phases 7 and
 * 13): new nodes under {@code .nodes} and {@code .cs.master}, old nodes out of both, and each
 * planned component's section with its {@code hosts} in replica-ordinal order and its {@code
 * data_path} as the plan says. Nothing else changes: other keys keep their place and value.
 *
 * <p>The edit is idempotent: a node already listed, a node already gone and hosts already as
 * planned are left as they are and said so, so the same edit can run again after a crash.
 * Refused (nothing is edited) when a planned section is missing or lists another number of
 * replicas than the plan, or when a node to be removed would still host a replica.
 */
final class ConfEdit {

  /**
   * The edited configuration and what the edit did, one line per change, and what it found
   * already done.
   */
  record Result(ObjectNode edited, List<String> changes, List<String> alreadyDone) {

    boolean changed() {
      return !changes.isEmpty();
    }
  }

  private final ObjectNode conf;
  private final List<String> changes = new ArrayList<>();
  private final List<String> done = new ArrayList<>();

  private ConfEdit(ObjectNode current) {
    this.conf = current.deepCopy();
  }

  /**
   * Edits a copy of {@code current}.
   *
   * @param add the nodes to add, each with the address its entry gets as {@code ip4}
   * @param remove the nodes to remove
   * @param placements the planned components by conf key (empty: sections stay as they are)
   * @throws StepFailedException the configuration cannot take the edit; the message says why
   */
  static Result edit(ObjectNode current, Map<String, String> add, List<String> remove,
      Map<String, Placement> placements) {
    ConfEdit edit = new ConfEdit(current);
    ArrayNode nodes = edit.list(edit.conf, "nodes", ".nodes");
    ArrayNode masters = edit.list(edit.section("cs", ".cs"), "master", ".cs.master");
    placements.values().forEach(edit::place);
    edit.refuseRemovingHosts(remove, placements);
    Optional<ObjectNode> template = objects(nodes).stream().findFirst().map(ObjectNode::deepCopy);
    add.forEach((node, ip) -> edit.add(nodes, masters, template, node, ip));
    remove.forEach(node -> edit.remove(nodes, masters, node));
    return new Result(edit.conf, List.copyOf(edit.changes), List.copyOf(edit.done));
  }

  private void place(Placement placement) {
    String key = placement.confKey();
    ObjectNode section = section(key, "section " + key + " (conf_key of the plan's rows)");
    List<String> hosts = strings(section.get("hosts"), key + ".hosts");
    if (hosts.size() != placement.targets().size()) {
      throw new StepFailedException("the configuration lists " + hosts.size() + " hosts for " + key + " ("
          + String.join(", ", hosts) + ") but the plan has rows for " + placement.targets().size()
          + " replicas: the replica count cannot change here; nothing was edited");
    }
    String path = section.path("data_path").asString("");
    List<String> changed = new ArrayList<>();
    if (!hosts.equals(placement.targets())) {
      ArrayNode list = section.putArray("hosts");
      placement.targets().forEach(list::add);
      changed.add("hosts " + String.join(", ", hosts) + " → " + String.join(", ", placement.targets()));
    }
    if (!path.equals(placement.targetPath())) {
      section.put("data_path", placement.targetPath());
      changed.add("data_path " + (path.isEmpty() ? "(none)" : path) + " → " + placement.targetPath());
    }
    if (changed.isEmpty()) {
      done.add(key + " already on " + String.join(", ", hosts) + " at " + path);
    } else {
      changes.add(key + ": " + String.join("; ", changed));
    }
  }

  /** A node that leaves may host nothing: not per the plan, nor in any section the plan leaves alone. */
  private void refuseRemovingHosts(List<String> remove, Map<String, Placement> placements) {
    for (Placement placement : placements.values()) {
      for (int ordinal = 0; ordinal < placement.targets().size(); ordinal++) {
        if (remove.contains(placement.targets().get(ordinal))) {
          throw new StepFailedException(placement.targets().get(ordinal) + " is to be removed, but the plan keeps "
              + placement.confKey() + " replica " + ordinal + " on it; nothing was edited");
        }
      }
    }
    for (Map.Entry<String, JsonNode> entry : conf.properties()) {
      JsonNode hosts = entry.getValue().path("hosts");
      if (hosts.isArray()) {
        for (JsonNode host : hosts) {
          if (remove.contains(host.asString(""))) {
            throw new StepFailedException(host.asString() + " is to be removed, but section " + entry.getKey()
                + " still lists it under hosts; nothing was edited");
          }
        }
      }
    }
  }

  /** Adds the node under {@code .nodes} (shaped like the first entry) and {@code .cs.master}. */
  private void add(ArrayNode nodes, ArrayNode masters, Optional<ObjectNode> template, String node, String ip) {
    Optional<ObjectNode> listed = objects(nodes).stream().filter(n -> node.equals(n.path("name").asString(""))).findFirst();
    if (listed.isPresent()) {
      String listedIp = listed.get().path("ip4").asString("");
      done.add(node + " already under .nodes" + (listedIp.equals(ip) ? ""
          : " (ip4 " + listedIp + " there, InternalIP " + ip + " in the cluster: left as it is)"));
    } else {
      ObjectNode entry = template.map(ObjectNode::deepCopy).orElseGet(Yaml::object);
      entry.put("name", node);
      entry.put("ip4", ip);
      nodes.add(entry);
      List<String> copied = entry.propertyNames().stream().filter(k -> !k.equals("name") && !k.equals("ip4")).toList();
      changes.add("added " + node + " under .nodes with ip4 " + ip + (copied.isEmpty() ? ""
          : " (" + String.join(", ", copied) + " copied from " + template.get().path("name").asString("the first entry")
              + "'s entry)"));
    }
    if (strings(masters, ".cs.master").contains(node)) {
      done.add(node + " already under .cs.master");
    } else {
      masters.add(node);
      changes.add("added " + node + " under .cs.master");
    }
  }

  private void remove(ArrayNode nodes, ArrayNode masters, String node) {
    boolean found = false;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      if (node.equals(nodes.get(i).path("name").asString(""))) {
        nodes.remove(i);
        found = true;
      }
    }
    (found ? changes : done).add(found ? "removed " + node + " from .nodes" : node + " already gone from .nodes");
    found = false;
    for (int i = masters.size() - 1; i >= 0; i--) {
      if (node.equals(masters.get(i).asString(""))) {
        masters.remove(i);
        found = true;
      }
    }
    (found ? changes : done).add(found ? "removed " + node + " from .cs.master" : node + " already gone from .cs.master");
  }

  private ObjectNode section(String key, String what) {
    JsonNode section = conf.get(key);
    if (section == null || !section.isObject()) {
      throw new StepFailedException("the configuration has no " + what + "; nothing was edited");
    }
    return (ObjectNode) section;
  }

  private ArrayNode list(ObjectNode parent, String key, String what) {
    JsonNode list = parent.get(key);
    if (list == null || !list.isArray()) {
      throw new StepFailedException("the configuration has no " + what + " list; nothing was edited");
    }
    return (ArrayNode) list;
  }

  private static List<String> strings(JsonNode list, String what) {
    if (list == null || !list.isArray()) {
      throw new StepFailedException("the configuration has no " + what + " list; nothing was edited");
    }
    List<String> values = new ArrayList<>();
    list.forEach(v -> values.add(v.asString("")));
    return values;
  }

  private static List<ObjectNode> objects(ArrayNode nodes) {
    List<ObjectNode> objects = new ArrayList<>();
    nodes.forEach(n -> {
      if (n instanceof ObjectNode o) {
        objects.add(o);
      }
    });
    return objects;
  }
}
