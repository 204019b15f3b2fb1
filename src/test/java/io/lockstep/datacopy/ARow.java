package io.lockstep.datacopy;

import java.util.LinkedHashMap;
import java.util.Map;

/** Object mother for plan rows as the plan's {@code data.rows} holds them (maps of plain values). */
final class ARow {

  private ARow() {}

  /** The lab's data directory of each component (config/lab/platform.yml). */
  static String dataPath(String component) {
    return switch (component) {
      case "kafka" -> "/sysvol/kafka/kafka_data";
      case "zookeeper" -> "/sysvol/zookeeper/data";
      case "opensearch-master" -> "/sysvol/opensearch/data";
      case "proton-mq-nsq" -> "/sysvol/nsq/data";
      case "mariadb" -> "/sysvol/mariadb/data";
      case "mongodb" -> "/sysvol/mongodb/data";
      case "nebula" -> "/sysvol/nebula/data";
      case "proton-redis" -> "/sysvol/redis/data";
      case "proton-cr-registry" -> "/sysvol/proton-cr/registry";
      case "prometheus" -> "/sysvol/prometheus/data";
      case "proton-etcd" -> "/sysvol/proton-etcd/data";
      case "proton-policy-engine" -> "/sysvol/policy-engine/data";
      case "grafana" -> "/sysvol/grafana/data";
      default -> throw new IllegalArgumentException("no lab data path for " + component);
    };
  }

  /** Replica {@code ordinal} of a Helm component moving from {@code from} to {@code to}, same path. */
  static Map<String, Object> moving(String component, int ordinal, String from, String to) {
    return row(component, "helm", ordinal, from, dataPath(component), to, dataPath(component));
  }

  /** A replica that stays where it is. */
  static Map<String, Object> staying(String component, int ordinal, String node) {
    return moving(component, ordinal, node, node);
  }

  /** A host service's directory moving within its node. */
  static Map<String, Object> hostMove(String service, int ordinal, String node, String newPath) {
    return row(service, "host", ordinal, node, dataPath(service), node, newPath);
  }

  static Map<String, Object> row(String component, String kind, int ordinal, String sourceNode,
      String sourcePath, String targetNode, String targetPath) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", component + "-" + ordinal);
    row.put("component", component);
    row.put("kind", kind);
    if (!kind.equals("host")) {
      row.put("conf_key", component.replace('-', '_'));
    }
    row.put("ordinal", ordinal);
    row.put("source_node", sourceNode);
    row.put("source_path", sourcePath);
    row.put("target_node", targetNode);
    row.put("target_path", targetPath);
    row.put("bytes", 1_048_576L);
    return row;
  }
}
