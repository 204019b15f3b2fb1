package io.lockstep.procedure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one step of a procedure file: its keys, its executor type against the known types, and
 * every {@code ${…}} in its parameters and condition (syntax, and for {@code params.X} that X is
 * declared).
 */
final class StepReader {

  static final Set<String> STEP_KEYS =
      Set.of("id", "name", "name_zh", "type", "params", "timeout", "retries", "retry_delay", "retry_backoff",
          "retry_within", "guard", "repeatable", "when");
  private static final String REPEATABLE_HINT = ": say true if running it twice is safe, false if not"
      + " (after a crash the engine runs a repeatable step again and stops at any other)";

  private final Problems problems;
  private final StepTypes stepTypes;
  private final Map<String, Parameter.Type> declared;

  StepReader(Problems problems, StepTypes stepTypes, Map<String, Parameter.Type> declared) {
    this.problems = problems;
    this.stepTypes = stepTypes;
    this.declared = declared;
  }

  /** The step, or empty after recording its problems; {@code firstLines} tracks the phase's ids. */
  Optional<Step> read(YamlNode node, int index, String phaseLabel, Map<String, Integer> firstLines) {
    String label = Fields.label(node, "step", "id", index) + " of " + phaseLabel;
    Optional<Fields> read = Fields.of(node, label, STEP_KEYS, problems);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Fields f = read.get();
    int before = problems.count();
    String id = f.slug("id", "step id");
    if (id != null) {
      int line = f.node("id").orElseThrow().line();
      Integer first = firstLines.putIfAbsent(id, line);
      if (first != null) {
        problems.add(line, phaseLabel + " has two steps with id '" + id + "' (the first is at line " + first + ")");
      }
    }
    String type = type(f, label);
    Boolean repeatable = f.bool("repeatable", null, REPEATABLE_HINT);
    Integer retries = retries(f, id, repeatable);
    Retry retry = retries == null ? null : retry(f, id, retries);
    Boolean guard = f.bool("guard", false, null);
    if (Boolean.TRUE.equals(guard) && Boolean.FALSE.equals(repeatable)) {
      problems.add(f.node("guard").orElseThrow(), "step '" + id + "' is a guard but not repeatable;"
          + " a guard only looks and is checked again whenever needed: make it repeatable");
    }
    Duration timeout = f.duration("timeout");
    String when = when(f, label);
    YamlNode.Mapping params = f.map("params");
    if (params != null) {
      params.entries().values().forEach(e -> check(e.value(), "params." + e.key(), label));
    }
    if (problems.count() > before) {
      return Optional.empty();
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> plain = params == null ? Map.of() : (Map<String, Object>) params.plain();
      return Optional.of(new Step(id, f.text("name", false), f.text("name_zh", false), type, plain, timeout,
          retry, guard, repeatable, when));
    } catch (IllegalArgumentException e) {
      problems.add(f.line(), e.getMessage());
      return Optional.empty();
    }
  }

  private String type(Fields f, String label) {
    String type = f.text("type", true);
    if (type == null) {
      return null;
    }
    Set<String> known = stepTypes.names();
    String problem = Names.stepTypeProblem(type);
    if (problem == null && !known.contains(type)) {
      problem = label + " has unknown type '" + type + "'" + Names.closest(type, known)
          .map(c -> " (did you mean '" + c + "'?)").orElse("; known types: " + String.join(", ", new TreeSet<>(known)));
    }
    if (problem != null) {
      problems.add(f.node("type").orElseThrow(), problem);
      return null;
    }
    return type;
  }

  private Integer retries(Fields f, String id, Boolean repeatable) {
    Integer retries = f.count("retries", 0);
    if (retries == null) {
      return null;
    }
    YamlNode at = f.node("retries").orElse(null);
    if (retries > Step.MAX_RETRIES) {
      problems.add(at, "'retries' of step '" + id + "' is " + retries + "; at most " + Step.MAX_RETRIES);
    } else if (retries > 0 && Boolean.FALSE.equals(repeatable)) {
      problems.add(at, Step.retriesProblem(id, retries));
    }
    return retries;
  }

  /** The retry schedule; the wait keys need retries, and a bound the waits fit in. */
  private Retry retry(Fields f, String id, int retries) {
    Duration delay = f.duration("retry_delay");
    Double backoff = f.number("retry_backoff");
    Duration within = f.duration("retry_within");
    if (retries == 0) {
      for (String key : List.of("retry_delay", "retry_backoff", "retry_within")) {
        f.node(key).ifPresent(n -> problems.add(n, "'" + key + "' of step '" + id + "' needs 'retries' above 0"));
      }
      return Retry.NONE;
    }
    if (retries > Step.MAX_RETRIES) {
      return null; // said once, by retries()
    }
    try {
      return new Retry(retries, delay, backoff == null ? Retry.DEFAULT_BACKOFF : backoff, within);
    } catch (IllegalArgumentException e) {
      problems.add(f.node("retry_within").or(() -> f.node("retry_backoff")).or(() -> f.node("retry_delay"))
          .orElse(f.node("retries").orElseThrow()), "step '" + id + "': " + e.getMessage());
      return null;
    }
  }

  /** The {@code when} of a step or a phase, checked: one reference, to a declared bool parameter if to one. */
  String when(Fields f, String label) {
    String when = f.text("when", false);
    if (when == null) {
      return null;
    }
    YamlNode at = f.node("when").orElseThrow();
    String problem = Step.whenProblem(when);
    if (problem != null) {
      problems.add(at, problem + " (in " + label + ")");
      return when;
    }
    Template.Reference ref = Template.parse(when).references().get(0);
    if (declaredParameter(ref, at, label) && declared.get(ref.name()) != null
        && declared.get(ref.name()) != Parameter.Type.BOOL) {
      problems.add(at, "'when' of " + label + " needs a bool parameter; '" + ref.name() + "' is "
          + declared.get(ref.name()).written());
    }
    return when;
  }

  /** Checks every value below a step's parameters: no empty values, well-formed references. */
  private void check(YamlNode node, String where, String label) {
    if (node instanceof YamlNode.Scalar s && s.value() == null) {
      problems.add(s, where + " of " + label + " has no value");
    } else if (node instanceof YamlNode.Scalar s && s.value() instanceof String text
        && Template.mayHoldReferences(text)) {
      references(s, text, where, label);
    } else if (node instanceof YamlNode.Sequence list) {
      for (int i = 0; i < list.items().size(); i++) {
        check(list.items().get(i), where + "[" + i + "]", label);
      }
    } else if (node instanceof YamlNode.Mapping map) {
      map.entries().values().forEach(e -> check(e.value(), where + "." + e.key(), label));
    }
  }

  private void references(YamlNode at, String text, String where, String label) {
    try {
      Template.parse(text).references().forEach(ref -> declaredParameter(ref, at, label));
    } catch (IllegalArgumentException e) {
      problems.add(at, where + " of " + label + ": " + e.getMessage());
    }
  }

  /** False (after recording it) when a {@code params.X} reference names no declared parameter. */
  private boolean declaredParameter(Template.Reference ref, YamlNode at, String label) {
    if (!ref.root().equals("params") || declared.containsKey(ref.name())) {
      return ref.root().equals("params");
    }
    problems.add(at, ref.written() + " in " + label + " names no declared parameter"
        + Names.closest(ref.name(), declared.keySet()).map(c -> " (did you mean '" + c + "'?)")
            .orElse(declared.isEmpty() ? "; the procedure declares none" : "; declared: " + String.join(", ", declared.keySet())));
    return false;
  }
}
