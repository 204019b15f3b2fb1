package io.lockstep.ssh;

import java.time.Duration;

/**
 * How a remote command ended.
 *
 * @param exitStatus the exit status the node reported; 0 means success (a command that ends
 *     without one, killed by a signal, makes {@link NodeShell#exec} throw instead)
 * @param took from the start of the command (its channel open) until the node closed its channel
 */
public record ExecResult(int exitStatus, Duration took) {

  /** The command exited with status 0. */
  public boolean succeeded() {
    return exitStatus == 0;
  }
}
