package io.lockstep.run;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How far one part of a step has got (one data directory of a copy): shown as a progress bar on
 * the run page while the step runs.
 *
 * @param part the part's key, stable across reports ({@code kafka-0})
 * @param label what the part is, for people ({@code kafka #0 node-1 → node-4})
 * @param done bytes (or other units) done so far
 * @param total the total, 0 when not known yet
 * @param perSecond the current rate, 0 when not known
 * @param finished the part has ended (successfully or not)
 */
public record StepProgress(String part, String label, long done, long total, long perSecond, boolean finished) {

  public StepProgress {
    Objects.requireNonNull(part, "part");
    label = label == null ? part : label;
    done = Math.max(0, done);
    total = Math.max(0, total);
    perSecond = Math.max(0, perSecond);
  }

  /** Percent done, 0–100; 0 while the total is unknown, 100 once finished. */
  public int percent() {
    if (finished) {
      return 100;
    }
    return total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
  }

  /** Time left at the current rate, when both are known. */
  public Optional<Duration> eta() {
    if (finished || total <= 0 || perSecond <= 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Math.max(0, total - done) / perSecond));
  }
}
