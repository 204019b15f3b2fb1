package io.lockstep.sshsteps;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the step's command went on one node.
 *
 * @param node the node
 * @param status the exit status the node reported; null when there is none (the node could not be
 *     reached, the connection broke, the console stopped the command)
 * @param problem null when the command ran and exited on its own; otherwise what went wrong, in
 *     words for the operator (the command was stopped for running out of time, the node could not
 *     be reached); never contains the command's arguments
 */
record NodeResult(String node, @Nullable Integer status, @Nullable String problem) {

  static NodeResult exited(String node, int status) {
    return new NodeResult(node, status, null);
  }

  static NodeResult failed(String node, @Nullable Integer status, String problem) {
    return new NodeResult(node, status, problem);
  }

  /** The command ran to its end with one of the expected statuses. */
  boolean succeeded(Set<Integer> expectExit) {
    return problem == null && status != null && expectExit.contains(status);
  }

  /** For a failure message: {@code node-2 exit 1}, {@code node-5: cannot connect to …}. */
  String described() {
    return problem == null ? node + " exit " + status : node + ": " + problem;
  }
}
