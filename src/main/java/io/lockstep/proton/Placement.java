package io.lockstep.proton;

import io.lockstep.ssh.NodeNames;
import io.lockstep.ssh.RemotePaths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where the plan puts one component: for each replica ordinal its node before and after, and the
 * component's data path after ({@code data_path}: one per component). Read from the P1 plan's
 * {@code rows}; rows of kind {@code host} (no {@code conf_key}) place host services, which neither
 * the configuration nor the Secrets name, and are left out.
 *
 * @param confKey the component's section in {@code proton-cli get conf} and file stem in the
 *     component Secret
 * @param sources {@code sources.get(i)}: the node of replica ordinal i before the move
 * @param targets {@code targets.get(i)}: its node after the move
 * @param targetPath the component's data path after the move
 */
record Placement(String confKey, List<String> sources, List<String> targets, String targetPath) {

  private static final Pattern CONF_KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  Placement {
    sources = List.copyOf(sources);
    targets = List.copyOf(targets);
  }

  /** The placements by conf key, in the order the rows first name them. */
  static Map<String, Placement> from(Params params, String name) {
    List<?> rows = params.list(name);
    if (rows == null) {
      return Map.of();
    }
    Map<String, Map<Integer, String[]>> byKey = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      if (!(rows.get(i) instanceof Map<?, ?> row)) {
        throw params.problem(name, "item " + i + " is not a map (a plan row)");
      }
      String label = row.get("key") instanceof String key ? "row " + key : "row " + i;
      Object confKey = row.get("conf_key");
      if (confKey == null || "host".equals(row.get("kind"))) {
        continue;
      }
      if (!(confKey instanceof String key) || !CONF_KEY.matcher(key).matches()) {
        throw params.problem(name, label + ": conf_key must be a section name (letters, digits, '_', '.', '-')");
      }
      int ordinal = ordinal(params, name, label, row.get("ordinal"));
      String source = node(params, name, label, "source_node", row);
      String target = node(params, name, label, "target_node", row);
      String path = path(params, name, label, row);
      String known = paths.putIfAbsent(key, path);
      if (known != null && !known.equals(path)) {
        throw params.problem(name, label + ": target_path " + path + " differs from " + known
            + " of another row of " + key + "; a component has one data_path");
      }
      if (byKey.computeIfAbsent(key, k -> new TreeMap<>()).put(ordinal, new String[] {source, target}) != null) {
        throw params.problem(name, label + ": " + key + " has two rows for replica ordinal " + ordinal);
      }
    }
    Map<String, Placement> placements = new LinkedHashMap<>();
    byKey.forEach((key, ordinals) -> placements.put(key, placement(params, name, key, ordinals, paths.get(key))));
    return placements;
  }

  private static Placement placement(Params params, String name, String key, Map<Integer, String[]> ordinals,
      String path) {
    List<String> sources = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    int expected = 0;
    for (Map.Entry<Integer, String[]> entry : ordinals.entrySet()) {
      if (entry.getKey() != expected++) {
        throw params.problem(name, key + " has rows for replica ordinals " + ordinals.keySet()
            + "; ordinals must run 0, 1, 2… without gaps");
      }
      sources.add(entry.getValue()[0]);
      targets.add(entry.getValue()[1]);
    }
    Set<String> distinct = new HashSet<>(targets);
    if (distinct.size() != targets.size()) {
      throw params.problem(name, key + " would put two replicas on one node: " + String.join(", ", targets));
    }
    return new Placement(key, sources, targets, path);
  }

  private static int ordinal(Params params, String name, String label, Object value) {
    if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < 0
        || ((Number) value).longValue() > 100) {
      throw params.problem(name, label + ": ordinal must be a whole number 0 or more");
    }
    return ((Number) value).intValue();
  }

  private static String node(Params params, String name, String label, String field, Map<?, ?> row) {
    try {
      return NodeNames.require(row.get(field) instanceof String s ? s : null);
    } catch (IllegalArgumentException e) {
      throw params.problem(name, label + ": " + field + ": " + e.getMessage());
    }
  }

  private static String path(Params params, String name, String label, Map<?, ?> row) {
    try {
      return RemotePaths.requireAbsolute(row.get("target_path") instanceof String s ? s : null);
    } catch (IllegalArgumentException e) {
      throw params.problem(name, label + ": target_path: " + e.getMessage());
    }
  }

  /** True when {@code hosts} is this placement's state before or after the move at every ordinal. */
  boolean matches(List<String> hosts) {
    if (hosts.size() != targets.size()) {
      return false;
    }
    for (int i = 0; i < hosts.size(); i++) {
      if (!hosts.get(i).equals(sources.get(i)) && !hosts.get(i).equals(targets.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** {@code node-1, node-2 → node-4, node-5}, or the one list when nothing moves. */
  String shown() {
    return sources.equals(targets) ? String.join(", ", targets)
        : String.join(", ", sources) + " → " + String.join(", ", targets);
  }
}
