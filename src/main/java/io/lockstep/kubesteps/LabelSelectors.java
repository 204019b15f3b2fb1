package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Label selectors as {@code kubectl -l} takes them: terms separated by commas, each {@code key},
 * {@code !key}, {@code key=value}, {@code key==value}, {@code key!=value}, {@code key in (a,b)} or
 * {@code key notin (a,b)}. They are checked here, so that a typo fails the step before the API
 * sees it, and passed to the API server as written.
 */
final class LabelSelectors {

  private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
  private static final String KEY = "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" + NAME;
  private static final String VALUE = "(" + NAME + ")?";
  private static final Pattern EXISTS = Pattern.compile("!?\\s*" + KEY);
  private static final Pattern EQUALS = Pattern.compile(KEY + "\\s*(=|==|!=)\\s*" + VALUE);
  private static final Pattern SET = Pattern.compile(KEY + "\\s+(in|notin)\\s*\\(\\s*" + VALUE
      + "(\\s*,\\s*" + VALUE + ")*\\s*\\)");

  private LabelSelectors() {}

  /**
   * Returns {@code selector}, trimmed, if it is a valid label selector.
   *
   * @throws IllegalArgumentException saying which term is not valid
   */
  static String check(String selector) {
    String trimmed = selector.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("the label selector is empty");
    }
    for (String term : terms(trimmed)) {
      String t = term.strip();
      if (!(EXISTS.matcher(t).matches() || EQUALS.matcher(t).matches() || SET.matcher(t).matches())) {
        throw new IllegalArgumentException("label selector " + KubeNames.quoted(trimmed) + ": term "
            + KubeNames.quoted(t) + " is not key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)");
      }
    }
    return trimmed;
  }

  /** A workload's {@code spec.selector} as selector text; null when it selects nothing. */
  static String of(LabelSelector selector) {
    if (selector == null) {
      return null;
    }
    List<String> terms = new ArrayList<>();
    Map<String, String> labels = selector.getMatchLabels();
    if (labels != null) {
      labels.forEach((k, v) -> terms.add(k + "=" + v));
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        terms.add(switch (r.getOperator()) {
          case "In" -> r.getKey() + " in (" + String.join(",", r.getValues()) + ")";
          case "NotIn" -> r.getKey() + " notin (" + String.join(",", r.getValues()) + ")";
          case "Exists" -> r.getKey();
          case "DoesNotExist" -> "!" + r.getKey();
          default -> throw new IllegalArgumentException("unknown selector operator " + r.getOperator());
        });
      }
    }
    return terms.isEmpty() ? null : String.join(",", terms);
  }

  /** Both selectors (either may be null: no condition). */
  static String and(String a, String b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a + "," + b;
  }

  private static List<String> terms(String selector) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }
}
