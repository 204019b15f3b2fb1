package io.lockstep.proton;

import io.lockstep.lab.LabSeed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Object mother for P1 plan rows as the engine hands them to a step ({@code ${plan.rows}}): every
 * replica of the lab's components moves from node-1/2/3 to node-4/5/6 (same ordinal), zookeeper also
 * to a new data path; the host service's rows stay on their nodes.
 */
final class APlan {

  static final Map<String, String> MOVES = Map.of("node-1", "node-4", "node-2", "node-5", "node-3", "node-6");
  static final List<String> OLD_NODES = List.of("node-1", "node-2", "node-3");
  static final List<String> NEW_NODES = List.of("node-4", "node-5", "node-6");
  static final String ZOOKEEPER_PATH = "/sysvol/zookeeper/data-moved";

  private APlan() {}

  static List<Map<String, Object>> rows(LabSeed seed) {
    return rows(seed, row -> row);
  }

  /** The rows, each passed through {@code change} (to make one wrong, say). */
  static List<Map<String, Object>> rows(LabSeed seed, UnaryOperator<Map<String, Object>> change) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (LabSeed.Component component : seed.components()) {
      for (int ordinal = 0; ordinal < component.nodes().size(); ordinal++) {
        String source = component.nodes().get(ordinal);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", component.name() + "-" + ordinal);
        row.put("component", component.name());
        row.put("kind", component.helm() ? "helm" : "operator");
        row.put("conf_key", component.confKey());
        row.put("ordinal", ordinal % 2 == 0 ? (Object) ordinal : (Object) (long) ordinal);
        row.put("source_node", source);
        row.put("source_path", component.dataPath());
        row.put("target_node", MOVES.get(source));
        row.put("target_path", component.name().equals("zookeeper") ? ZOOKEEPER_PATH : component.dataPath());
        row.put("bytes", 1_048_576L);
        rows.add(change.apply(row));
      }
    }
    for (LabSeed.HostService service : seed.hostServices()) {
      for (int ordinal = 0; ordinal < service.nodes().size(); ordinal++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", service.name() + "-" + ordinal);
        row.put("component", service.name());
        row.put("kind", "host");
        row.put("ordinal", ordinal);
        row.put("source_node", service.nodes().get(ordinal));
        row.put("source_path", service.dataPath());
        row.put("target_node", service.nodes().get(ordinal));
        row.put("target_path", service.dataPath());
        row.put("bytes", 2_048L);
        rows.add(row);
      }
    }
    return rows;
  }
}
