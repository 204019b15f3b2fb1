package io.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;

/** Commands on the lab's Proton nodes ({@code node-N} at {@code 127.0.10.N}) over SSH, as a test checks a node. */
public final class LabNodeShell {

  private final NodeShell shell;

  public LabNodeShell(NodeShell shell) {
    this.shell = shell;
  }

  /** Runs {@code argv} on {@code node}, expects exit {@code status}, returns its standard output. */
  public String run(String node, int status, String... argv) {
    StringBuilder out = new StringBuilder();
    ExecResult result = shell.exec(shell.target(node, "127.0.10." + node.substring(node.indexOf('-') + 1)),
        RemoteCommand.of(argv), Duration.ofSeconds(30), (stream, line) -> {
          if (stream == OutputListener.Stream.STDOUT) {
            out.append(line).append('\n');
          }
        });
    assertThat(result.exitStatus()).as(String.join(" ", argv) + " on " + node + ": " + out).isEqualTo(status);
    return out.toString();
  }
}
