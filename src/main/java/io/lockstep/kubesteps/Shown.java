package io.lockstep.kubesteps;

import io.lockstep.run.StepPreview;
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

  /** {@link #count(List, String)} as a preview line's argument, one message for one item, one for more. */
  static StepPreview.Line count(List<?> items, String oneCode, String one, String manyCode, String many) {
    return items.size() == 1 ? StepPreview.Line.of(oneCode, one) : StepPreview.Line.of(manyCode, many, items.size());
  }

  /** {@link #some(List)} as a preview line's argument. */
  static StepPreview.Line someLine(List<String> names) {
    if (names.size() <= MAX) {
      return StepPreview.Line.plain(String.join(", ", names));
    }
    return StepPreview.Line.of("preview.k8s.andMore", "{0} and {1} more", String.join(", ", names.subList(0, MAX)),
        names.size() - MAX);
  }

  /** {@code 1 pod}, {@code 3 pods}. */
  static String count(List<?> items, String noun) {
    return items.size() + " " + noun + (items.size() == 1 ? "" : "s");
  }
}
