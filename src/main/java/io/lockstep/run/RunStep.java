package io.lockstep.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A step of a run, as stored: its state and what is known of its last attempt. Immutable; the
 * {@link Run} aggregate replaces it through the methods below when it moves.
 *
 * @param runId the run
 * @param phaseId the phase
 * @param stepId the step id within the phase
 * @param ordinal position in the whole procedure, 0 first
 * @param state where it is
 * @param attempts how many times it was started
 * @param startedAt when the last attempt started
 * @param endedAt when it ended
 * @param summary what the executor said it did, or why it failed or was skipped
 * @param lastAction the last command or API action it declared (after a crash: what was under way)
 * @param lastExit the last exit statuses by node ({@code node-1=0 node-2=3})
 * @param checklist a manual checkpoint's items to tick, kept while it waits; empty otherwise
 */
public record RunStep(String runId, String phaseId, String stepId, int ordinal, State state, int attempts,
    Instant startedAt, Instant endedAt, String summary, String lastAction, String lastExit, List<String> checklist) {

  /**
   * PENDING: not started (or between attempts); RUNNING: an attempt is under way; WAITING: a manual
   * checkpoint waits for an operator (no thread holds it; a restart keeps it waiting);
   * INTERRUPTED: the console stopped while it ran and it is not repeatable.
   */
  public enum State { PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, SKIPPED, INTERRUPTED, ABORTED }

  public RunStep {
    checklist = checklist == null ? List.of() : List.copyOf(checklist);
  }

  /** A step not started. */
  static RunStep pending(String runId, String phaseId, String stepId, int ordinal) {
    return new RunStep(runId, phaseId, stepId, ordinal, State.PENDING, 0, null, null, null, null, null, List.of());
  }

  /** {@code phase.step}. */
  public String key() {
    return phaseId + "." + stepId;
  }

  /** RUNNING or WAITING: the run is inside this step. */
  public boolean underWay() {
    return state == State.RUNNING || state == State.WAITING;
  }

  public Duration took(Instant now) {
    if (startedAt == null) {
      return Duration.ZERO;
    }
    return Duration.between(startedAt, endedAt == null ? now : endedAt);
  }

  RunStep start(Instant at) {
    return new RunStep(runId, phaseId, stepId, ordinal, State.RUNNING, attempts + 1, at, null, null, null, null,
        List.of());
  }

  RunStep awaitConfirmation(List<String> items, Instant at) {
    return new RunStep(runId, phaseId, stepId, ordinal, State.WAITING, attempts + 1, at, null, null, null, null,
        items);
  }

  RunStep attemptFailed(String error, Instant at) {
    return new RunStep(runId, phaseId, stepId, ordinal, State.PENDING, attempts, startedAt, at, error, lastAction,
        lastExit, List.of());
  }

  RunStep end(State to, String text, Instant at) {
    return new RunStep(runId, phaseId, stepId, ordinal, to, attempts, startedAt, at, text, lastAction, lastExit,
        List.of());
  }

  RunStep reset() {
    return new RunStep(runId, phaseId, stepId, ordinal, State.PENDING, attempts, startedAt, endedAt, summary,
        lastAction, lastExit, List.of());
  }
}
