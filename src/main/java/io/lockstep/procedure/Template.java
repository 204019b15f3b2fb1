package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A string of a step's parameters split into literal text and {@code ${…}} references.
 *
 * <p>A reference is {@code ${ROOT.KEY…}}: the root is {@code params} (the procedure's
 * parameters), {@code plan} or {@code run} (values the plan and the run supply), followed by one
 * or more {@code .key} or {@code [index]} steps into maps and lists, e.g. {@code ${params.nodes}},
 * {@code ${plan.rows[0].node}}. {@code $${} stands for a literal {@code ${} (a shell variable, say).
 */
record Template(List<Part> parts) {

  static final Set<String> ROOTS = Set.of("params", "plan", "run");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[(\\d{1,6})]");

  Template {
    parts = List.copyOf(parts);
  }

  /** A piece of a template. */
  sealed interface Part {}

  /** Literal text, escapes already undone. */
  record Text(String text) implements Part {}

  /**
   * A reference.
   *
   * @param expression what stood between {@code ${} and {@code }}, e.g. {@code params.nodes}
   * @param root {@code params}, {@code plan} or {@code run}
   * @param path the keys (String) and list indexes (Integer) below the root
   */
  record Reference(String expression, String root, List<Object> path) implements Part {
    Reference {
      path = List.copyOf(path);
    }

    /** How the file wrote it: {@code ${params.nodes}}. */
    String written() {
      return "${" + expression + "}";
    }

    /** The first key below the root: for {@code params.*} the parameter's name. */
    String name() {
      return (String) path.get(0);
    }
  }

  /**
   * Splits a string into text and references.
   *
   * @throws IllegalArgumentException for an unclosed or malformed reference, naming it
   */
  static Template parse(String text) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        literal.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          throw new IllegalArgumentException("'" + text.substring(i) + "' has no closing '}'"
              + " (write $${ for a literal ${)");
        }
        if (literal.length() > 0) {
          parts.add(new Text(literal.toString()));
          literal.setLength(0);
        }
        parts.add(reference(text.substring(i + 2, close)));
        i = close + 1;
      } else {
        literal.append(text.charAt(i++));
      }
    }
    if (literal.length() > 0 || parts.isEmpty()) {
      parts.add(new Text(literal.toString()));
    }
    return new Template(parts);
  }

  /** True if the string may hold references, so plain strings skip parsing. */
  static boolean mayHoldReferences(String text) {
    return text.contains("${");
  }

  /** Whether the whole string is one reference: its value then keeps its type (list, number…). */
  boolean isSingleReference() {
    return parts.size() == 1 && parts.get(0) instanceof Reference;
  }

  List<Reference> references() {
    return parts.stream().filter(Reference.class::isInstance).map(Reference.class::cast).toList();
  }

  private static Reference reference(String expression) {
    String hint = "write ${params.NAME}, ${plan.…} or ${run.…}, or $${ for a literal ${";
    Matcher root = IDENTIFIER.matcher(expression);
    if (!root.lookingAt()) {
      throw new IllegalArgumentException("'${" + expression + "}' is not a reference (" + hint + ")");
    }
    String rootName = root.group();
    List<Object> path = new ArrayList<>();
    Matcher step = STEP.matcher(expression);
    int at = root.end();
    while (at < expression.length() && step.find(at) && step.start() == at) {
      path.add(step.group(1) != null ? step.group(1) : Integer.valueOf(step.group(2)));
      at = step.end();
    }
    if (at != expression.length() || !ROOTS.contains(rootName) || path.isEmpty()
        || !(path.get(0) instanceof String)) {
      throw new IllegalArgumentException("'${" + expression + "}' is not a reference (" + hint + ")");
    }
    return new Reference(expression, rootName, path);
  }
}
