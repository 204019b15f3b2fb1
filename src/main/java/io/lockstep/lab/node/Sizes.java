package io.lockstep.lab.node;

import java.util.Locale;

/** Size arithmetic shared by df, du and ls, the way GNU coreutils prints sizes. */
final class Sizes {

  /** The filesystem block: a file occupies whole blocks of this size on disk. */
  static final long BLOCK = 4096;

  private static final String UNITS = "KMGTPE";

  private Sizes() {}

  /** Bytes a file of {@code apparent} bytes occupies on disk. */
  static long onDisk(long apparent) {
    return ceilDiv(apparent, BLOCK) * BLOCK;
  }

  static long ceilDiv(long value, long divisor) {
    return -Math.floorDiv(-value, divisor);
  }

  /** {@code -h}: powers of 1024, rounded up, one decimal below 10 ("8.0G", "12M", "4.0K", "0"). */
  static String human(long bytes) {
    if (bytes < 1024) {
      return Long.toString(bytes);
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length() - 1) {
      value /= 1024;
      unit++;
    }
    if (value < 10) {
      double rounded = Math.ceil(value * 10) / 10;
      if (rounded < 10) {
        return String.format(Locale.ROOT, "%.1f%c", rounded, UNITS.charAt(unit));
      }
      value = rounded;
    }
    long whole = (long) Math.ceil(value);
    if (whole >= 1024 && unit < UNITS.length() - 1) {
      return String.format(Locale.ROOT, "%.1f%c", 1.0, UNITS.charAt(unit + 1));
    }
    return whole + String.valueOf(UNITS.charAt(unit));
  }
}
