package io.lockstep.run;

import java.time.Instant;

/**
 * One attempt at an on-demand action of a run, as kept.
 *
 * @param id the attempt's number
 * @param action the action's id
 * @param actor who asked for it
 * @param state RUNNING, SUCCEEDED, FAILED or INTERRUPTED (by a console restart)
 * @param startedAt when it started
 * @param endedAt when it ended; null while it runs
 * @param summary what it did, or why it failed
 * @param lastAction the last command or API action one of its steps declared
 * @param lastExit the last exit statuses by node
 */
public record ActionRecord(long id, String action, String actor, String state, Instant startedAt, Instant endedAt,
    String summary, String lastAction, String lastExit) {

  public String startedUtc() {
    return RunDetails.utc(startedAt);
  }
}
