package io.lockstep.sshsteps;

import io.lockstep.run.StepContext;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshException;
import io.lockstep.ssh.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The step's command on one node: declares it to the run, runs it under coreutils {@code timeout},
 * streams its output into the run's log line by line and records its exit status.
 *
 * <p>The node gets {@code timeout --kill-after=K N PROGRAM ARGS…}: after N seconds (the time left
 * of the step, rounded up) the node sends the command TERM and exits 124; a command still running
 * K later gets KILL (exit 137). The console's own limit on the command is longer by K and a little
 * more, so normally the node ends the command and says so; only a node that does not manage to
 * is cut off from the console's side, by closing the channel.
 *
 * <p>The procedure's arguments may come from secret parameters, which this executor cannot tell
 * apart; so every one of them is marked secret in the command handed to the SSH layer, whose logs
 * and messages therefore never show them. They reach the run's log only through the context,
 * which masks known secrets.
 */
final class NodeRun {

  /** How much longer than the node's own limit the console waits for a command to end. */
  static final Duration GRACE = Duration.ofSeconds(5);
  private static final int TIMED_OUT = 124;
  private static final int KILLED = 128 + 9;

  private final NodeShell shell;
  private final StepContext context;
  private final ExecParams params;
  private final Duration killAfter;

  NodeRun(NodeShell shell, StepContext context, ExecParams params, Duration killAfter) {
    this.shell = shell;
    this.context = context;
    this.params = params;
    this.killAfter = killAfter;
  }

  /** The wrap the node runs the command in, for the step's info line: {@code timeout …}. */
  static List<String> wrap(Duration limit, Duration killAfter) {
    return List.of("timeout", "--kill-after=" + seconds(killAfter) + "s", seconds(limit) + "s");
  }

  /**
   * Runs the command on {@code target}, allowing it {@code left}; with nothing left (nodes waiting
   * for their turn used up the step's time), the node is not touched and fails.
   *
   * @throws InterruptedException the calling thread was interrupted; the command was stopped
   */
  NodeResult run(SshTarget target, Duration left) throws InterruptedException {
    String node = target.node();
    if (left.isZero() || left.isNegative()) {
      return reported(NodeResult.failed(node, null, "not run: the step's time was up"));
    }
    long limit = seconds(left);
    OutputListener toLog = (stream, line) -> {
      if (stream == OutputListener.Stream.STDOUT) {
        context.out(node, line);
      } else {
        context.err(node, line);
      }
    };
    context.action(node, params.shown());
    try {
      ExecResult result = shell.exec(target, wrapped(left),
          Duration.ofSeconds(limit).plus(killAfter).plus(GRACE), toLog);
      int status = result.exitStatus();
      context.exitStatus(node, status);
      boolean outOfTime = result.took().compareTo(Duration.ofSeconds(limit)) >= 0;
      if (outOfTime && (status == TIMED_OUT || status == KILLED)) {
        return reported(NodeResult.failed(node, status, "did not finish within " + limit
            + "s and was " + (status == KILLED ? "killed" : "stopped") + " on the node (exit "
            + status + ")"));
      }
      return NodeResult.exited(node, status);
    } catch (SshException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("the command on " + node + " was interrupted and stopped");
      }
      return reported(NodeResult.failed(node, null, String.valueOf(e.getMessage())));
    }
  }

  private NodeResult reported(NodeResult failure) {
    context.info(failure.described());
    return failure;
  }

  private RemoteCommand wrapped(Duration left) {
    List<String> argv = new ArrayList<>(wrap(left, killAfter));
    int first = argv.size();
    argv.addAll(params.command());
    Set<Integer> secret = IntStream.range(first, argv.size()).boxed().collect(Collectors.toSet());
    return new RemoteCommand(argv, secret);
  }

  /** Whole seconds, rounded up, at least 1: what {@code timeout} is given. */
  static long seconds(Duration duration) {
    long millis = Math.max(1, duration.toMillis());
    return (millis + 999) / 1000;
  }
}
