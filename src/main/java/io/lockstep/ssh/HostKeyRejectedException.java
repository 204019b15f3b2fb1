package io.lockstep.ssh;

/**
 * A node presented a host key that known_hosts does not vouch for: the key is unknown, changed or
 * revoked, or known_hosts could not be read. Nothing was sent to the node, not even a password.
 */
public class HostKeyRejectedException extends SshException {

  private static final long serialVersionUID = 1L;
  private final String fingerprint;

  public HostKeyRejectedException(String message, String fingerprint) {
    super(message);
    this.fingerprint = fingerprint;
  }

  /** The SHA256 fingerprint of the key the node presented ({@code SHA256:…}). */
  public String fingerprint() {
    return fingerprint;
  }
}
