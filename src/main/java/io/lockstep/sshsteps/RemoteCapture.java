package io.lockstep.sshsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshException;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Runs a command on a node or host for an executor that reads what it prints (etcdctl's health,
 * fleet's units, gluster's clients): declares it to the run, runs it, records its exit status and
 * keeps its output. The output goes to the run's log only as the executor chooses.
 */
@Component
public class RemoteCapture {

  private final NodeShell shell;
  private final NodeAddresses addresses;

  public RemoteCapture(NodeShell shell, NodeAddresses addresses) {
    this.shell = shell;
    this.addresses = addresses;
  }

  /**
   * How a command went.
   *
   * @param status the exit status; -1 when it could not be run (see {@code problem})
   * @param problem why it could not be run; null when it ran
   */
  public record Output(String node, int status, String out, String err, String problem) {

    public boolean ran() {
      return problem == null;
    }

    public List<String> outLines() {
      return out.lines().toList();
    }

    /** {@code exit 1: <last error line>}, or why it did not run. */
    public String described() {
      if (problem != null) {
        return problem;
      }
      String last = err.strip().lines().reduce((a, b) -> b).orElse("");
      return "exit " + status + (last.isEmpty() ? "" : ": " + last);
    }

    /** This output when the command exited 0; otherwise a failure saying what {@code doing} met. */
    public Output required(String doing) {
      if (status != 0) {
        throw new StepFailedException(doing + " on " + node + " failed: " + described());
      }
      return this;
    }
  }

  /** The configured host at {@code address} (a machine outside the cluster), if one is. */
  public java.util.Optional<String> hostAt(String address) {
    return addresses.configuredHostAt(address);
  }

  /** The node known to be at {@code address} ({@link NodeAddresses#nodeAt}), if one is. */
  public java.util.Optional<String> nodeAt(String address) {
    return addresses.nodeAt(address);
  }

  /** The address of {@code node}, as {@link NodeAddresses} finds it. */
  public String hostOf(String node) {
    return addresses.hostOf(node);
  }

  /**
   * Runs {@code command} on {@code node}.
   *
   * @throws InterruptedException the step was ended; the command was stopped
   * @throws StepFailedException the node's address cannot be found
   */
  public Output run(StepContext context, String node, RemoteCommand command, Duration timeout)
      throws InterruptedException {
    context.action(node, command.toString());
    return look(context, node, command, timeout);
  }

  /**
   * Runs a command that only reads (a status a wait polls every second), without declaring it to
   * the run as an action: waits would otherwise fill the audit trail with their polls.
   */
  public Output look(StepContext context, String node, RemoteCommand command, Duration timeout)
      throws InterruptedException {
    String host = addresses.hostOf(node);
    StringBuilder out = new StringBuilder();
    StringBuilder err = new StringBuilder();
    OutputListener listener = (stream, line) -> {
      synchronized (out) {
        (stream == OutputListener.Stream.STDOUT ? out : err).append(line).append('\n');
      }
    };
    try {
      ExecResult result = shell.exec(shell.target(node, host), command, timeout, listener);
      context.exitStatus(node, result.exitStatus());
      synchronized (out) {
        return new Output(node, result.exitStatus(), out.toString(), err.toString(), null);
      }
    } catch (SshException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("the command on " + node + " was interrupted and stopped");
      }
      return new Output(node, -1, "", "", String.valueOf(e.getMessage()));
    }
  }
}
