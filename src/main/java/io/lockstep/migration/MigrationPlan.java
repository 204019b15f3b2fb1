package io.lockstep.migration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The data of a P1 plan: the rows and what follows from them on the platform.
 *
 * @param rows every replica and host-service directory, in table order
 * @param oldNodes nodes whose container replicas all leave them: they leave the cluster in phase 13
 * @param newNodes targets that are not in the configuration yet (hold no replica now, are not
 *     masters): added under {@code .nodes} and {@code .cs.master} in phase 7
 * @param appNamespace the namespace of Deployment deploy-service
 * @param controlNode a master that stays until phase 13 (the first old master): runs proton-cli and
 *     helm3 before then
 * @param finalControlNode the first new node (a master after phase 7): runs proton-cli in phase 13
 */
record MigrationPlan(List<Row> rows, List<String> oldNodes, List<String> newNodes, String appNamespace,
    String controlNode, String finalControlNode) {

  static final String OLD_NODES = "old_nodes";
  static final String NEW_NODES = "new_nodes";
  static final String APP_NAMESPACE = "app_namespace";
  static final String CONTROL_NODE = "control_node";
  static final String FINAL_CONTROL_NODE = "final_control_node";

  /** The plan these rows make on this platform. */
  static MigrationPlan of(List<Row> rows, Platform platform) {
    List<Row> containers = rows.stream().filter(r -> !r.host()).toList();
    List<String> old = platform.nodeNames().stream()
        .filter(n -> containers.stream().anyMatch(r -> r.sourceNode().equals(n)))
        .filter(n -> containers.stream().noneMatch(r -> r.targetNode().equals(n)))
        .toList();
    List<String> fresh = platform.nodeNames().stream()
        .filter(n -> containers.stream().anyMatch(r -> r.targetNode().equals(n)))
        .filter(n -> !platform.hostsReplica(n) && !platform.isMaster(n))
        .toList();
    List<String> stayingMasters = platform.nodeNames().stream()
        .filter(platform::isMaster).filter(n -> !old.contains(n)).toList();
    String control = Stream.concat(old.stream().filter(platform::isMaster), stayingMasters.stream())
        .findFirst().orElse(null);
    String finalControl = Stream.concat(fresh.stream(), stayingMasters.stream()).findFirst().orElse(null);
    return new MigrationPlan(List.copyOf(rows), old, fresh, platform.appNamespace(), control, finalControl);
  }

  /** The plan's data as stored: the contract with the procedure's steps. */
  Map<String, Object> toData() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(PlanData.ROWS, rows.stream().map(Row::toData).toList());
    data.put(OLD_NODES, oldNodes);
    data.put(NEW_NODES, newNodes);
    data.put(APP_NAMESPACE, appNamespace);
    if (controlNode != null) {
      data.put(CONTROL_NODE, controlNode);
    }
    if (finalControlNode != null) {
      data.put(FINAL_CONTROL_NODE, finalControlNode);
    }
    return data;
  }

  /** Where {@code data} (as given through the API) says otherwise than this plan derives. */
  List<Problem> differencesFrom(Map<String, Object> data) {
    return Stream.of(
            difference(data, OLD_NODES, oldNodes),
            difference(data, NEW_NODES, newNodes),
            difference(data, APP_NAMESPACE, appNamespace),
            difference(data, CONTROL_NODE, controlNode),
            difference(data, FINAL_CONTROL_NODE, finalControlNode))
        .filter(Objects::nonNull).toList();
  }

  private static Problem difference(Map<String, Object> data, String field, Object expected) {
    Object given = data.get(field);
    return Objects.equals(given, expected) ? null : Problem.general("derived", field, shown(expected), shown(given));
  }

  private static String shown(Object value) {
    if (value instanceof List<?> list) {
      return "[" + String.join(", ", list.stream().map(String::valueOf).toList()) + "]";
    }
    return value == null ? "(none)" : String.valueOf(value);
  }
}
