package io.lockstep.run;

/**
 * Why a request about plans and runs was refused; the message says it so a person understands and
 * nothing was changed. The REST API answers these as RFC 9457 problems (404, 403, 409), the pages
 * show the message.
 */
public abstract sealed class RunException extends RuntimeException
    permits RunException.NotFound, RunException.NotAllowed, RunException.ActionFailed, RunException.Conflict {

  private static final long serialVersionUID = 1L;

  RunException(String message) {
    super(message);
  }

  /** No such plan, run, phase or step. */
  public static final class NotFound extends RunException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }

  /** The actor may not do this: a role is missing or four-eyes forbids it. */
  public static final class NotAllowed extends RunException {
    private static final long serialVersionUID = 1L;

    NotAllowed(String message) {
      super(message);
    }
  }

  /**
   * It was tried and it failed: an on-demand action ran and one of its steps failed on the
   * platform. What it did before stays done; the message says what failed and what was done.
   */
  public static final class ActionFailed extends RunException {
    private static final long serialVersionUID = 1L;

    ActionFailed(String message) {
      super(message);
    }
  }

  /** Not now: the run or plan is in a state where this cannot happen, or it changed meanwhile. */
  public static final class Conflict extends RunException {
    private static final long serialVersionUID = 1L;

    Conflict(String message) {
      super(message);
    }
  }
}
