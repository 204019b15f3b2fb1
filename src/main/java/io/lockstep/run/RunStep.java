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
 * @param attempt which attempt of its current series of automatic retries the last one was (1 for
 *     the first; 0 before any); a person's retry, a pause or a restart starts a new series
 * @param seriesStartedAt when the first attempt of the current series started: the retry bound
 *     ({@code retry_within}) counts from it; null before any
 * @param nextAttemptAt while the step waits between two attempts (PENDING): when the next one
 *     starts; null otherwise
 * @param overrideBy a guard that failed: the first approver who signed its override (a second one
 *     must sign before it is skipped); null when none signed
 * @param overrideReason that approver's reason; null when none signed
 */
public record RunStep(String runId, String phaseId, String stepId, int ordinal, State state, int attempts,
    Instant startedAt, Instant endedAt, String summary, String lastAction, String lastExit, List<String> checklist,
    int attempt, Instant seriesStartedAt, Instant nextAttemptAt, String overrideBy, String overrideReason) {

  /**
   * What it did, or why it failed or was skipped, in English (events, logs, tests); the engine's own
   * sentences are stored as a {@link RunMessage} that pages show in the reader's language ({@link
   * #said()}); an executor's summary is kept as it said it.
   */
  @Override
  public String summary() {
    return summary == null ? null : RunMessage.decode(summary).english();
  }

  /** The summary as a message key and arguments; null when there is none. */
  public RunMessage said() {
    return RunMessage.decode(summary);
  }

  /** The summary as stored. */
  String storedSummary() {
    return summary;
  }

  /** A step as stored before retries waited and guards were overridden. */
  public RunStep(String runId, String phaseId, String stepId, int ordinal, State state, int attempts,
      Instant startedAt, Instant endedAt, String summary, String lastAction, String lastExit, List<String> checklist) {
    this(runId, phaseId, stepId, ordinal, state, attempts, startedAt, endedAt, summary, lastAction, lastExit,
        checklist, 0, null, null, null, null);
  }

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

  /** Whether the step waits between two attempts of its series (PENDING, the next one timed). */
  public boolean waitingForNextAttempt() {
    return state == State.PENDING && nextAttemptAt != null;
  }

  /** The attempt the next start is: the next of the series while it waits for it, else the first of a new one. */
  int nextAttempt() {
    return waitingForNextAttempt() ? attempt + 1 : 1;
  }

  RunStep start(Instant at) {
    boolean goesOn = waitingForNextAttempt();
    return new RunStep(runId, phaseId, stepId, ordinal, State.RUNNING, attempts + 1, at, null, null, null, null,
        List.of(), goesOn ? attempt + 1 : 1, goesOn ? seriesStartedAt : at, null, null, null);
  }

  RunStep awaitConfirmation(List<String> items, Instant at) {
    return new RunStep(runId, phaseId, stepId, ordinal, State.WAITING, attempts + 1, at, null, null, null, null,
        items, 1, at, null, null, null);
  }

  /** The attempt failed; the next one of the series starts at {@code next}. */
  RunStep attemptFailed(String error, Instant at, Instant next) {
    return new RunStep(runId, phaseId, stepId, ordinal, State.PENDING, attempts, startedAt, at, error, lastAction,
        lastExit, List.of(), attempt, seriesStartedAt, next, null, null);
  }

  RunStep end(State to, String text, Instant at) {
    return new RunStep(runId, phaseId, stepId, ordinal, to, attempts, startedAt, at, text, lastAction, lastExit,
        List.of(), attempt, seriesStartedAt, null, null, null);
  }

  /** PENDING again, for a new series of attempts (no wait, no override signature). */
  RunStep reset() {
    return new RunStep(runId, phaseId, stepId, ordinal, State.PENDING, attempts, startedAt, endedAt, summary,
        lastAction, lastExit, List.of(), attempt, seriesStartedAt, null, null, null);
  }

  /** A first approver signed the override of this failed guard. */
  RunStep overrideSigned(String by, String reason) {
    return new RunStep(runId, phaseId, stepId, ordinal, state, attempts, startedAt, endedAt, summary, lastAction,
        lastExit, checklist, attempt, seriesStartedAt, nextAttemptAt, by, reason);
  }
}
