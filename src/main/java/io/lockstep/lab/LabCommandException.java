package io.lockstep.lab;

/** A lab command failed the way the real tool fails: a message for stderr and an exit status. */
public class LabCommandException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int exitStatus;

  public LabCommandException(String message, int exitStatus) {
    super(message);
    this.exitStatus = exitStatus;
  }

  public int exitStatus() {
    return exitStatus;
  }
}
