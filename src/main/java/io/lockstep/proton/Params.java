package io.lockstep.proton;

import io.lockstep.ssh.NodeNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A step's resolved params as the proton executors read them: each getter checks the value's type
 * and says, naming the step type and the param, what is wrong. Params the type does not take are
 * refused, never silently ignored. Messages never quote the value of a param that may be secret.
 */
final class Params {

  /** Secret names: DNS-1123 subdomains. */
  private static final Pattern SECRET_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final String type;
  private final Map<String, Object> values;

  private Params(String type, Map<String, Object> values) {
    this.type = type;
    this.values = values;
  }

  /** The params of a step of {@code type}, which takes exactly {@code known}. */
  static Params of(String type, Map<String, ?> params, List<String> known) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    known.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(type + ": unknown param"
          + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ")) + "; "
          + type + " takes " + String.join(", ", known));
    }
    return new Params(type, new LinkedHashMap<>(params));
  }

  boolean has(String name) {
    return values.get(name) != null;
  }

  String text(String name) {
    return optionalText(name).orElseThrow(() -> problem(name, "is missing"));
  }

  Optional<String> optionalText(String name) {
    Object value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw problem(name, "must be a non-empty text");
    }
    return Optional.of(text);
  }

  /** A true/false param, {@code otherwise} when absent. */
  boolean flag(String name, boolean otherwise) {
    Object value = values.get(name);
    if (value == null) {
      return otherwise;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw problem(name, "must be true or false");
  }

  /** A node name, checked with {@link NodeNames}. */
  String node(String name) {
    String node = text(name).strip();
    try {
      return NodeNames.require(node);
    } catch (IllegalArgumentException e) {
      throw problem(name, e.getMessage());
    }
  }

  /** A list of node names (an absent param is an empty list); each checked, none twice. */
  List<String> nodes(String name) {
    List<String> nodes = texts(name, List.of());
    for (String node : nodes) {
      try {
        NodeNames.require(node);
      } catch (IllegalArgumentException e) {
        throw problem(name, e.getMessage());
      }
    }
    if (Set.copyOf(nodes).size() != nodes.size()) {
      throw problem(name, "names a node twice: " + String.join(", ", nodes));
    }
    return nodes;
  }

  /** A list of Secret names (DNS-1123 subdomains), {@code otherwise} when absent. */
  List<String> secretNames(String name, List<String> otherwise) {
    List<String> names = texts(name, otherwise);
    if (names.isEmpty()) {
      throw problem(name, "is empty; name at least one Secret");
    }
    for (String secret : names) {
      if (secret.length() > 253 || !SECRET_NAME.matcher(secret).matches()) {
        throw problem(name, "names '" + secret + "', which is not a valid Secret name");
      }
    }
    if (Set.copyOf(names).size() != names.size()) {
      throw problem(name, "names a Secret twice");
    }
    return names;
  }

  /** The raw list of a list param, absent: null. */
  @Nullable List<?> list(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      throw problem(name, "must be a list");
    }
    return list;
  }

  private List<String> texts(String name, List<String> otherwise) {
    List<?> list = list(name);
    if (list == null) {
      return otherwise;
    }
    List<String> texts = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof String text) || text.isBlank()) {
        throw problem(name, "must hold non-empty texts only");
      }
      texts.add(text.strip());
    }
    return List.copyOf(texts);
  }

  /** {@code proton.conf: param 'file' <what>}. */
  IllegalArgumentException problem(String name, String what) {
    return new IllegalArgumentException(type + ": param '" + name + "' " + what);
  }
}
