package io.lockstep.lab.node;

import java.util.Optional;

/**
 * An rsync operand naming another machine: {@code [USER@]HOST:PATH}. As rsync decides, an operand
 * is remote when a colon comes before any slash. {@code HOST::MODULE} and {@code rsync://} name an
 * rsync daemon, which the lab does not run.
 */
record RemoteOperand(String user, String host, String path) {

  /** Thrown for the daemon forms. */
  static final class DaemonForm extends Exception {
    private static final long serialVersionUID = 1L;
  }

  static Optional<RemoteOperand> parse(String operand) throws DaemonForm {
    if (operand.startsWith("rsync://")) {
      throw new DaemonForm();
    }
    int colon = operand.indexOf(':');
    int slash = operand.indexOf('/');
    if (colon <= 0 || (slash >= 0 && slash < colon)) {
      return Optional.empty();
    }
    if (colon + 1 < operand.length() && operand.charAt(colon + 1) == ':') {
      throw new DaemonForm();
    }
    String hostPart = operand.substring(0, colon);
    int at = hostPart.lastIndexOf('@');
    String user = at < 0 ? "root" : hostPart.substring(0, at);
    return Optional.of(new RemoteOperand(user, hostPart.substring(at + 1), operand.substring(colon + 1)));
  }
}
