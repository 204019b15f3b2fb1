package io.lockstep.lab.node;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs a real executable (rsync, kubectl) for a node command: an argument list through
 * {@link ProcessBuilder}, never a shell string; a clean environment (only {@code PATH},
 * {@code HOME} = the node's {@code /root} and {@code LC_ALL=C}, so no secret of the console leaks
 * into it); streams pumped as they come.
 *
 * <p>In raw mode (no text filter) bytes pass untouched and unbuffered, as the rsync protocol
 * needs. With a filter, output is cut at {@code \n} and {@code \r} (rsync's progress updates) and
 * each piece is rewritten before it is written. Interrupting the calling thread kills the process
 * and its children.
 */
final class ExternalProcess {

  private static final int CHUNK = 64 * 1024;

  private final List<String> command;
  private final Path workDir;
  private final Map<String, String> environment;

  ExternalProcess(List<String> command, Path workDir, Map<String, String> environment) {
    this.command = List.copyOf(command);
    this.workDir = workDir;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Runs to completion and returns the exit status.
   *
   * @param stdin copied to the process until its end, or null for an empty standard input
   * @param filter rewrites text output, or null for raw bytes
   */
  int run(InputStream stdin, OutputStream out, OutputStream err, UnaryOperator<String> filter)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    builder.environment().put("LC_ALL", "C");
    builder.environment().putAll(environment);
    if (stdin == null) {
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process process = builder.start();
    Thread outPump = pump(process.getInputStream(), out, filter, "stdout");
    Thread errPump = pump(process.getErrorStream(), err, filter, "stderr");
    if (stdin != null) {
      pumpInput(stdin, process);
    }
    try {
      int status = process.waitFor();
      outPump.join();
      errPump.join();
      return status;
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw e;
    }
  }

  private Thread pump(InputStream from, OutputStream to, UnaryOperator<String> filter, String name) {
    Thread t = new Thread(() -> {
      try (from) {
        if (filter == null) {
          copyRaw(from, to);
        } else {
          copyText(from, to, filter);
        }
      } catch (IOException e) {
        // the client went away: the process ends on its own or is killed by the interrupt
      }
    }, "lab-" + command.get(0) + "-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Copies the channel's input to the process and closes it at the end, so rsync sees EOF. */
  private void pumpInput(InputStream stdin, Process process) {
    Thread t = new Thread(() -> {
      try (OutputStream to = process.getOutputStream()) {
        copyRaw(stdin, to);
      } catch (IOException e) {
        // the process closed its input or ended: nothing more to deliver
      }
    }, "lab-" + command.get(0) + "-stdin");
    t.setDaemon(true);
    t.start();
  }

  private static void copyRaw(InputStream from, OutputStream to) throws IOException {
    byte[] buffer = new byte[CHUNK];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      if (n > 0) {
        to.write(buffer, 0, n);
        to.flush();
      }
    }
  }

  private static void copyText(InputStream from, OutputStream to, UnaryOperator<String> filter) throws IOException {
    byte[] buffer = new byte[CHUNK];
    ByteArrayOutputStream pending = new ByteArrayOutputStream();
    int n;
    while ((n = from.read(buffer)) >= 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n' || buffer[i] == '\r') {
          pending.write(buffer, start, i + 1 - start);
          start = i + 1;
          emit(pending, to, filter);
        }
      }
      pending.write(buffer, start, n - start);
      if (pending.size() > CHUNK) {
        emit(pending, to, filter);
      }
    }
    emit(pending, to, filter);
  }

  private static void emit(ByteArrayOutputStream pending, OutputStream to, UnaryOperator<String> filter)
      throws IOException {
    if (pending.size() == 0) {
      return;
    }
    String text = filter.apply(pending.toString(StandardCharsets.UTF_8));
    pending.reset();
    to.write(text.getBytes(StandardCharsets.UTF_8));
    to.flush();
  }
}
