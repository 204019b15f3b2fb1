package io.lockstep.run;

import java.time.Instant;

/**
 * What a step changed, stored before it changed it.
 *
 * @param key the executor's key ({@code replicas/anyshare/Deployment/web})
 * @param step the step that recorded it, {@code phase.step}
 * @param value the original value as the executor wrote it; {@link #SECRET_VALUE} for a record of
 *     secret values (a whole Secret), which is never shown
 * @param recordedAt when
 * @param settledAt when the original was put back; null while it stands
 */
public record UndoRecord(String key, String step, String value, Instant recordedAt, Instant settledAt) {

  /** What a secret record shows instead of its value. */
  public static final String SECRET_VALUE = "(secret values: kept for restore, never shown)";
}
