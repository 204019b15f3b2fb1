package io.lockstep.ssh;

/**
 * Something took longer than allowed: a login longer than {@code auth-timeout}, or a command
 * longer than its timeout, in which case its channel was closed to stop it. The message names the
 * node, the command (secrets masked) and the timeout.
 */
public class SshTimeoutException extends SshException {

  private static final long serialVersionUID = 1L;

  public SshTimeoutException(String message) {
    super(message);
  }
}
