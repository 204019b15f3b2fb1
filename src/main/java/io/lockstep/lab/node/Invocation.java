package io.lockstep.lab.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One run of a command: its name, its arguments (already unquoted) and its standard streams after
 * redirection. The output streams flush on every write, so output reaches the SSH client as it is
 * produced.
 */
public record Invocation(String name, List<String> args, InputStream in, OutputStream out, OutputStream err) {

  public Invocation {
    args = List.copyOf(args);
  }

  /** Prints a line on standard output. */
  public void out(String line) throws IOException {
    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Prints a line on standard error. */
  public void err(String line) throws IOException {
    err.write((line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Prints {@code NAME: message} on standard error and returns {@code status}, for one-line failures. */
  public int fail(int status, String message) throws IOException {
    err(name + ": " + message);
    return status;
  }
}
