package io.lockstep.datacopy;

import io.lockstep.ssh.NodeNames;
import io.lockstep.ssh.RemotePaths;
import java.math.BigInteger;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One row of a P1 plan (the contract in the plan's {@code data.rows}): a replica's, or a host
 * service's, data directory and where it goes. Node names and paths are checked as the SSH layer
 * requires before any of them reaches a command.
 *
 * @param key the row's unique key, {@code <component>-<ordinal>}; names figures and undo records
 * @param component the component or host service
 * @param kind {@code helm}, {@code operator} or {@code host}
 * @param ordinal the replica ordinal (host: index of the node in the service's node list)
 * @param sourceNode where the data is now
 * @param sourcePath the data directory there
 * @param targetNode where it goes (a host service never changes node)
 * @param targetPath the data directory there
 * @param bytes the size measured when the plan was made (0 when unknown)
 */
record CopyRow(String key, String component, String kind, int ordinal, String sourceNode,
    String sourcePath, String targetNode, String targetPath, long bytes) {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final Set<String> KINDS = Set.of("helm", "operator", "host");

  CopyRow {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("key " + shown(key) + " is not a row key "
          + "(letters, digits, '.', '_', '-'; e.g. kafka-0)");
    }
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("kind " + shown(kind) + " is not helm, operator or host");
    }
    if (ordinal < 0) {
      throw new IllegalArgumentException("ordinal " + ordinal + " is negative");
    }
    NodeNames.require(sourceNode);
    NodeNames.require(targetNode);
    RemotePaths.requireAbsolute(sourcePath);
    RemotePaths.requireAbsolute(targetPath);
    if (kind.equals("host") && !sourceNode.equals(targetNode)) {
      throw new IllegalArgumentException("a host service's data never changes node, but this row "
          + "moves it from " + sourceNode + " to " + targetNode);
    }
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes " + bytes + " is negative");
    }
  }

  /**
   * Reads row number {@code index} (from 0) of param {@code rows}.
   *
   * @throws IllegalArgumentException naming the param, the row and what is wrong with it
   */
  static CopyRow from(Object row, int index) {
    if (!(row instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("param 'rows': row " + index + " is not a map");
    }
    String where = "param 'rows': row " + index
        + (map.get("key") instanceof String key ? " (" + key + ")" : "") + ": ";
    try {
      return new CopyRow(text(map, "key"), text(map, "component"), text(map, "kind"),
          ordinal(number(map, "ordinal", true)), text(map, "source_node"), text(map, "source_path"),
          text(map, "target_node"), text(map, "target_path"), number(map, "bytes", false));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + e.getMessage(), e);
    }
  }

  /** The data changes node or directory: this row is copied. */
  boolean moves() {
    return !sourceNode.equals(targetNode) || !sourcePath.equals(targetPath);
  }

  /** rsync pushes to another node (otherwise it copies within the source node). */
  boolean crossNode() {
    return !sourceNode.equals(targetNode);
  }

  /** For people: {@code kafka #0 node-1 → node-4}, or with the paths for a move within a node. */
  String label() {
    String what = component + " #" + ordinal + " ";
    return crossNode() ? what + sourceNode + " → " + targetNode
        : what + sourceNode + " " + sourcePath + " → " + targetPath;
  }

  /** For messages: {@code kafka-0 (kafka #0 node-1 → node-4)}. */
  String described() {
    return key + " (" + label() + ")";
  }

  /** Where the data goes: {@code node-4:/sysvol/kafka/kafka_data}; the value of the undo record. */
  String target() {
    return targetNode + ":" + targetPath;
  }

  /** The node pair the row's copy runs between: {@code node-1 → node-4}. */
  String pair() {
    return sourceNode + " → " + targetNode;
  }

  private static String text(Map<?, ?> map, String field) {
    Object value = map.get(field);
    if (value instanceof String text && !text.isEmpty()) {
      return text;
    }
    throw new IllegalArgumentException(value == null ? field + " is missing"
        : field + " must be text, not " + described(value));
  }

  private static long number(Map<?, ?> map, String field, boolean required) {
    Object value = map.get(field);
    if (value == null && !required) {
      return 0;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      BigInteger big = new BigInteger(value.toString());
      if (big.bitLength() < 63) {
        return big.longValue();
      }
    }
    if (value instanceof String text && text.matches("[0-9]{1,18}")) {
      return Long.parseLong(text);
    }
    throw new IllegalArgumentException(value == null ? field + " is missing"
        : field + " must be a whole number, not " + described(value));
  }

  private static int ordinal(long ordinal) {
    if (ordinal > 10_000) {
      throw new IllegalArgumentException("ordinal " + ordinal + " is not a replica ordinal");
    }
    return (int) ordinal;
  }

  private static String described(Object value) {
    return value instanceof Map<?, ?> ? "a map" : value instanceof java.util.List<?> ? "a list"
        : value instanceof String ? "text" : String.valueOf(value);
  }

  private static String shown(String value) {
    return "'" + (value.length() > 60 ? value.substring(0, 60) + "…" : value) + "'";
  }
}
