package io.lockstep.procedure;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/** The naming rules of procedure files, shared by the loader and the records' own checks. */
final class Names {

  static final int MAX_SLUG = 63;
  private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern PARAMETER = Pattern.compile("[a-z][a-z0-9_]*");
  private static final Pattern STEP_TYPE = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)*");

  private Names() {}

  /** Why {@code value} is not a slug (lower-case letters, digits, single dashes), or null. */
  static String slugProblem(String what, String value) {
    if (value == null || value.isBlank()) {
      return what + " is missing";
    }
    if (value.length() > MAX_SLUG || !SLUG.matcher(value).matches()) {
      return what + " '" + value + "' is not a slug: use lower-case letters, digits and single dashes"
          + " (at most " + MAX_SLUG + " characters), like 'stop-applications'";
    }
    return null;
  }

  /** Why {@code value} cannot name a parameter ({@code app_namespace}, {@code nodes}), or null. */
  static String parameterProblem(String value) {
    if (value == null || value.isBlank()) {
      return "a parameter has no name";
    }
    if (!PARAMETER.matcher(value).matches()) {
      return "parameter name '" + value + "' must start with a lower-case letter and hold only"
          + " lower-case letters, digits and '_', like 'app_namespace'";
    }
    return null;
  }

  /** Why {@code value} cannot name an executor type ({@code ssh.exec}, {@code manual}), or null. */
  static String stepTypeProblem(String value) {
    if (value == null || value.isBlank()) {
      return "the step type is missing";
    }
    if (!STEP_TYPE.matcher(value).matches()) {
      return "step type '" + value + "' is not a type name like 'ssh.exec' or 'manual'";
    }
    return null;
  }

  /** Throws the problem, if any: for the records' compact constructors. */
  static void require(String problem) {
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** The candidate closest to a mistyped word, if one is close enough to be what was meant. */
  static Optional<String> closest(String word, Collection<String> candidates) {
    int tolerance = Math.max(2, word.length() / 3);
    return candidates.stream()
        .filter(c -> distance(word, c) <= tolerance)
        .min(Comparator.comparingInt((String c) -> distance(word, c)).thenComparing(c -> c));
  }

  /** {@code " (did you mean 'x'?)"} or nothing. */
  static String suggestion(String word, Collection<String> candidates) {
    return closest(word, candidates).map(c -> " (did you mean '" + c + "'?)").orElse("");
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
