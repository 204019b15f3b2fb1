package io.lockstep.procedure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Checks and converts values given for parameters; see {@link Parameter#accept}. */
final class ParameterValues {

  private static final Pattern NODE = Pattern.compile(
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LONG = Pattern.compile("[+-]?\\d{1,18}");

  private ParameterValues() {}

  static Object accept(String name, Parameter.Type type, List<String> values, Object value) {
    String label = "parameter '" + name + "'";
    if (value == null) {
      throw new IllegalArgumentException(label + " has no value");
    }
    return switch (type) {
      case STRING -> text(label, value);
      case INT -> whole(label, value);
      case BOOL -> bool(label, value);
      case DURATION -> duration(label, value);
      case NODE -> node(label, text(label, value));
      case NODES -> nodes(label, value);
      case NAMES -> names(label, value);
      case PATH -> path(label, text(label, value));
      case ENUM -> choice(label, values, text(label, value));
    };
  }

  private static String text(String label, Object value) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new IllegalArgumentException(label + " takes a single value, not " + kind(value));
  }

  private static Long whole(String label, Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof String s && LONG.matcher(s.strip()).matches()) {
      return Long.parseLong(s.strip());
    }
    throw new IllegalArgumentException(label + " must be a whole number, not " + kind(value));
  }

  private static Boolean bool(String label, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.strip().equals("true") || s.strip().equals("false"))) {
      return Boolean.valueOf(s.strip());
    }
    throw new IllegalArgumentException(label + " must be true or false, not " + kind(value));
  }

  private static Duration duration(String label, Object value) {
    if (value instanceof Duration d) {
      return d;
    }
    try {
      return Durations.parse(text(label, value));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(label + ": " + e.getMessage(), e);
    }
  }

  private static String node(String label, String value) {
    String node = value.strip();
    if (node.length() > 253 || !NODE.matcher(node).matches()) {
      throw new IllegalArgumentException(label + ": '" + value + "' is not a node name"
          + " (lower-case letters, digits, '-' and '.', like node-1)");
    }
    return node;
  }

  private static List<String> nodes(String label, Object value) {
    List<?> given = value instanceof List<?> list ? list
        : Arrays.stream(text(label, value).split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    LinkedHashSet<String> nodes = new LinkedHashSet<>();
    for (Object item : given) {
      String node = node(label, text(label, item));
      if (!nodes.add(node)) {
        throw new IllegalArgumentException(label + " names node '" + node + "' twice");
      }
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException(label + " needs at least one node");
    }
    return List.copyOf(new ArrayList<>(nodes));
  }

  /**
   * A list of names of things that are not nodes (VMs, volumes, where replicas go), written as node
   * names are. Order is kept and a name may repeat (P6: two replicas placed in one member cluster).
   */
  private static List<String> names(String label, Object value) {
    List<?> given = value instanceof List<?> list ? list
        : Arrays.stream(text(label, value).split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    List<String> names = new ArrayList<>();
    for (Object item : given) {
      String name = text(label, item).strip();
      if (name.length() > 253 || !NODE.matcher(name).matches()) {
        throw new IllegalArgumentException(label + ": '" + name + "' is not a name"
            + " (lower-case letters, digits, '-' and '.', like volspoms1)");
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(label + " needs at least one name");
    }
    return List.copyOf(names);
  }

  private static String path(String label, String value) {
    if (!value.startsWith("/") || value.contains("\n") || value.contains("\0")
        || List.of(value.split("/")).contains("..")) {
      throw new IllegalArgumentException(label + ": '" + value + "' is not an absolute path"
          + " (it starts with / and has no '..')");
    }
    return value;
  }

  private static String choice(String label, List<String> values, String value) {
    if (!values.contains(value)) {
      throw new IllegalArgumentException(label + " is one of " + String.join(", ", values) + ", not '" + value + "'");
    }
    return value;
  }

  private static String kind(Object value) {
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof java.util.Map<?, ?>) {
      return "a map";
    }
    return "'" + value + "'";
  }
}
