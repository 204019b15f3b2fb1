package io.lockstep.run;

import java.time.Duration;
import java.time.Instant;

/**
 * A step of a run, as stored: its state and what is known of its last attempt.
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
 */
public record RunStep(String runId, String phaseId, String stepId, int ordinal, State state, int attempts,
    Instant startedAt, Instant endedAt, String summary, String lastAction, String lastExit) {

  /**
   * PENDING: not started; RUNNING: under way; WAITING: a manual checkpoint waits for an operator;
   * INTERRUPTED: the console stopped while it ran and it is not repeatable.
   */
  public enum State { PENDING, RUNNING, WAITING, SUCCEEDED, FAILED, SKIPPED, INTERRUPTED, ABORTED }

  /** {@code phase.step}. */
  public String key() {
    return phaseId + "." + stepId;
  }

  public Duration took(Instant now) {
    if (startedAt == null) {
      return Duration.ZERO;
    }
    return Duration.between(startedAt, endedAt == null ? now : endedAt);
  }
}
