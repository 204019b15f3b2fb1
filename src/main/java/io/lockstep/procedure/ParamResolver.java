package io.lockstep.procedure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Puts values into a step's parameters: every {@code ${…}} in a string is replaced by the value it
 * names in a scope.
 *
 * <p>The scope is a map with the roots {@code params} (the plan's values, see {@link
 * Procedure#bind}), {@code plan} and {@code run}, each a map; below them, maps and lists are walked
 * by {@code .key} and {@code [index]}. A string that is exactly one reference becomes the value
 * itself, keeping its type: {@code "${params.nodes}"} yields the list of nodes. A reference inside
 * longer text is written as text: lists as their items separated by spaces, durations in their
 * short form ({@code 10m}); a map cannot be written into text. {@code $${} yields a literal
 * {@code ${}. Lists and maps are resolved item by item; other values pass through unchanged.
 */
public final class ParamResolver {

  private ParamResolver() {}

  /**
   * The template with every reference replaced.
   *
   * @throws UnresolvedReferenceException if a reference names no value in {@code scope}
   * @throws IllegalArgumentException if a string holds a malformed reference
   */
  public static Object resolve(Object template, Map<String, ?> scope) {
    if (template instanceof String text) {
      return Template.mayHoldReferences(text) ? fill(Template.parse(text), scope) : text;
    }
    if (template instanceof List<?> list) {
      List<Object> resolved = new ArrayList<>(list.size());
      list.forEach(item -> resolved.add(resolve(item, scope)));
      return Collections.unmodifiableList(resolved);
    }
    if (template instanceof Map<?, ?> map) {
      Map<Object, Object> resolved = new LinkedHashMap<>();
      map.forEach((k, v) -> resolved.put(k, resolve(v, scope)));
      return Collections.unmodifiableMap(resolved);
    }
    return template;
  }

  /**
   * The step's parameters with every reference replaced: what its executor receives.
   *
   * @throws UnresolvedReferenceException naming the step and the reference without a value
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> resolveParams(Step step, Map<String, ?> scope) {
    try {
      return (Map<String, Object>) resolve(step.params(), scope);
    } catch (UnresolvedReferenceException e) {
      throw new UnresolvedReferenceException(step.id(), e.reference(), e.reason());
    }
  }

  /**
   * Whether the step is to run: true without a {@code when}; otherwise the value its reference
   * names, which must be true or false (or the text "true"/"false").
   *
   * @throws UnresolvedReferenceException naming the step if the value is missing or not true/false
   */
  public static boolean shouldRun(Step step, Map<String, ?> scope) {
    return holds(step.id(), step.when(), scope);
  }

  /**
   * Whether the phase belongs to the run: true without a {@code when}; otherwise the value its
   * reference names, as for a step's.
   *
   * @throws UnresolvedReferenceException naming the phase if the value is missing or not true/false
   */
  public static boolean shouldRun(Phase phase, Map<String, ?> scope) {
    return holds(phase.id(), phase.when(), scope);
  }

  private static boolean holds(String id, String when, Map<String, ?> scope) {
    if (when == null) {
      return true;
    }
    Object value;
    try {
      value = resolve(when, scope);
    } catch (UnresolvedReferenceException e) {
      throw new UnresolvedReferenceException(id, e.reference(), e.reason());
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw new UnresolvedReferenceException(id, when, "is '" + value + "', not true or false");
  }

  /**
   * The references a template holds, as written without {@code ${ }}: {@code params.password}.
   * An executor uses this to learn, e.g., which command arguments come from secret parameters.
   */
  public static Set<String> references(Object template) {
    Set<String> found = new LinkedHashSet<>();
    Values.strings(template, "", (where, text) -> {
      if (Template.mayHoldReferences(text)) {
        Template.parse(text).references().forEach(r -> found.add(r.expression()));
      }
    });
    return Collections.unmodifiableSet(found);
  }

  private static Object fill(Template template, Map<String, ?> scope) {
    if (template.isSingleReference()) {
      return lookUp((Template.Reference) template.parts().get(0), scope);
    }
    StringBuilder text = new StringBuilder();
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Text literal) {
        text.append(literal.text());
      } else {
        Template.Reference ref = (Template.Reference) part;
        text.append(asText(ref, lookUp(ref, scope)));
      }
    }
    return text.toString();
  }

  private static Object lookUp(Template.Reference ref, Map<String, ?> scope) {
    Object current = scope.get(ref.root());
    String walked = ref.root();
    if (current == null) {
      throw new UnresolvedReferenceException(null, ref.written(), "has no value: the scope holds no '" + walked + "'");
    }
    for (Object key : ref.path()) {
      Object next = key instanceof Integer index
          ? (current instanceof List<?> list && index < list.size() ? list.get(index) : null)
          : (current instanceof Map<?, ?> map ? map.get(key) : null);
      if (next == null) {
        String step = key instanceof Integer ? walked + "[" + key + "]" : walked + "." + key;
        throw new UnresolvedReferenceException(null, ref.written(), "has no value: there is no " + step);
      }
      walked = key instanceof Integer ? walked + "[" + key + "]" : walked + "." + key;
      current = next;
    }
    return current;
  }

  private static String asText(Template.Reference ref, Object value) {
    if (value instanceof Map<?, ?>) {
      throw new UnresolvedReferenceException(null, ref.written(), "is a map and cannot be written into text");
    }
    if (value instanceof List<?> list) {
      return list.stream().map(item -> asText(ref, item)).collect(Collectors.joining(" "));
    }
    return value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
  }

  /** A reference names no value, or a value that cannot be used where it stands. */
  public static final class UnresolvedReferenceException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final String stepId;
    private final String reference;
    private final String reason;

    UnresolvedReferenceException(String stepId, String reference, String reason) {
      super((stepId == null ? "" : "step '" + stepId + "': ") + reference + " " + reason);
      this.stepId = stepId;
      this.reference = reference;
      this.reason = reason;
    }

    /** The step whose parameters were resolved; null when a bare template was. */
    public String stepId() {
      return stepId;
    }

    /** The reference as written, e.g. {@code ${params.nodes}}. */
    public String reference() {
      return reference;
    }

    /** Why it could not be used, e.g. "has no value: there is no params.nodes". */
    public String reason() {
      return reason;
    }
  }
}
