package io.lockstep.run;

import java.time.Instant;

/**
 * What a step changed, stored before it changed it.
 *
 * @param key the executor's key ({@code replicas/anyshare/Deployment/web})
 * @param step the step that recorded it, {@code phase.step}
 * @param value the original value as the executor wrote it
 * @param recordedAt when
 * @param settledAt when the original was put back; null while it stands
 */
public record UndoRecord(String key, String step, String value, Instant recordedAt, Instant settledAt) {}
