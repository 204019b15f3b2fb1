package io.lockstep.vmsteps;

import io.lockstep.run.StepContext;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a wait still waits for, written to the run's log at most every {@link #EVERY} (the first
 * time at once when asked), so a poll each second does not flood the log.
 */
final class WaitLog {

  static final Duration EVERY = Duration.ofSeconds(10);

  private final StepContext context;
  private long said;

  /** @param atOnce whether the first report goes out at once, or only after {@link #EVERY} */
  WaitLog(StepContext context, boolean atOnce) {
    this.context = context;
    this.said = atOnce ? 0 : System.nanoTime();
  }

  void say(Supplier<String> text) {
    if (said == 0 || System.nanoTime() - said >= EVERY.toNanos()) {
      context.info(text.get());
      said = System.nanoTime();
    }
  }
}
