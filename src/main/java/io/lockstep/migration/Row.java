package io.lockstep.migration;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a P1 plan: where a replica's data is and where it is to go. The field names of
 * {@link #toData()} are the contract with the procedure and its executors ({@code ${plan.rows}}).
 *
 * @param key {@code <component>-<ordinal>}, unique in the plan
 * @param component the component (or host service) name
 * @param kind {@code helm}, {@code operator} or {@code host}
 * @param confKey the component's section in the cluster configuration; null for kind host
 * @param ordinal the replica's ordinal
 * @param sourceNode where the data is
 * @param sourcePath the data directory there
 * @param targetNode where it is to go; the source node when the replica stays
 * @param targetPath the data directory there
 * @param bytes the data's size as {@code du -sb} measured it when planning
 */
record Row(String key, String component, String kind, String confKey, int ordinal, String sourceNode,
    String sourcePath, String targetNode, String targetPath, long bytes) {

  /** The data is copied: to another node, or to another directory. */
  boolean moves() {
    return !targetNode.equals(sourceNode) || !targetPath.equals(sourcePath);
  }

  boolean host() {
    return Replica.HOST.equals(kind);
  }

  Place source() {
    return new Place(sourceNode, sourcePath);
  }

  Place target() {
    return new Place(targetNode, targetPath);
  }

  /** The row as the plan stores it. */
  Map<String, Object> toData() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("key", key);
    data.put("component", component);
    data.put("kind", kind);
    if (confKey != null && !host()) {
      data.put("conf_key", confKey);
    }
    data.put("ordinal", ordinal);
    data.put("source_node", sourceNode);
    data.put("source_path", sourcePath);
    data.put("target_node", targetNode);
    data.put("target_path", targetPath);
    data.put("bytes", bytes);
    return data;
  }
}
