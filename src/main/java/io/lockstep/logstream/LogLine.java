package io.lockstep.logstream;

/**
 * One line of a run's output as the run engine hands it to {@link RunLog}, before it is stored.
 *
 * @param step the step that printed it, or {@code null} for the run itself (at most 128 characters)
 * @param node the node it came from, or {@code null} when it came from the console (a host name, at
 *     most 253 characters)
 * @param stream which output it came from
 * @param text the line without its line break; {@code null} counts as empty. Control characters are
 *     cleaned, secrets masked and overlong lines cut when the line is stored
 */
public record LogLine(String step, String node, Stream stream, String text) {

  /** Which output a line came from: a command's stdout or stderr, or the console's own remarks. */
  public enum Stream {
    OUT,
    ERR,
    SYS;

    /** The stored and transmitted name: {@code out}, {@code err} or {@code sys}. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The stream named by {@link #code()}. */
    public static Stream ofCode(String code) {
      return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
  }

  public LogLine {
    if (stream == null) {
      throw new IllegalArgumentException("a log line needs a stream (OUT, ERR or SYS)");
    }
    if (step != null && step.length() > 128) {
      throw new IllegalArgumentException("a step name for the log is at most 128 characters, got " + step.length());
    }
    if (node != null && node.length() > 253) {
      throw new IllegalArgumentException("a node name for the log is at most 253 characters, got " + node.length());
    }
    text = text == null ? "" : text;
  }

  /** A line a command printed on stdout. */
  public static LogLine out(String step, String node, String text) {
    return new LogLine(step, node, Stream.OUT, text);
  }

  /** A line a command printed on stderr. */
  public static LogLine err(String step, String node, String text) {
    return new LogLine(step, node, Stream.ERR, text);
  }

  /** A remark of the console itself (a step started, a phase was approved, …). */
  public static LogLine sys(String step, String text) {
    return new LogLine(step, null, Stream.SYS, text);
  }
}
