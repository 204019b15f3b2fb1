package io.lockstep.ssh;

/**
 * The node's host key was accepted but the node refused every configured credential:
 * {@code root@node-4: authentication failed (publickey,password)}.
 */
public class SshAuthenticationException extends SshException {

  private static final long serialVersionUID = 1L;
  private final String fingerprint;

  public SshAuthenticationException(String message, String fingerprint) {
    super(message);
    this.fingerprint = fingerprint;
  }

  /** The SHA256 fingerprint of the (accepted) host key the node presented. */
  public String fingerprint() {
    return fingerprint;
  }
}
