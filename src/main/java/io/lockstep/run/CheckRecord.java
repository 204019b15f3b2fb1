package io.lockstep.run;

import java.time.Instant;

/**
 * What one read-only check of a recovery action found when it last ran.
 *
 * @param action the recovery action's id
 * @param check the check's id
 * @param state {@code UP} (nothing of it is down), {@code DOWN} (it found something down) or
 *     {@code UNKNOWN} (it could not look: a node unreachable, the API down)
 * @param found what is down, or why it could not look, as the check said it (masked); null when up
 * @param checkedAt when
 */
public record CheckRecord(String action, String check, String state, String found, Instant checkedAt) {

  /** When, as {@code 2026-11-28 22:01:05Z}. */
  public String checkedUtc() {
    return RunDetails.utc(checkedAt);
  }
}
