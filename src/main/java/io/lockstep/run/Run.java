package io.lockstep.run;

import java.time.Instant;
import java.util.Set;

/**
 * A run of a plan, as stored: where it is and why.
 *
 * @param id e.g. {@code run-7}
 * @param planId the plan it runs (each phase runs the plan version current when it starts)
 * @param procedureId the plan's procedure
 * @param requester who asked for the run; never approves its phases
 * @param state where the run is
 * @param phaseId the phase it is at (waiting for approval or running); null before the first and after the last
 * @param stepId the step running or stopped at; null between steps
 * @param message why it waits or stopped, for people; null when there is nothing to say
 * @param pauseRequested an operator asked it to stop at the next step boundary
 * @param createdAt when requested
 * @param startedAt when its first phase started; null before
 * @param endedAt when it succeeded or was aborted; null before
 * @param updatedAt when its row last changed
 */
public record Run(String id, String planId, String procedureId, String requester, State state,
    String phaseId, String stepId, String message, boolean pauseRequested, Instant createdAt,
    Instant startedAt, Instant endedAt, Instant updatedAt) {

  /** The run's states. FAILED and NEEDS_DECISION wait for an operator: retry, skip or abort. */
  public enum State {
    CREATED, AWAITING_APPROVAL, RUNNING, PAUSED, NEEDS_DECISION, FAILED, SUCCEEDED, ABORTED;

    static final Set<State> FINAL = Set.of(SUCCEEDED, ABORTED);

    public boolean isFinal() {
      return FINAL.contains(this);
    }

    /** Stopped on a step, waiting for an operator's retry, skip or abort. */
    public boolean isStoppedOnStep() {
      return this == FAILED || this == NEEDS_DECISION;
    }
  }

  public boolean isFinal() {
    return state.isFinal();
  }

  /** When requested, as {@code 2026-11-28 22:01:05Z}. */
  public String createdAtUtc() {
    return RunDetails.utc(createdAt);
  }
}
