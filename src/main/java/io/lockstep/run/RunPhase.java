package io.lockstep.run;

import java.time.Duration;
import java.time.Instant;

/**
 * A phase of a run, as stored. Immutable; the {@link Run} aggregate replaces it when it moves.
 *
 * @param runId the run
 * @param phaseId the procedure's phase id
 * @param ordinal 0 for the first phase
 * @param state where the phase is
 * @param requestedBy the operator who asked for the phase (the run's requester); may not approve it
 * @param planVersion the plan version the phase runs with; null before it started. A phase under
 *     way moves to a newer version only when that version is approved for it.
 * @param planHash that version's hash; null before it started
 * @param startedAt when it started; null before
 * @param endedAt when it ended; null before
 */
public record RunPhase(String runId, String phaseId, int ordinal, State state, String requestedBy,
    Integer planVersion, String planHash, Instant startedAt, Instant endedAt) {

  /**
   * SKIPPED: switched off by the plan (the phase's {@code when} is false for the plan's values): it
   * is not approved, not run and not counted; a plan edit that switches it on before the run
   * reaches it makes it PENDING again.
   */
  public enum State { PENDING, RUNNING, SUCCEEDED, ABORTED, SKIPPED }

  /** Switched off by the plan: the run passes it. */
  public boolean skipped() {
    return state == State.SKIPPED;
  }

  /** Time used so far (up to {@code now} while running); zero before it started. */
  public Duration used(Instant now) {
    if (startedAt == null) {
      return Duration.ZERO;
    }
    return Duration.between(startedAt, endedAt == null ? now : endedAt);
  }

  RunPhase start(int version, String hash, Instant at) {
    return new RunPhase(runId, phaseId, ordinal, State.RUNNING, requestedBy, version, hash, at, null);
  }

  RunPhase withPlan(int version, String hash) {
    return new RunPhase(runId, phaseId, ordinal, state, requestedBy, version, hash, startedAt, endedAt);
  }

  /** A phase not started is switched off by the plan ({@code SKIPPED}) or on again ({@code PENDING}). */
  RunPhase switchedTo(State to) {
    return new RunPhase(runId, phaseId, ordinal, to, requestedBy, null, null, null, null);
  }

  RunPhase end(State to, Instant at) {
    return new RunPhase(runId, phaseId, ordinal, to, requestedBy, planVersion, planHash, startedAt, at);
  }
}
