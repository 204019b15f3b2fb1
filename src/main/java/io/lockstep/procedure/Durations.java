package io.lockstep.procedure;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as procedure files write them: one or more amounts with a unit, largest unit first,
 * {@code 500ms}, {@code 30s}, {@code 3m}, {@code 1h30m}, {@code 2d}.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
  private static final List<String> UNITS = List.of("d", "h", "m", "s", "ms");
  static final String HINT = "write it like 90s, 3m or 1h30m";

  private Durations() {}

  /**
   * Reads a duration.
   *
   * @throws IllegalArgumentException naming the text and showing how to write one
   */
  public static Duration parse(String text) {
    String trimmed = text == null ? "" : text.strip();
    Matcher m = PART.matcher(trimmed);
    Duration total = Duration.ZERO;
    int end = 0;
    int lastUnit = -1;
    while (m.find() && m.start() == end) {
      int unit = UNITS.indexOf(m.group(2));
      if (unit <= lastUnit) {
        throw new IllegalArgumentException("'" + text + "' is not a duration: give each unit once, largest first ("
            + HINT + ")");
      }
      lastUnit = unit;
      total = total.plus(amount(Long.parseLong(m.group(1)), m.group(2)));
      end = m.end();
    }
    if (trimmed.isEmpty() || end != trimmed.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (" + HINT + ")");
    }
    return total;
  }

  /** The short form {@link #parse} reads back: {@code 1h30m}, {@code 90s} → {@code 1m30s}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    append(out, duration.toDaysPart(), "d");
    append(out, duration.toHoursPart(), "h");
    append(out, duration.toMinutesPart(), "m");
    append(out, duration.toSecondsPart(), "s");
    append(out, duration.toMillisPart(), "ms");
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount > 0) {
      out.append(amount).append(unit);
    }
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
