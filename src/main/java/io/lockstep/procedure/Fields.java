package io.lockstep.procedure;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys of one YAML mapping of a procedure file (the procedure, a parameter, a phase or a
 * step), read with a problem recorded at the right line for each unknown key, missing required key
 * and value of the wrong kind. A getter that finds a problem records it and returns null (or the
 * given fallback), so reading goes on and every problem of the file is found in one pass.
 */
final class Fields {

  private final YamlNode.Mapping mapping;
  private final String owner;
  private final Problems problems;

  private Fields(YamlNode.Mapping mapping, String owner, Problems problems) {
    this.mapping = mapping;
    this.owner = owner;
    this.problems = problems;
  }

  /**
   * The fields of {@code node}, after reporting its unknown keys; empty if it is not a mapping.
   *
   * @param owner how messages name the mapping, e.g. {@code step 'scale-down'}
   */
  static Optional<Fields> of(YamlNode node, String owner, Set<String> allowed, Problems problems) {
    if (!(node instanceof YamlNode.Mapping mapping)) {
      problems.add(node, owner + " must be a mapping of keys to values, not " + node.described());
      return Optional.empty();
    }
    for (YamlNode.Entry entry : mapping.entries().values()) {
      if (!allowed.contains(entry.key())) {
        String hint = Names.closest(entry.key(), allowed).map(c -> " (did you mean '" + c + "'?)")
            .orElse("; known keys: " + String.join(", ", new TreeSet<>(allowed)));
        problems.add(entry.line(), "unknown key '" + entry.key() + "' in " + owner + hint);
      }
    }
    return Optional.of(new Fields(mapping, owner, problems));
  }

  int line() {
    return mapping.line();
  }

  /**
   * How messages name the {@code index}-th item of a list: by the value of its {@code key} when it
   * has one ({@code step 'scale-down'}), by position otherwise ({@code step 3}).
   */
  static String label(YamlNode node, String kind, String key, int index) {
    if (node instanceof YamlNode.Mapping m && m.entry(key).isPresent()
        && m.entry(key).get().value() instanceof YamlNode.Scalar s && s.value() != null) {
      return kind + " '" + s.value() + "'";
    }
    return kind + " " + (index + 1);
  }

  /** The value of {@code key}, if present and not empty. */
  Optional<YamlNode> node(String key) {
    return mapping.entry(key).map(YamlNode.Entry::value)
        .filter(v -> !(v instanceof YamlNode.Scalar s && s.value() == null));
  }

  /** Text, or null if absent (recorded as a problem when required). Numbers are read as text. */
  String text(String key, boolean required) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      if (required) {
        missing(key, "");
      }
      return null;
    }
    if (node.get() instanceof YamlNode.Scalar s) {
      return String.valueOf(s.value());
    }
    return wrong(key, node.get(), "text");
  }

  /** A required id checked as a slug; null after recording a problem. */
  String slug(String key, String what) {
    String value = text(key, true);
    String problem = value == null ? null : Names.slugProblem(what, value);
    if (problem != null) {
      problems.add(node(key).orElseThrow(), problem);
      return null;
    }
    return value;
  }

  /** true or false; {@code fallback} if absent and not required, null after a problem. */
  Boolean bool(String key, Boolean fallback, String missingHint) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      if (missingHint != null) {
        missing(key, missingHint);
      }
      return fallback;
    }
    return node.get() instanceof YamlNode.Scalar s && s.value() instanceof Boolean b ? b
        : wrong(key, node.get(), "true or false");
  }

  /** A whole number ≥ 0, {@code fallback} if absent, null after a problem. */
  Integer count(String key, int fallback) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      return fallback;
    }
    if (node.get() instanceof YamlNode.Scalar s && s.value() instanceof Number n
        && !(n instanceof Double) && !(n instanceof BigInteger) && n.longValue() >= 0
        && n.longValue() <= Integer.MAX_VALUE) {
      return n.intValue();
    }
    return wrong(key, node.get(), "a whole number, 0 or more");
  }

  /** A number like {@code 1.5}; null if absent or after a problem. */
  Double number(String key) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      return null;
    }
    if (node.get() instanceof YamlNode.Scalar s && s.value() instanceof Number n && !(n instanceof BigInteger)) {
      return n.doubleValue();
    }
    return wrong(key, node.get(), "a number, like 1.5");
  }

  /** A duration like {@code 3m}; null if absent or after a problem. */
  Duration duration(String key) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      return null;
    }
    if (!(node.get() instanceof YamlNode.Scalar s) || !(s.value() instanceof String text)) {
      return wrong(key, node.get(), "a duration (" + Durations.HINT + ")");
    }
    try {
      Duration duration = Durations.parse(text);
      if (duration.isZero()) {
        problems.add(s, "'" + key + "' of " + owner + " must be longer than zero");
        return null;
      }
      return duration;
    } catch (IllegalArgumentException e) {
      problems.add(s, "'" + key + "' of " + owner + ": " + e.getMessage());
      return null;
    }
  }

  /** A list; null if absent (recorded as a problem when required) or not a list. */
  YamlNode.Sequence list(String key, boolean required) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      if (required) {
        missing(key, "");
      }
      return null;
    }
    return node.get() instanceof YamlNode.Sequence list ? list : wrong(key, node.get(), "a list");
  }

  /** A mapping; null if absent or not a mapping. */
  YamlNode.Mapping map(String key) {
    Optional<YamlNode> node = node(key);
    if (node.isEmpty()) {
      return null;
    }
    return node.get() instanceof YamlNode.Mapping map ? map : wrong(key, node.get(), "a mapping of names to values");
  }

  /** Records that {@code key} is missing; the hint says what to write. */
  void missing(String key, String hint) {
    problems.add(mapping, owner + " has no '" + key + "'" + hint);
  }

  private <T> T wrong(String key, YamlNode found, String expected) {
    problems.add(found, "'" + key + "' of " + owner + " must be " + expected + ", not " + found.described());
    return null;
  }
}
