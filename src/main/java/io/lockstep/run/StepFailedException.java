package io.lockstep.run;

/**
 * A step did not do what it should, for a reason the operator can act on: a node answered with an
 * exit status not expected, a workload has no recorded replicas, a pod blocks a drain. The message
 * is shown on the run page and written to the audit trail as it is, so it names what failed.
 */
public class StepFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public StepFailedException(String message) {
    super(message);
  }

  public StepFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
