package io.lockstep.datacopy;

import io.lockstep.run.StepContext;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Runs the step's commands on nodes, each declared to the run before it starts and each under
 * coreutils {@code timeout} with what is left of the step's time, so that a copy still running
 * when the step's time is up is ended on the node itself (TERM, then KILL after {@code
 * killAfter}), not left behind when the console gives up. The console waits a little longer than
 * the node's own limit and then closes the channel.
 */
final class NodeRunner {

  /** How much longer than the node's own limit the console waits for a command to end. */
  static final Duration GRACE = Duration.ofSeconds(5);
  static final int TIMED_OUT = 124;
  static final int KILLED = 128 + 9;

  private final NodeShell shell;
  private final Map<String, String> hosts;
  private final StepContext context;
  private final Duration killAfter;
  private final long deadline;

  /**
   * @param hosts every node the step touches, by name, with the address to reach it at
   * @param deadline when the step's time is up, on {@link System#nanoTime()}'s clock
   */
  NodeRunner(NodeShell shell, Map<String, String> hosts, StepContext context, Duration killAfter,
      long deadline) {
    this.shell = shell;
    this.hosts = Map.copyOf(hosts);
    this.context = context;
    this.killAfter = killAfter;
    this.deadline = deadline;
  }

  /**
   * How a command went.
   *
   * @param status the exit status; null when there is none (not run, unreachable, cut off)
   * @param problem null when the command ran to its end on its own; otherwise what went wrong
   */
  record Ran(String node, @Nullable Integer status, @Nullable String problem) {

    boolean exited(int expected) {
      return problem == null && status != null && status == expected;
    }

    /** {@code exit 23}, {@code exit 137 (killed)}, or the problem. */
    String described() {
      return problem != null ? problem : "exit " + status + RsyncStatus.meaning(status);
    }
  }

  /** The address of a node the step touches. */
  String host(String node) {
    String host = hosts.get(node);
    if (host == null) {
      throw new IllegalStateException("node " + node + " was not looked up before the copy");
    }
    return host;
  }

  /** What is left of the step's time. */
  Duration left() {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  /**
   * Declares {@code command} as an action on {@code node}, runs it there, and hands its output to
   * {@code listener} line by line.
   *
   * @param recordExit also record the exit status with the run (the copies themselves, not checks)
   * @throws InterruptedException the step was aborted or its time is up; the command was stopped
   */
  Ran run(String node, RemoteCommand command, OutputListener listener, boolean recordExit)
      throws InterruptedException {
    Duration left = left();
    if (left.isZero() || left.isNegative()) {
      return new Ran(node, null, "not run: the step's time was up");
    }
    long limit = seconds(left);
    context.action(node, command.toString());
    try {
      ExecResult result = shell.exec(shell.target(node, host(node)), wrapped(command, limit),
          Duration.ofSeconds(limit).plus(killAfter).plus(GRACE), listener);
      int status = result.exitStatus();
      if (recordExit) {
        context.exitStatus(node, status);
      }
      if (result.took().compareTo(Duration.ofSeconds(limit)) >= 0
          && (status == TIMED_OUT || status == KILLED)) {
        return new Ran(node, status, "did not finish within the step's time (" + limit
            + "s) and was " + (status == KILLED ? "killed" : "stopped") + " on the node (exit "
            + status + ")");
      }
      return new Ran(node, status, null);
    } catch (SshException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("the command on " + node + " was interrupted and stopped");
      }
      return new Ran(node, null, String.valueOf(e.getMessage()));
    }
  }

  /** {@link #run} keeping the output: stdout and stderr lines, at most {@code max} of each. */
  Captured capture(String node, RemoteCommand command, int max) throws InterruptedException {
    List<String> out = new ArrayList<>();
    List<String> err = new ArrayList<>();
    Ran ran = run(node, command, (stream, line) -> {
      List<String> lines = stream == OutputListener.Stream.STDOUT ? out : err;
      if (lines.size() < max) {
        lines.add(line);
      }
    }, false);
    return new Captured(ran, List.copyOf(out), List.copyOf(err));
  }

  /** A command's end and its output. */
  record Captured(Ran ran, List<String> out, List<String> err) {

    /** The last line of error output, for a message; empty when there was none. */
    String lastError() {
      for (int i = err.size() - 1; i >= 0; i--) {
        if (!err.get(i).isBlank()) {
          return err.get(i).strip();
        }
      }
      return "";
    }
  }

  /** The wrap the node runs every command in: {@code timeout --kill-after=10s 3600s}. */
  static List<String> wrap(Duration limit, Duration killAfter) {
    return List.of("timeout", "--kill-after=" + seconds(killAfter) + "s", seconds(limit) + "s");
  }

  private RemoteCommand wrapped(RemoteCommand command, long limit) {
    List<String> argv = new ArrayList<>(wrap(Duration.ofSeconds(limit), killAfter));
    argv.addAll(command.argv());
    return new RemoteCommand(argv);
  }

  /** Whole seconds, rounded up, at least 1. */
  static long seconds(Duration duration) {
    long millis = Math.max(1, duration.toMillis());
    return (millis + 999) / 1000;
  }
}
