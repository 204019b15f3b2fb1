package io.lockstep.ssh;

/**
 * Reaching a node or running a command on it failed. The message names the node and says why; it
 * never contains a password, a passphrase or a secret command argument.
 *
 * <p>Unchecked, like Spring's data access exceptions: a caller cannot do much about a broken
 * connection except report it, and the run engine turns any of these into a failed step.
 */
public class SshException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SshException(String message) {
    super(message);
  }

  public SshException(String message, Throwable cause) {
    super(message, cause);
  }
}
