package io.lockstep.datacopy;

import java.time.Duration;
import java.util.Locale;

/** Sizes, durations and rates as the run's log shows them: {@code 1.2 GiB}, {@code 3.4 s}. */
final class Bytes {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Bytes() {}

  static String shown(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  static String seconds(Duration took) {
    return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
  }

  /** For longer times, as a forecast shows them: {@code 42.0 s}, {@code 3m 05s}, {@code 2h 07m 05s}. */
  static String longTime(Duration took) {
    long s = Math.round(took.toMillis() / 1000.0);
    if (s < 60) {
      return seconds(took);
    }
    return s < 3600 ? String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60)
        : String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60);
  }

  /** Bytes per second over {@code took}; 0 for no time at all. */
  static long perSecond(long bytes, Duration took) {
    return took.toMillis() <= 0 ? 0 : bytes * 1000 / took.toMillis();
  }

  static String rate(long bytes, Duration took) {
    return shown(perSecond(bytes, took)) + "/s";
  }
}
