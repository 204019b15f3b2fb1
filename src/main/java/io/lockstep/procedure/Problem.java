package io.lockstep.procedure;

import java.util.Objects;

/**
 * One thing wrong with a procedure file.
 *
 * @param file the file as the operator knows it (a name for built-ins, a path for user files)
 * @param line the 1-based line the problem is on; 0 when it concerns the whole file
 * @param message what is wrong, in words a person understands
 */
public record Problem(String file, int line, String message) {

  public Problem {
    Objects.requireNonNull(file, "a problem names its file");
    Objects.requireNonNull(message, "a problem says what is wrong");
    if (line < 0) {
      throw new IllegalArgumentException("line numbers start at 1 (0: the whole file), not " + line);
    }
  }

  /** {@code file:line: message}, or {@code file: message} when no line applies. */
  @Override
  public String toString() {
    return line == 0 ? file + ": " + message : file + ":" + line + ": " + message;
  }
}
