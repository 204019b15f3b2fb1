package io.lockstep.run;

import io.lockstep.logstream.LogLine;
import io.lockstep.procedure.Procedure;
import io.lockstep.system.Auditable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What happened to a run: the past-tense events that {@link Run}'s transitions return. Each is a
 * small record of ids and facts, published inside the transaction that stores the change. The
 * audit trail appends it in that transaction ({@link Auditable}); the live log stores its line in
 * that transaction ({@link #logLine()}); after commit the run's pages are told it changed and the
 * people who wait for something are notified ({@link RunNotifications}). Nothing here holds a
 * secret value: texts that come from executors are masked before they reach an event.
 */
public sealed interface RunEvent extends Auditable {

  @Override
  String runId();

  /** The line the run's live log gets for this event; null when it gets none. */
  default LogLine logLine() {
    return null;
  }

  /** A run was requested; its first phase will wait for approval. */
  record RunRequested(String actor, String runId, String procedureId, String procedureName, String procedureHash,
      String planId, int planVersion, String planHash) implements RunEvent {
    @Override
    public String auditType() {
      return "RUN_REQUESTED";
    }

    @Override
    public String summary() {
      return actor + " requested " + runId + " of " + procedureId + " with plan " + planId + " version " + planVersion
          + " " + shortHash(planHash);
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("plan", planId, "planVersion", planVersion, "planHash", planHash, "procedure", procedureId,
          "procedureHash", procedureHash);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Run " + runId + " of " + procedureName + " requested by " + actor + " (plan " + planId
          + " version " + planVersion + " " + shortHash(planHash) + ")");
    }
  }

  /** A phase waits for a second person's approval (the run reached it). */
  record PhaseAwaitingApproval(String runId, String phaseId) implements ByTheEngine {
    @Override
    public String auditType() {
      return "PHASE_AWAITING_APPROVAL";
    }

    @Override
    public String summary() {
      return "phase " + phaseId + " waits for approval";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId);
    }
  }

  /**
   * A phase under way stopped for approval of the plan's newer version: the plan was corrected
   * while the run was stopped in it, and the rest of the phase runs with what is approved.
   */
  record PhaseHeldForApproval(String runId, String phaseId, int runningVersion, int planVersion, String planHash)
      implements ByTheEngine {
    @Override
    public String auditType() {
      return "PHASE_AWAITING_APPROVAL";
    }

    @Override
    public String summary() {
      return "phase " + phaseId + " ran with plan version " + runningVersion + "; the plan is now version "
          + planVersion + " " + shortHash(planHash) + ", and the rest of the phase waits for its approval";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId, "runningVersion", runningVersion, "planVersion", planVersion,
          "planHash", planHash);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "The plan is now version " + planVersion + " " + shortHash(planHash) + ": the rest of"
          + " phase " + phaseId + " waits for a second person's approval of it.");
    }
  }

  /** A phase started with one plan version, approved for it. */
  record PhaseStarted(String runId, String phaseId, String phaseName, int planVersion, String planHash,
      String approvedBy) implements ByTheEngine {
    @Override
    public String auditType() {
      return "PHASE_STARTED";
    }

    @Override
    public String summary() {
      return "phase " + phaseId + " started with plan version " + planVersion + " " + shortHash(planHash)
          + ", approved by " + approvedBy;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId, "planVersion", planVersion, "planHash", planHash, "approvedBy", approvedBy);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Phase " + phaseId + " (" + phaseName + ") starts, approved by " + approvedBy
          + " for plan version " + planVersion + " " + shortHash(planHash));
    }
  }

  /** A phase under way goes on with a newer plan version, approved for it. */
  record PhaseContinued(String runId, String phaseId, int previousVersion, int planVersion, String planHash,
      String approvedBy) implements ByTheEngine {
    @Override
    public String auditType() {
      return "PHASE_CONTINUED";
    }

    @Override
    public String summary() {
      return "phase " + phaseId + " goes on with plan version " + planVersion + " " + shortHash(planHash)
          + " (it started with version " + previousVersion + "), approved by " + approvedBy;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId, "previousVersion", previousVersion, "planVersion", planVersion,
          "planHash", planHash, "approvedBy", approvedBy);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Phase " + phaseId + " goes on with plan version " + planVersion + " "
          + shortHash(planHash) + ", approved by " + approvedBy);
    }
  }

  /** Every step of a phase succeeded or was passed over. */
  record PhaseSucceeded(String runId, String phaseId) implements ByTheEngine {
    @Override
    public String auditType() {
      return "PHASE_ENDED";
    }

    @Override
    public String summary() {
      return "phase " + phaseId + " succeeded";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Phase " + phaseId + " succeeded.");
    }
  }

  /** The last phase succeeded: the run is done. */
  record RunSucceeded(String runId, String lastPhaseId) implements ByTheEngine {
    @Override
    public String auditType() {
      return "RUN_SUCCEEDED";
    }

    @Override
    public String summary() {
      return "run " + runId + " succeeded";
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Phase " + lastPhaseId + " succeeded. Run " + runId + " succeeded.");
    }
  }

  /** An attempt at a step started; its cancellation handle existed before. */
  record StepStarted(String runId, String step, String stepName, String type, int attempt, int attempts,
      boolean repeatable, String timeout) implements ByTheEngine {
    @Override
    public String auditType() {
      return "STEP_STARTED";
    }

    @Override
    public String summary() {
      return step + " (" + type + ") started" + (attempt > 1 ? ", attempt " + attempt + " of " + attempts : "");
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "type", type, "attempt", attempt, "repeatable", repeatable, "timeout", timeout);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "▶ " + stepName + " (" + type + (attempts > 1 ? ", attempt " + attempt + " of "
          + attempts : "") + ")");
    }
  }

  /** A manual checkpoint waits for an operator; nothing runs meanwhile. */
  record StepAwaitingConfirmation(String runId, String step, String instructions, List<String> checklist)
      implements ByTheEngine {
    @Override
    public String auditType() {
      return "STEP_WAITING";
    }

    @Override
    public String summary() {
      return step + " waits for an operator to confirm" + (checklist.isEmpty() ? ""
          : " (" + checklist.size() + " checklist items)");
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "checklist", String.join(" | ", checklist));
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "waiting for an operator to confirm: " + instructions);
    }
  }

  /** An operator confirmed a manual checkpoint, every checklist item ticked. */
  record StepConfirmed(String actor, String runId, String step, List<String> checklist) implements RunEvent {
    @Override
    public String auditType() {
      return "STEP_CONFIRMED";
    }

    @Override
    public String summary() {
      return actor + " confirmed " + step;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "checklist", String.join(" | ", checklist));
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "✔ confirmed by " + actor + (checklist.isEmpty() ? ""
          : " (" + checklist.size() + " items checked)"));
    }
  }

  /** An attempt at a step succeeded. */
  record StepSucceeded(String runId, String step, String stepName, long durationMs, String result,
      String exitStatus, String lastAction) implements ByTheEngine {
    @Override
    public String auditType() {
      return "STEP_SUCCEEDED";
    }

    @Override
    public String summary() {
      return step + " succeeded in " + durationMs + " ms: " + result;
    }

    @Override
    public Map<String, Object> details() {
      return endDetails(step, durationMs, "summary", result, exitStatus, lastAction);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "✔ " + stepName + ": " + result + " (" + durationMs + " ms)");
    }
  }

  /**
   * An attempt failed and another follows (the step has retries left, within its bound) after a
   * wait: {@code nextAttemptAt} is when it starts.
   *
   * @param attempts how many attempts the step may take in all; 0 when not known
   * @param waitMs the wait before the next attempt
   */
  record StepAttemptFailed(String runId, String step, String stepName, int attempt, int attempts, long durationMs,
      String error, java.time.Instant nextAttemptAt, long waitMs) implements ByTheEngine {
    @Override
    public String auditType() {
      return "STEP_ATTEMPT_FAILED";
    }

    @Override
    public String summary() {
      return step + " attempt " + attempt + of() + " failed: " + error + "; attempt " + (attempt + 1) + " starts at "
          + nextAttemptAt + " (in " + waitText() + ")";
    }

    private String of() {
      return attempts > 0 ? " of " + attempts : "";
    }

    private String waitText() {
      return io.lockstep.procedure.Durations.format(java.time.Duration.ofMillis(waitMs));
    }

    @Override
    public Map<String, Object> details() {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("step", step);
      details.put("attempt", attempt);
      details.put("attempts", attempts);
      details.put("durationMs", durationMs);
      details.put("error", error);
      details.put("nextAttemptAt", nextAttemptAt.toString());
      details.put("waitMs", waitMs);
      return details;
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "✘ " + stepName + " (attempt " + attempt + of() + "): " + error + " — attempt "
          + (attempt + 1) + " in " + waitText());
    }
  }

  /**
   * A first approver signed the override of a failed guard: the step stays failed until a second,
   * other approver signs too.
   */
  record GuardOverrideSigned(String actor, String runId, String step, String reason) implements RunEvent {
    @Override
    public String auditType() {
      return "GUARD_OVERRIDE_SIGNED";
    }

    @Override
    public String summary() {
      return "override of " + step + " signed by " + actor + " (" + reason + "); a second approver must sign";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "reason", reason);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "Override signed by " + actor + " (" + reason + "); a second approver must sign.");
    }
  }

  /** A plan edit voided the first signature on the override of a failed guard. */
  record GuardOverrideVoided(String actor, String runId, String step, String signer, String signerReason, String why)
      implements RunEvent {
    @Override
    public String auditType() {
      return "GUARD_OVERRIDE_VOIDED";
    }

    @Override
    public String summary() {
      return "override of " + step + " signed by " + signer + " voided: " + why + "; two approvers sign again";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "signer", signer, "signerReason", signerReason, "why", why);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "Override signed by " + signer + " voided: " + why + ". Two approvers sign again.");
    }
  }

  /** A second approver completed the override of a failed guard: the step is skipped. */
  record GuardOverridden(String actor, String runId, String step, String firstSigner, String firstReason,
      String reason, String previousState) implements RunEvent {
    @Override
    public String auditType() {
      return "GUARD_OVERRIDDEN";
    }

    @Override
    public String summary() {
      return "guard " + step + " overridden by " + firstSigner + " (" + firstReason + ") and " + actor + " (" + reason
          + "); it is skipped";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "firstSigner", firstSigner, "firstReason", firstReason, "reason", reason,
          "previousState", previousState);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "Guard overridden by " + firstSigner + " (" + firstReason + ") and " + actor + " ("
          + reason + "): skipped.");
    }
  }

  /** A step failed (its last attempt, or it could not start): the run stops for an operator. */
  record StepFailed(String runId, String step, String stepName, String error, String exitStatus, String lastAction)
      implements ByTheEngine {
    @Override
    public String auditType() {
      return "STEP_FAILED";
    }

    @Override
    public String summary() {
      return message();
    }

    /** The run's message while it waits for an operator. */
    public String message() {
      return "Step " + step + " failed: " + error;
    }

    @Override
    public Map<String, Object> details() {
      return endDetails(step, null, "error", error, exitStatus, lastAction);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "✘ " + stepName + ": " + error);
    }
  }

  /**
   * A phase is switched off by the plan (its {@code when} is false): not approved, not run. Once per
   * phase when the run is requested, by the system; again only when a plan edit switches it off.
   */
  record PhaseSkippedByPlan(String actor, String runId, String phaseId, String condition) implements RunEvent {
    @Override
    public String auditType() {
      return "PHASE_SKIPPED_BY_PLAN";
    }

    @Override
    public String summary() {
      return "phase " + phaseId + " skipped by the plan: " + condition + " is false";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId, "condition", String.valueOf(condition));
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Phase " + phaseId + " is skipped by the plan (" + condition + " is false).");
    }
  }

  /** A plan edit switched a phase the plan had switched off on again: it waits for approval when the run reaches it. */
  record PhaseSwitchedOn(String actor, String runId, String phaseId, String condition) implements RunEvent {
    @Override
    public String auditType() {
      return "PHASE_SWITCHED_ON";
    }

    @Override
    public String summary() {
      return "phase " + phaseId + " switched on by the plan: " + condition + " is true";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId, "condition", String.valueOf(condition));
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Phase " + phaseId + " is switched on by the plan (" + condition + " is true).");
    }
  }

  /** A step's {@code when} was false: it is passed over. */
  record StepNotRun(String runId, String step, String condition) implements ByTheEngine {
    @Override
    public String auditType() {
      return "STEP_NOT_RUN";
    }

    @Override
    public String summary() {
      return step + " not run: " + condition + " is false";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "Not run: " + condition + " is false.");
    }
  }

  /** The console restarted while a repeatable step ran: it runs again. */
  record StepResumed(String runId, String step, int attempts) implements ByTheEngine {
    @Override
    public String auditType() {
      return "STEP_RESUMED";
    }

    @Override
    public String summary() {
      return "the console restarted while " + step + " was running; it is repeatable and runs again";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "attempts", attempts);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "The console restarted while this step was running. It is repeatable, so it runs again.");
    }
  }

  /**
   * The console restarted while a step that is not repeatable ran: the run waits for a person's
   * decision, showing what the step was doing as far as it was recorded.
   */
  record StepInterrupted(String runId, String step, String lastAction, String lastExit, String message)
      implements ByTheEngine {
    @Override
    public String auditType() {
      return "RUN_NEEDS_DECISION";
    }

    @Override
    public String summary() {
      return message;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "lastAction", lastAction, "lastExit", lastExit);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, message);
    }
  }

  /** An operator asked the run to pause; it pauses now unless a step is under way. */
  record PauseRequested(String actor, String runId, boolean pausedNow) implements RunEvent {
    @Override
    public String auditType() {
      return "RUN_PAUSE_REQUESTED";
    }

    @Override
    public String summary() {
      return actor + " paused " + runId;
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, pausedNow ? "Run paused by " + actor + "."
          : actor + " asked the run to pause at the next step boundary.");
    }
  }

  /** The run paused at a boundary, as asked. */
  record RunPaused(String runId, String why) implements ByTheEngine {
    @Override
    public String auditType() {
      return "RUN_PAUSED";
    }

    @Override
    public String summary() {
      return why;
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Run paused: " + why + ".");
    }
  }

  /** An operator let a paused run go on (or withdrew a pause not yet reached). */
  record RunResumed(String actor, String runId) implements RunEvent {
    @Override
    public String auditType() {
      return "RUN_RESUMED";
    }

    @Override
    public String summary() {
      return actor + " resumed " + runId;
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Run resumed by " + actor + ".");
    }
  }

  /** An operator ended the run for good; the step under way, if any, is stopped. */
  record RunAborted(String actor, String runId, String reason, String previousState, String step)
      implements RunEvent {
    @Override
    public String auditType() {
      return "RUN_ABORTED";
    }

    @Override
    public String summary() {
      return actor + " aborted " + runId + why();
    }

    private String why() {
      return reason == null || reason.isBlank() ? "" : ": " + reason;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("state", previousState, "step", step == null ? "" : step);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Run aborted by " + actor + why() + ".");
    }
  }

  /** An operator runs a failed or interrupted step again. */
  record StepRetried(String actor, String runId, String step, String previousState) implements RunEvent {
    @Override
    public String auditType() {
      return "STEP_RETRY";
    }

    @Override
    public String summary() {
      return actor + " retries " + step + " (it was " + previousState + ")";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "previousState", previousState);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, actor + " retries this step.");
    }
  }

  /** An approver skipped a failed or interrupted step, with a reason. */
  record StepSkipped(String actor, String runId, String step, String reason, String previousState)
      implements RunEvent {
    @Override
    public String auditType() {
      return "STEP_SKIPPED";
    }

    @Override
    public String summary() {
      return actor + " skipped " + step + ": " + reason;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("step", step, "reason", reason, "previousState", previousState);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(step, "Skipped by " + actor + ": " + reason);
    }
  }

  /** The engine could not move the run on (its procedure is gone, a phase cannot be read). */
  record RunFailed(String runId, String why) implements ByTheEngine {
    @Override
    public String auditType() {
      return "RUN_FAILED";
    }

    @Override
    public String summary() {
      return why;
    }

    @Override
    public LogLine logLine() {
      return LogLine.err(null, null, "✘ " + why);
    }
  }

  /** An approver approved or rejected a phase for one plan version. */
  record PhaseDecided(String actor, String runId, String phaseId, Approval.Decision decision, int planVersion,
      String planHash, String comment) implements RunEvent {
    @Override
    public String auditType() {
      return decision == Approval.Decision.APPROVED ? "PHASE_APPROVED" : "PHASE_REJECTED";
    }

    private String verb() {
      return decision == Approval.Decision.APPROVED ? "approved" : "rejected";
    }

    @Override
    public String summary() {
      return actor + " " + verb() + " phase " + phaseId + " for plan version " + planVersion + " "
          + shortHash(planHash) + (comment.isEmpty() ? "" : ": " + comment);
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("phase", phaseId, "planHash", planHash, "planVersion", planVersion, "comment", comment);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(null, "Phase " + phaseId + " " + verb() + " by " + actor + (comment.isEmpty() ? ""
          : ": " + comment));
    }
  }

  /** Someone started an on-demand action of the stopped run. */
  record ActionStarted(String actor, String runId, String action, String actionName, String runState)
      implements RunEvent {
    @Override
    public String auditType() {
      return "ACTION_REQUESTED";
    }

    @Override
    public String summary() {
      return actor + " runs the action " + action + " while the run is " + runState;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("action", action, "runState", runState);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(Procedure.ACTIONS + "." + action, "▶ " + actionName + ", asked for by " + actor);
    }
  }

  /** The action did all it does. */
  record ActionSucceeded(String actor, String runId, String action, String result) implements RunEvent {
    @Override
    public String auditType() {
      return "ACTION_SUCCEEDED";
    }

    @Override
    public String summary() {
      return Procedure.ACTIONS + "." + action + " succeeded: " + result;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("action", Procedure.ACTIONS + "." + action, "result", result);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(Procedure.ACTIONS + "." + action, "✔ " + result);
    }
  }

  /** The action failed; what it did before stays done, what is left is said. */
  record ActionFailed(String actor, String runId, String action, String error) implements RunEvent {
    @Override
    public String auditType() {
      return "ACTION_FAILED";
    }

    @Override
    public String summary() {
      return Procedure.ACTIONS + "." + action + " failed: " + error;
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("action", Procedure.ACTIONS + "." + action, "result", error);
    }

    @Override
    public LogLine logLine() {
      return LogLine.err(Procedure.ACTIONS + "." + action, null, "✘ " + error);
    }
  }

  /** The console stopped while an action ran; a person may run it again. */
  record ActionInterrupted(String runId, String action) implements ByTheEngine {
    @Override
    public String auditType() {
      return "ACTION_INTERRUPTED";
    }

    @Override
    public String summary() {
      return "the console stopped while the action " + action + " ran; run it again if what it does is still needed";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("action", Procedure.ACTIONS + "." + action);
    }

    @Override
    public LogLine logLine() {
      return LogLine.sys(Procedure.ACTIONS + "." + action, "The console stopped while this action ran. Run it again"
          + " if what it does is still needed.");
    }
  }

  /** The actor of the engine's own moves. */
  String SYSTEM = "system";

  /** An event of a move the engine made by itself (no person asked for it): its actor is {@value #SYSTEM}. */
  sealed interface ByTheEngine extends RunEvent {
    @Override
    default String actor() {
      return SYSTEM;
    }
  }

  private static String shortHash(String hash) {
    return hash == null ? "" : hash.substring(0, Math.min(12, hash.length()));
  }

  private static Map<String, Object> endDetails(String step, Long durationMs, String resultKey, String result,
      String exitStatus, String lastAction) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("step", step);
    if (durationMs != null) {
      details.put("durationMs", durationMs);
    }
    details.put(resultKey, result);
    if (exitStatus != null) {
      details.put("exitStatus", exitStatus);
    }
    if (lastAction != null) {
      details.put("lastAction", lastAction);
    }
    return details;
  }
}
