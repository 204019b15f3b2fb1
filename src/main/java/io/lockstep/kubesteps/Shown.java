package io.lockstep.kubesteps;

import java.util.List;

/** Lists of names as the run's log shows them: all of a short list, the first few of a long one. */
final class Shown {

  static final int MAX = 10;

  private Shown() {}

  /** {@code a, b, c} or {@code a, b, … and 12 more}. */
  static String some(List<String> names) {
    if (names.size() <= MAX) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, MAX)) + " and " + (names.size() - MAX) + " more";
  }

  /** {@code 1 pod}, {@code 3 pods}. */
  static String count(List<?> items, String noun) {
    return items.size() + " " + noun + (items.size() == 1 ? "" : "s");
  }
}
