package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A YAML value with the line it starts on, so every problem found later can name its line.
 * Scalars hold what YAML 1.2 makes of them: String, Integer/Long/BigInteger, Double, Boolean or
 * null (an empty value or {@code null}).
 */
sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

  /** The 1-based line the value starts on. */
  int line();

  /** How a message names what was found: "text 'x'", "a list", … */
  String described();

  /** The value as plain Java: maps (order kept), lists and scalars. */
  Object plain();

  /** A single value. */
  record Scalar(int line, Object value) implements YamlNode {
    @Override
    public String described() {
      if (value == null) {
        return "nothing";
      }
      return value instanceof String s ? "text '" + s + "'" : "'" + value + "'";
    }

    @Override
    public Object plain() {
      return value;
    }
  }

  /** A key in a mapping with the line it is on. */
  record Entry(String key, int line, YamlNode value) {}

  /** A mapping; keys are unique (the parser reports duplicates and keeps the first). */
  record Mapping(int line, Map<String, Entry> entries) implements YamlNode {
    public Mapping {
      entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    Optional<Entry> entry(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public String described() {
      return "a mapping";
    }

    @Override
    public Object plain() {
      Map<String, Object> map = new LinkedHashMap<>();
      entries.forEach((k, e) -> map.put(k, e.value().plain()));
      return map;
    }
  }

  /** A list. */
  record Sequence(int line, List<YamlNode> items) implements YamlNode {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String described() {
      return "a list";
    }

    @Override
    public Object plain() {
      List<Object> list = new ArrayList<>();
      items.forEach(i -> list.add(i.plain()));
      return list;
    }
  }
}
