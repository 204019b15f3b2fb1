package io.lockstep.run;

/**
 * Why a request about plans and runs was refused; the message says it so a person understands and
 * nothing was changed. The REST API answers these as RFC 9457 problems (404, 403, 409), the pages
 * show the message.
 */
public abstract sealed class RunException extends RuntimeException
    permits RunException.NotFound, RunException.NotAllowed, RunException.ActionFailed, RunException.Conflict {

  private static final long serialVersionUID = 1L;
  /** The refusal as a key and arguments, for a page in the reader's language; null when only English. */
  private final transient RunMessage said;

  RunException(String message) {
    this(message, null);
  }

  /**
   * @param message the refusal in English: the API's detail, the audit trail's REFUSED row, the log
   * @param said the same refusal as a message key ({@code run.refusal.*}) and arguments, for pages
   */
  RunException(String message, RunMessage said) {
    super(message);
    this.said = said;
  }

  /** The refusal as a key and arguments, to show in a reader's language; null when it has none. */
  public RunMessage said() {
    return said;
  }

  /** No such plan, run, phase or step. */
  public static final class NotFound extends RunException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }

    NotFound(String message, RunMessage said) {
      super(message, said);
    }
  }

  /** The actor may not do this: a role is missing or four-eyes forbids it. */
  public static final class NotAllowed extends RunException {
    private static final long serialVersionUID = 1L;

    NotAllowed(String message) {
      super(message);
    }

    NotAllowed(String message, RunMessage said) {
      super(message, said);
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

    ActionFailed(String message, RunMessage said) {
      super(message, said);
    }
  }

  /** Not now: the run or plan is in a state where this cannot happen, or it changed meanwhile. */
  public static final class Conflict extends RunException {
    private static final long serialVersionUID = 1L;

    Conflict(String message) {
      super(message);
    }

    Conflict(String message, RunMessage said) {
      super(message, said);
    }
  }
}
