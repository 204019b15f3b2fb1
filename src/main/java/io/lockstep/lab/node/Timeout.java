package io.lockstep.lab.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code timeout [-k|--kill-after=DURATION] DURATION COMMAND [ARG]…} as coreutils has it: runs the
 * command and, when DURATION has passed, stops it and exits 124. The console wraps every
 * {@code ssh.exec} command in it, so that a node itself ends a command that ran out of time.
 *
 * <p>Durations are written as {@code sleep} takes them ({@code 10}, {@code 0.5s}, {@code 2m}); 0
 * means no limit. The command runs on a thread of its own; stopping it (TERM) interrupts that
 * thread, which every node command obeys. With {@code --kill-after}, a command still running that
 * much later is given up on (KILL): timeout exits 137 and leaves the thread to end when it may,
 * since a Java thread cannot be killed. Without it, timeout waits for the stopped command, as the
 * real one does ({@code --kill-after=0} too). Like the real one, it stops reading options at the
 * DURATION. Exit statuses: the command's own, 124 timed out, 125 timeout itself failed (a bad
 * option or duration), 127 no such command.
 */
final class Timeout implements NodeCommand {

  static final int TIMED_OUT = 124;
  static final int FAILED = 125;
  static final int NOT_FOUND = 127;
  static final int KILLED = 128 + 9;

  private final Function<String, Optional<NodeCommand>> commands;

  /** {@code commands} finds a command by name or location, as the node's shell does. */
  Timeout(Function<String, Optional<NodeCommand>> commands) {
    this.commands = commands;
  }

  @Override
  public int run(Invocation call) throws IOException, InterruptedException {
    List<String> args = call.args();
    String killAfter = null;
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-") && !args.get(i).equals("-")) {
      String option = args.get(i++);
      if (option.equals("--")) {
        break;
      } else if (option.startsWith("--kill-after=")) {
        killAfter = option.substring("--kill-after=".length());
      } else if (option.equals("-k") && i < args.size()) {
        killAfter = args.get(i++);
      } else {
        return call.fail(FAILED, "invalid option '" + option + "'");
      }
    }
    if (args.size() - i < 2) {
      return call.fail(FAILED, "missing operand");
    }
    for (String interval : killAfter == null ? List.of(args.get(i)) : List.of(killAfter, args.get(i))) {
      if (interval(interval).isEmpty()) {
        return call.fail(FAILED, "invalid time interval '" + interval + "'");
      }
    }
    String name = args.get(i + 1);
    Optional<NodeCommand> command = commands.apply(name);
    if (command.isEmpty()) {
      return call.fail(NOT_FOUND, "failed to run command '" + name + "': No such file or directory");
    }
    Invocation inner = new Invocation(NodeCommands.baseName(name), args.subList(i + 2, args.size()),
        call.in(), call.out(), call.err());
    long kill = killAfter == null ? 0 : interval(killAfter).getAsLong();
    return runLimited(command.get(), inner, interval(args.get(i)).getAsLong(), kill == 0 ? -1 : kill);
  }

  private static OptionalLong interval(String text) {
    try {
      return OptionalLong.of(Basics.millis(text));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static int runLimited(NodeCommand command, Invocation call, long limit, long killAfter)
      throws IOException, InterruptedException {
    FutureTask<Integer> task = new FutureTask<>(() -> NodeShell.runGuarded(command, call));
    Thread worker = new Thread(task, "lab-node-timeout-" + call.name());
    worker.setDaemon(true);
    worker.start();
    try {
      return limit == 0 ? task.get() : task.get(limit, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      worker.interrupt();
      return awaitStopped(task, killAfter);
    } catch (ExecutionException e) {
      throw rethrown(e);
    } finally {
      // the channel was closed (or timeout ended otherwise): nothing may keep running
      worker.interrupt();
    }
  }

  /** After TERM: 124 once the command ended however it ends, 137 if --kill-after passed first. */
  private static int awaitStopped(FutureTask<Integer> task, long killAfter)
      throws InterruptedException {
    try {
      if (killAfter < 0) {
        task.get();
      } else {
        task.get(killAfter, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      // ended by the interrupt, as it should
    } catch (TimeoutException e) {
      return KILLED;
    }
    return TIMED_OUT;
  }

  private static IOException rethrown(ExecutionException e) throws InterruptedException {
    Throwable cause = e.getCause();
    if (cause instanceof InterruptedException interrupted) {
      throw interrupted;
    }
    if (cause instanceof IOException io) {
      return io;
    }
    if (cause instanceof UncheckedIOException unchecked) {
      return unchecked.getCause();
    }
    if (cause instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    throw new IllegalStateException(cause);
  }
}
