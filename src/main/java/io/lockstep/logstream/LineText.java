package io.lockstep.logstream;

import io.lockstep.system.SecretScope;
import java.util.regex.Pattern;

/**
 * Turns the text a command printed into the text stored: terminal escape sequences removed, other
 * control characters (which PostgreSQL or a browser would choke on) replaced by a space, tabs kept,
 * the secrets of the run's scope masked, and overlong lines cut with a marker. Masking comes before cutting so that a
 * secret cut in half is still recognised.
 */
final class LineText {

  /** The size of {@code run_log_line.line}. */
  static final int COLUMN_LENGTH = 8000;
  /** The shortest configurable line length: room for some text and the marker. */
  static final int MIN_LENGTH = 200;

  /** CSI sequences (colours, cursor moves), OSC sequences (window titles) and other ESC pairs. */
  private static final Pattern ANSI = Pattern.compile(
      "\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|[@-_])");
  private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F]");

  private final int maxLength;

  LineText(int maxLength) {
    if (maxLength < MIN_LENGTH || maxLength > COLUMN_LENGTH) {
      throw new IllegalArgumentException("the longest log line must be between " + MIN_LENGTH + " and "
          + COLUMN_LENGTH + " characters, got " + maxLength);
    }
    this.maxLength = maxLength;
  }

  /** The text to store for {@code raw}: cleaned, masked in {@code scope}, at most the configured length. */
  String clean(String raw, SecretScope scope) {
    String text = ANSI.matcher(raw).replaceAll("");
    text = CONTROL.matcher(text).replaceAll(" ");
    text = scope.mask(text);
    return text.length() <= maxLength ? text : cut(text);
  }

  private String cut(String text) {
    int keep = maxLength - marker(text.length()).length();
    while (keep + 1 + marker(text.length() - keep - 1).length() <= maxLength) {
      keep++;
    }
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + marker(text.length() - keep);
  }

  /** The marker ending a cut line; never longer for a smaller count. */
  static String marker(int cutCharacters) {
    return " … [" + cutCharacters + " more characters cut]";
  }
}
