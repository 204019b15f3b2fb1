package io.lockstep.proton;

import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshException;
import io.lockstep.ssh.SshTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The node proton-cli runs on, reached over SSH: reads the configuration, writes a file from data
 * the console holds, runs a command. Every command runs under coreutils {@code timeout} with what
 * is left of the step's time, so that the node itself stops a command the console gave up on
 * (closing the SSH channel does not stop a process on a real sshd).
 */
final class ProtonNode {

  static final RemoteCommand GET_CONF = RemoteCommand.of("proton-cli", "get", "conf");
  static final Duration KILL_AFTER = Duration.ofSeconds(10);
  /** How much longer than the node's own limit the console waits for a command to end. */
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final int TIMED_OUT = 124;
  private static final int KILLED = 137;
  private static final int LAST_LINES = 12;

  private final NodeShell shell;
  private final SshTarget target;
  private final Masking masking;

  ProtonNode(NodeShell shell, SshTarget target, Masking masking) {
    this.shell = shell;
    this.target = target;
    this.masking = masking;
  }

  String name() {
    return target.node();
  }

  /** What a command printed and how it ended; lines masked. */
  record Outcome(int status, boolean timedOut, List<String> lastLines, boolean mentions) {

    boolean succeeded() {
      return status == 0 && !timedOut;
    }
  }

  /**
   * {@code proton-cli get conf}: its output, which holds credentials and so goes nowhere but to
   * the caller.
   *
   * @throws StepFailedException proton-cli failed; the message has its last lines of stderr
   */
  String getConf(Duration limit) throws InterruptedException {
    StringBuilder conf = new StringBuilder();
    Outcome outcome = run(GET_CONF, new byte[0], limit, "", (stream, line) -> {
      if (stream == OutputListener.Stream.STDOUT) {
        conf.append(line).append('\n');
      }
    }, true);
    if (!outcome.succeeded()) {
      throw new StepFailedException(failure("proton-cli get conf", outcome));
    }
    return conf.toString();
  }

  /**
   * Runs {@code command} with {@code input} on its stdin, handing each line (masked) to {@code
   * listener}.
   *
   * @param mention a text whose presence in the output (stdout or stderr) {@link Outcome#mentions}
   *     reports
   * @param secretStdout stdout holds secrets (a configuration): its lines go to {@code listener}
   *     as they are and nowhere else, not into {@link Outcome#lastLines}
   */
  Outcome run(RemoteCommand command, byte[] input, Duration limit, String mention, OutputListener listener,
      boolean secretStdout) throws InterruptedException {
    long seconds = seconds(limit);
    if (limit.isZero() || limit.isNegative()) {
      throw new StepFailedException("not run on " + name() + ": " + command + " (the step's time was up)");
    }
    Deque<String> last = new ArrayDeque<>();
    boolean[] mentioned = {false};
    OutputListener masked = (stream, line) -> {
      if (!mention.isEmpty() && line.contains(mention)) {
        mentioned[0] = true;
      }
      if (stream == OutputListener.Stream.STDOUT && secretStdout) {
        listener.onLine(stream, line);
        return;
      }
      String shown = masking.text(line);
      last.addLast(shown);
      if (last.size() > LAST_LINES) {
        last.removeFirst();
      }
      listener.onLine(stream, shown);
    };
    try {
      ExecResult result = shell.exec(target, wrapped(command, seconds),
          Duration.ofSeconds(seconds).plus(KILL_AFTER).plus(GRACE), input, masked);
      int status = result.exitStatus();
      boolean timedOut = (status == TIMED_OUT || status == KILLED)
          && result.took().compareTo(Duration.ofSeconds(seconds)) >= 0;
      return new Outcome(status, timedOut, List.copyOf(last), mentioned[0]);
    } catch (SshException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException(command + " on " + name() + " was interrupted and stopped");
      }
      throw new StepFailedException(command + " on " + name() + " failed: " + masking.text(String.valueOf(e.getMessage())), e);
    }
  }

  /** {@code COMMAND on NODE failed (exit 1): last lines}. */
  String failure(String what, Outcome outcome) {
    String how = outcome.timedOut() ? "did not finish in time and was stopped on the node (exit " + outcome.status() + ")"
        : "failed (exit " + outcome.status() + ")";
    return what + " on " + name() + " " + how + (outcome.lastLines().isEmpty() ? ""
        : ": " + String.join(" | ", outcome.lastLines()));
  }

  /**
   * Writes {@code content} to {@code file}: {@code mkdir -p -m 0700} its directory, an empty
   * {@code tee FILE} to create or truncate it, {@code chmod 0600} so that only root may read it,
   * then {@code tee FILE} with the content on stdin (its copy on stdout is dropped). The content
   * thus never lies in a file others may read, and never appears on a command line or in a log.
   */
  void write(String file, byte[] content, Duration limit, Actions actions) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    String directory = file.substring(0, Math.max(1, file.lastIndexOf('/')));
    for (Step step : writeSteps(directory, file, content)) {
      actions.declare(step.described().english());
      Outcome outcome = run(step.command(), step.input(), left(deadline), "", OutputListener.IGNORE, true);
      if (!outcome.succeeded()) {
        throw new StepFailedException(failure(step.command().toString(), outcome));
      }
    }
  }

  /** The commands of {@link #write}, for a preview. */
  static List<StepPreview.Line> writeActions(String file, int bytes) {
    String directory = file.substring(0, Math.max(1, file.lastIndexOf('/')));
    return writeSteps(directory, file, new byte[bytes]).stream().map(Step::described).toList();
  }

  private record Step(RemoteCommand command, byte[] input, StepPreview.Line described) {}

  private static List<Step> writeSteps(String directory, String file, byte[] content) {
    List<Step> steps = new ArrayList<>();
    RemoteCommand mkdir = RemoteCommand.of("mkdir", "-p", "-m", "0700", directory);
    steps.add(new Step(mkdir, new byte[0], StepPreview.Line.plain(mkdir.toString())));
    RemoteCommand tee = RemoteCommand.of("tee", file);
    steps.add(new Step(tee, new byte[0], StepPreview.Line.of("preview.proton.write.empty", "{0} with nothing on stdin"
        + " (creates or empties the file)", tee)));
    RemoteCommand chmod = RemoteCommand.of("chmod", "0600", file);
    steps.add(new Step(chmod, new byte[0], StepPreview.Line.plain(chmod.toString())));
    steps.add(new Step(tee, content, StepPreview.Line.of("preview.proton.write.content", "{0} with the edited"
        + " configuration on stdin ({1} bytes, never logged; the copy tee prints is dropped)", tee, content.length)));
    return steps;
  }

  /** Declares an action before it is carried out. */
  @FunctionalInterface
  interface Actions {
    void declare(String description);
  }

  static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static RemoteCommand wrapped(RemoteCommand command, long seconds) {
    List<String> argv = new ArrayList<>(List.of("timeout", "--kill-after=" + KILL_AFTER.toSeconds() + "s", seconds + "s"));
    int first = argv.size();
    argv.addAll(command.argv());
    Set<Integer> secret = new HashSet<>();
    command.secretArguments().forEach(position -> secret.add(first + position));
    return new RemoteCommand(argv, secret);
  }

  /** Whole seconds, rounded up, at least 1. */
  static long seconds(Duration duration) {
    long millis = Math.max(1, duration.toMillis());
    return (millis + 999) / 1000;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
