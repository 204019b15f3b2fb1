package io.lockstep.kubesteps;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as procedure files write them ({@code config/procedures/README.md}): amounts with a
 * unit, each unit once, largest first: {@code 500ms}, {@code 30s}, {@code 3m}, {@code 1h30m},
 * {@code 2d}. (The procedure module reads them the same way for its own fields.)
 */
final class ProcedureDurations {

  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");

  private ProcedureDurations() {}

  /**
   * Reads {@code text}.
   *
   * @throws IllegalArgumentException it is not a duration so written
   */
  static Duration parse(String text) {
    Matcher part = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    int lastUnit = -1;
    while (part.find() && part.start() == end) {
      int unit = UNITS.indexOf(part.group(2));
      if (unit <= lastUnit) {
        break;
      }
      lastUnit = unit;
      total = total.plus(amount(Long.parseLong(part.group(1)), part.group(2)));
      end = part.end();
    }
    if (text.isEmpty() || end != text.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration");
    }
    return total;
  }

  private static Duration amount(long amount, String unit) {
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }
}
