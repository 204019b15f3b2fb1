package io.lockstep.lab.node;

/**
 * A command named a path that would leave the node's sandbox (through {@code ..} or a symbolic
 * link). The lab refuses such paths instead of clamping them, so a wrong path in a procedure shows
 * up as an error rather than silently touching another directory.
 */
final class SandboxException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  SandboxException(String nodePath) {
    super(nodePath + ": path leaves the node's filesystem (refused by the lab)");
  }
}
