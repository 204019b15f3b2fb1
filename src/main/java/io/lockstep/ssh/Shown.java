package io.lockstep.ssh;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Renders a rejected value for an error message: in single quotes, control characters written as
 * escapes and long values shortened, so that a bad value can neither forge log lines nor flood
 * them.
 */
final class Shown {

  private static final int MAX_SHOWN = 80;

  private Shown() {}

  static String value(@Nullable String value) {
    if (value == null) {
      return "(none)";
    }
    StringBuilder shown = new StringBuilder("'");
    value.codePoints().limit(MAX_SHOWN).forEach(c -> shown.append(escaped(c)));
    if (value.codePointCount(0, value.length()) > MAX_SHOWN) {
      shown.append('…');
    }
    return shown.append('\'').toString();
  }

  /** A single character as a message shows it: {@code ' ' (U+0020)}. */
  static String character(int codePoint) {
    return "'" + escaped(codePoint) + "' (" + String.format("U+%04X", codePoint) + ")";
  }

  /** A duration as people write it: {@code 500ms}, {@code 2.5s}, {@code 10s}, {@code 1m30s}. */
  static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis < 1000 ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    long seconds = millis / 1000;
    String shown = (seconds >= 3600 ? seconds / 3600 + "h" : "")
        + (seconds % 3600 >= 60 ? seconds % 3600 / 60 + "m" : "")
        + (seconds % 60 != 0 ? seconds % 60 + "s" : "");
    return shown.isEmpty() ? "0s" : shown;
  }

  private static String escaped(int codePoint) {
    return switch (codePoint) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case 0 -> "\\0";
      default -> Character.isISOControl(codePoint)
          ? String.format("\\u%04x", codePoint)
          : new String(Character.toChars(codePoint));
    };
  }
}
