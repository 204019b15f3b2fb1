package io.lockstep.kubesteps;

import io.lockstep.procedure.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A step's resolved params as an executor reads them: each getter checks the value's type and says,
 * naming the step type and the param, what is wrong. Params that the type does not take are refused
 * when the params are read, never silently ignored.
 */
final class Params {

  private final String type;
  private final Map<String, Object> values;

  private Params(String type, Map<String, Object> values) {
    this.type = type;
    this.values = values;
  }

  /**
   * The params of a step of {@code type}, which takes the params {@code known} (in the order its
   * documentation lists them).
   *
   * @throws IllegalArgumentException a param is not one of {@code known}
   */
  static Params of(String type, Map<String, ?> params, List<String> known) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    known.forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new ParamException(type + ": unknown param" + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ")) + "; " + type + " takes "
          + String.join(", ", known));
    }
    return new Params(type, new LinkedHashMap<>(params));
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  /** A required text param, not blank. */
  String text(String name) {
    return optionalText(name).orElseThrow(() -> missing(name));
  }

  Optional<String> optionalText(String name) {
    Object value = value(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw wrong(name, "must be a non-empty text", value);
    }
    return Optional.of(text.strip());
  }

  /** A true/false param, {@code otherwise} when absent. */
  boolean flag(String name, boolean otherwise) {
    Object value = value(name);
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Boolean flag)) {
      throw wrong(name, "must be true or false", value);
    }
    return flag;
  }

  /** A whole number param, 0 or more. */
  Optional<Integer> count(String name) {
    Object value = value(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof Integer || value instanceof Long || value instanceof Short)) {
      throw wrong(name, "must be a whole number", value);
    }
    long number = ((Number) value).longValue();
    if (number < 0 || number > Integer.MAX_VALUE) {
      throw wrong(name, "must be 0 or more", value);
    }
    return Optional.of((int) number);
  }

  /**
   * A list of texts, each non-empty; absent: empty. An item that is itself a list (a reference
   * that resolved to one: {@code ["${plan.old_nodes}", "${plan.new_nodes}"]}) is spliced in.
   */
  Optional<List<String>> texts(String name) {
    Object value = value(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof List<?> list)) {
      throw wrong(name, "must be a list", value);
    }
    List<String> texts = new ArrayList<>();
    splice(name, list, texts);
    if (texts.isEmpty()) {
      throw problem(name, "is an empty list: leave it out or name at least one item");
    }
    return Optional.of(List.copyOf(texts));
  }

  private void splice(String name, List<?> list, List<String> texts) {
    for (Object item : list) {
      if (item instanceof List<?> inner) {
        splice(name, inner, texts);
        continue;
      }
      if (!(item instanceof String text) || text.isBlank()) {
        throw wrong(name, "must hold non-empty texts only", item);
      }
      texts.add(text.strip());
    }
  }

  /** A map with text keys, not empty. */
  Map<String, Object> map(String name) {
    Object value = value(name);
    if (value == null) {
      throw missing(name);
    }
    if (!(value instanceof Map<?, ?> map) || map.keySet().stream().anyMatch(k -> !(k instanceof String))) {
      throw wrong(name, "must be a map", value);
    }
    if (map.isEmpty()) {
      throw problem(name, "is empty");
    }
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put((String) k, v));
    return copy;
  }

  /** A duration, written {@code 30s}, {@code 2m}, {@code 1h30m}. */
  Optional<Duration> duration(String name) {
    Object value = value(name);
    if (value == null) {
      return Optional.empty();
    }
    if (value instanceof Duration duration) {
      return Optional.of(duration);
    }
    if (!(value instanceof String text)) {
      throw wrong(name, "must be a duration like 30s or 2m", value);
    }
    try {
      return Optional.of(Durations.parse(text.strip()));
    } catch (IllegalArgumentException e) {
      throw wrong(name, "must be a duration like 30s, 2m or 1h30m (each unit once, largest first)", text);
    }
  }

  /** A problem with param {@code name}: {@code k8s.scale: param 'replicas' <what>}. */
  IllegalArgumentException problem(String name, String what) {
    return new ParamException(type + ": param '" + name + "' " + what);
  }

  IllegalArgumentException missing(String name) {
    return new ParamException(type + ": param '" + name + "' is missing");
  }

  /** A problem with the step as a whole: {@code k8s.scale: <what>}. */
  IllegalArgumentException invalid(String what) {
    return new ParamException(type + ": " + what);
  }

  /** A message that already names the step type and the param. */
  private static final class ParamException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    ParamException(String message) {
      super(message);
    }

    ParamException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Runs a check of one param's value, prefixing its message with the type and param. */
  <T> T checked(String name, Supplier<T> check) {
    try {
      return check.get();
    } catch (ParamException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new ParamException(type + ": param '" + name + "': " + e.getMessage(), e);
    }
  }

  private Object value(String name) {
    if (values.containsKey(name) && values.get(name) == null) {
      throw problem(name, "has no value");
    }
    return values.get(name);
  }

  private IllegalArgumentException wrong(String name, String rule, Object value) {
    String shown = value instanceof String s ? KubeNames.quoted(s) : String.valueOf(value);
    return problem(name, rule + ", not " + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown));
  }
}
