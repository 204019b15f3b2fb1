package io.lockstep.datacopy;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what rsync prints: the overall progress lines of {@code --info=progress2} and the figures
 * of {@code --stats}.
 *
 * <p>A progress line is {@code   1,048,576  42%   12.34MB/s    0:00:07 (xfr#3, to-chk=5/9)}:
 * bytes so far, percent of the whole file list's size (with {@code --no-inc-recursive} the list
 * is complete from the start), the current rate in rsync's 1024-based units, and the time left.
 * Thousands separators follow the node's locale ({@code ,}, {@code .}, {@code '} or none), and so
 * may the decimal point of the rate.
 */
final class RsyncOutput {

  private static final Pattern PROGRESS = Pattern.compile(
      "\\s*(\\d[\\d,.']*)\\s+(\\d{1,3})%\\s+(\\d+(?:[.,]\\d+)?)([kKMGTP]?)B/s\\s+\\S+.*");
  private static final Pattern TRANSFERRED =
      Pattern.compile("Total transferred file size: (\\d[\\d,.']*) bytes.*");
  private static final Pattern TOTAL = Pattern.compile("Total file size: (\\d[\\d,.']*) bytes.*");
  private static final Pattern FILES =
      Pattern.compile("Number of regular files transferred: (\\d[\\d,.']*).*");
  private static final List<String> STATS = List.of("Number of ", "Total ", "Literal data:",
      "Matched data:", "File list ", "sent ", "total size is ");
  /** The 1024-based units of a rate, by power: none, k, M, G… */
  private static final String UNITS = "KMGTP";

  private RsyncOutput() {}

  /**
   * One progress report.
   *
   * @param bytes bytes transferred so far
   * @param percent how far through the file list's total size, 0–100
   * @param perSecond the current rate in bytes per second
   */
  record Progress(long bytes, int percent, long perSecond) {

    /** The whole transfer's size as the percent implies, when it says anything (0 otherwise). */
    long impliedTotal() {
      return percent <= 0 ? 0 : bytes * 100 / percent;
    }
  }

  static Optional<Progress> progress(String line) {
    Matcher m = PROGRESS.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    double rate = Double.parseDouble(m.group(3).replace(',', '.'));
    String letter = m.group(4).toUpperCase(Locale.ROOT);
    int unit = letter.isEmpty() ? 0 : UNITS.indexOf(letter) + 1;
    return Optional.of(new Progress(digits(m.group(1)), Integer.parseInt(m.group(2)),
        (long) (rate * Math.pow(1024, unit))));
  }

  /** {@code Total transferred file size: N bytes} of {@code --stats}. */
  static OptionalLong transferredBytes(String line) {
    Matcher m = TRANSFERRED.matcher(line.trim());
    return m.matches() ? OptionalLong.of(digits(m.group(1))) : OptionalLong.empty();
  }

  /** {@code Total file size: N bytes} of {@code --stats}: every file of the source, sent or not. */
  static OptionalLong totalBytes(String line) {
    Matcher m = TOTAL.matcher(line.trim());
    return m.matches() ? OptionalLong.of(digits(m.group(1))) : OptionalLong.empty();
  }

  /** {@code Number of regular files transferred: N} of {@code --stats}. */
  static OptionalLong transferredFiles(String line) {
    Matcher m = FILES.matcher(line.trim());
    return m.matches() ? OptionalLong.of(digits(m.group(1))) : OptionalLong.empty();
  }

  /** A line of the {@code --stats} block (or blank): kept out of the run's log. */
  static boolean statistics(String line) {
    String trimmed = line.trim();
    return trimmed.isEmpty() || STATS.stream().anyMatch(trimmed::startsWith);
  }

  /**
   * The path an {@code --itemize-changes} line names: {@code >fc.T...... dir/file} gives
   * {@code dir/file}, {@code *deleting   old} gives {@code old}.
   */
  static String itemizedPath(String line) {
    String trimmed = line.strip();
    int space = trimmed.indexOf(' ');
    return space < 0 ? trimmed : trimmed.substring(space).strip();
  }

  private static long digits(String number) {
    return Long.parseLong(number.replaceAll("[,.']", ""));
  }
}
