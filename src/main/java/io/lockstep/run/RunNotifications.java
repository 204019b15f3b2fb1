package io.lockstep.run;

import java.time.Instant;

/**
 * Application events the engine publishes, after the change they report has committed, for
 * modules that tell people about runs (the webhook, the dashboard's live badge). They carry no
 * secret values.
 */
public final class RunNotifications {

  private RunNotifications() {}

  /**
   * A phase of a run waits for a second person's approval: the run reached it, or a plan edit
   * voided the approval it had.
   *
   * @param runId the run
   * @param procedureId the procedure's id
   * @param procedureName the procedure's name
   * @param phaseId the phase waiting
   * @param phaseName its name
   * @param requester who asked for the run (may not approve it)
   * @param planHash the plan version an approval must name
   * @param at when it started waiting
   */
  public record ApprovalWaiting(String runId, String procedureId, String procedureName, String phaseId,
      String phaseName, String requester, String planHash, Instant at) {}

  /**
   * A manual checkpoint of a run waits for an operator to tick its checklist and confirm it (any
   * operator may: the requester or another).
   *
   * @param runId the run
   * @param procedureId the procedure's id
   * @param procedureName the procedure's name
   * @param phaseId the phase
   * @param phaseName its name
   * @param step the step as {@code phase.step}
   * @param stepName its name
   * @param requester who asked for the run
   * @param checklist the items to tick (masked, as the run page shows them)
   * @param at when it started waiting
   */
  public record ChecklistWaiting(String runId, String procedureId, String procedureName, String phaseId,
      String phaseName, String step, String stepName, String requester, java.util.List<String> checklist,
      Instant at) {

    public ChecklistWaiting {
      checklist = checklist == null ? java.util.List.of() : java.util.List.copyOf(checklist);
    }
  }

  /**
   * A run stopped because a step failed (state FAILED) or needs a decision after a restart (state
   * NEEDS_DECISION).
   *
   * @param runId the run
   * @param procedureId the procedure's id
   * @param procedureName the procedure's name
   * @param state {@code FAILED} or {@code NEEDS_DECISION}
   * @param step the step as {@code phase.step}; null when no step was running
   * @param message why, as shown on the run page
   * @param at when
   */
  public record RunStopped(String runId, String procedureId, String procedureName, String state,
      String step, String message, Instant at) {}
}
