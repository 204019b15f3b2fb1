package io.lockstep.proton;

import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
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
  record Result(ObjectNode edited, List<StepPreview.Line> changeLines, List<String> alreadyDone) {

    /** The changes in English, as the log says them. */
    List<String> changes() {
      return changeLines.stream().map(StepPreview.Line::english).toList();
    }


    boolean changed() {
      return !changeLines.isEmpty();
    }
  }

  private final ObjectNode conf;
  private final List<StepPreview.Line> changes = new ArrayList<>();
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
    StepPreview.Line changed = null;
    if (!hosts.equals(placement.targets())) {
      ArrayNode list = section.putArray("hosts");
      placement.targets().forEach(list::add);
      changed = StepPreview.Line.of("preview.proton.conf.hosts", "hosts {0} → {1}", String.join(", ", hosts),
          String.join(", ", placement.targets()));
    }
    if (!path.equals(placement.targetPath())) {
      section.put("data_path", placement.targetPath());
      StepPreview.Line dataPath = path.isEmpty()
          ? StepPreview.Line.of("preview.proton.conf.dataPathNew", "data_path (none) → {0}", placement.targetPath())
          : StepPreview.Line.of("preview.proton.conf.dataPath", "data_path {0} → {1}", path, placement.targetPath());
      changed = changed == null ? dataPath : StepPreview.Line.of("preview.proton.conf.both", "{0}; {1}", changed, dataPath);
    }
    if (changed == null) {
      done.add(key + " already on " + String.join(", ", hosts) + " at " + path);
    } else {
      changes.add(StepPreview.Line.of("preview.prefixed", "{0}: {1}", key, changed));
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
      changes.add(copied.isEmpty()
          ? StepPreview.Line.of("preview.proton.conf.addedNode", "added {0} under .nodes with ip4 {1}", node, ip)
          : StepPreview.Line.of("preview.proton.conf.addedNodeCopied", "added {0} under .nodes with ip4 {1} ({2} copied"
              + " from {3}''s entry)", node, ip, String.join(", ", copied),
              template.get().path("name").asString("the first entry")));
    }
    if (strings(masters, ".cs.master").contains(node)) {
      done.add(node + " already under .cs.master");
    } else {
      masters.add(node);
      changes.add(StepPreview.Line.of("preview.proton.conf.addedMaster", "added {0} under .cs.master", node));
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
    if (found) {
      changes.add(StepPreview.Line.of("preview.proton.conf.removedNode", "removed {0} from .nodes", node));
    } else {
      done.add(node + " already gone from .nodes");
    }
    found = false;
    for (int i = masters.size() - 1; i >= 0; i--) {
      if (node.equals(masters.get(i).asString(""))) {
        masters.remove(i);
        found = true;
      }
    }
    if (found) {
      changes.add(StepPreview.Line.of("preview.proton.conf.removedMaster", "removed {0} from .cs.master", node));
    } else {
      done.add(node + " already gone from .cs.master");
    }
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
