package io.lockstep.datacopy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the checksum verification of one row found: the lines of {@code rsync --checksum --dry-run
 * --itemize-changes --delete}, one per difference ({@code <fc........ segment-00002.log}), and
 * whether there were more than were kept.
 *
 * <p>Paths stay as rsync prints them: relative to the row's directory, a byte rsync will not print
 * (a line break, or anything outside ASCII in the C locale) written {@code \#ooo} in octal, so that
 * every path is one line of plain text, for the log, the undo record and a command line alike.
 *
 * @param lines the differences, in rsync's order
 * @param truncated rsync printed more than {@code lines} (at least {@link #MAX} in all)
 */
record Differences(List<String> lines, boolean truncated) {

  /** How many differences are kept (and named in an undo record) at most. */
  static final int MAX = 1000;
  /** How many a failure message names before it counts the rest. */
  static final int SHOWN = 5;

  Differences {
    lines = List.copyOf(lines);
  }

  /** Reads rsync's output: non-blank lines are differences; {@code truncated} when it hit the cap. */
  static Differences of(List<String> out) {
    List<String> lines = out.stream().filter(l -> !l.isBlank()).toList();
    return new Differences(lines, out.size() >= MAX);
  }

  boolean none() {
    return lines.isEmpty() && !truncated;
  }

  /**
   * The regular files rsync would send ({@code <f…} pushing to another node, {@code >f…} within a
   * node): content, size or time differ, or the file is missing. These are what a size-and-time copy may pass over, so a retry re-sends them by
   * checksum. Every other difference (a file only on the target, a directory's or a file's
   * attributes, a missing directory or link) the final copy's own {@code -a --delete} mends.
   */
  List<String> files() {
    return lines.stream().filter(l -> sent(l) && l.length() > 12).map(l -> l.substring(12)).toList();
  }

  /**
   * The differences for a message: the first {@value #SHOWN} paths, each with what is wrong when
   * it is not the content ({@code index/2.index (missing)}, {@code stray (only on the target)}),
   * then how many more: {@code a, b, c, d, e and 12 more}.
   */
  String named() {
    String first = lines.stream().limit(SHOWN).map(Differences::shown).collect(Collectors.joining(", "));
    int more = lines.size() - SHOWN;
    return first + (truncated ? " and more" : more > 0 ? " and " + more + " more" : "");
  }

  /** {@code 3 differences}, {@code at least 1000 differences}. */
  String counted() {
    return (truncated ? "at least " : "") + lines.size() + " difference" + (lines.size() == 1 ? "" : "s");
  }

  private static String shown(String line) {
    String path = RsyncOutput.itemizedPath(line);
    if (line.startsWith("*deleting")) {
      return path + " (only on the target)";
    }
    if (line.length() > 11 && line.substring(2, 11).equals("+++++++++")) {
      return path + " (missing)";
    }
    return sent(line) ? path : line.startsWith(".") ? path + " (attributes)" : path + " (differs)";
  }

  private static boolean sent(String line) {
    return line.startsWith(">f") || line.startsWith("<f");
  }
}
