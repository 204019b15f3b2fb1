package io.lockstep.run;

import io.lockstep.procedure.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The maintenance-window clock of a run: how long the applications have been down, what the
 * downtime phases still to come are expected to take (their budgets, or a step's forecast for a
 * phase without one, such as the final copy), and whether that fits the window the plan agreed.
 *
 * @param windowSeconds the agreed window (the plan's {@code window} value); null when the procedure has none
 * @param downtimeSeconds wall-clock time since the first downtime phase started, up to now or to the
 *     end of the last one — approval waits between downtime phases count, since the applications are down
 * @param remainingSeconds what the downtime phases not yet finished are expected to take still
 * @param phases each downtime phase against its budget or forecast
 * @param unforecast downtime phases still to come with neither a budget nor a forecast: the
 *     projection is a lower bound while there are any
 * @param startedAt when the first downtime phase started; null before
 * @param ongoing the downtime goes on (started and not ended): the clock ticks
 * @param at when the figures were taken (the view's now)
 */
public record WindowClock(Long windowSeconds, long downtimeSeconds, long remainingSeconds, List<PhaseClock> phases,
    List<String> unforecast, Instant startedAt, boolean ongoing, Instant at) {

  /** Warn when the projection leaves less than this share of the window. */
  static final int WARN_PERCENT = 90;

  /**
   * One downtime phase on the clock.
   *
   * @param expectedSeconds the budget, or the forecast when there is no budget; null when neither
   * @param forecast whether {@code expectedSeconds} is a forecast measured by the run (not the seed's budget)
   */
  public record PhaseClock(String id, String name, RunPhase.State state, long usedSeconds, Long expectedSeconds,
      boolean forecast) {

    public String used() {
      return Durations.format(Duration.ofSeconds(usedSeconds));
    }

    public String expected() {
      return expectedSeconds == null ? null : Durations.format(Duration.ofSeconds(expectedSeconds));
    }

    public boolean over() {
      return expectedSeconds != null && usedSeconds > expectedSeconds;
    }
  }

  /** Downtime so far plus what is expected still. */
  public long projectedSeconds() {
    return downtimeSeconds + remainingSeconds;
  }

  public boolean hasWindow() {
    return windowSeconds != null && windowSeconds > 0;
  }

  /** The downtime so far is past the window. */
  public boolean exceeded() {
    return hasWindow() && downtimeSeconds > windowSeconds;
  }

  /** At the expected pace the downtime ends after the window. */
  public boolean projectedOver() {
    return hasWindow() && projectedSeconds() > windowSeconds;
  }

  /** The projection fits, but leaves less than a tenth of the window. */
  public boolean tight() {
    return hasWindow() && !projectedOver() && projectedSeconds() * 100 > windowSeconds * WARN_PERCENT;
  }

  /** Share of the window used so far, 0–100. */
  public int percentUsed() {
    return !hasWindow() ? 0 : (int) Math.min(100, downtimeSeconds * 100 / windowSeconds);
  }

  /** Share of the window the projection reaches, 0–100 (for the second bar). */
  public int percentProjected() {
    return !hasWindow() ? 0 : (int) Math.min(100, projectedSeconds() * 100 / windowSeconds);
  }

  public String window() {
    return hasWindow() ? Durations.format(Duration.ofSeconds(windowSeconds)) : null;
  }

  public String downtime() {
    return Durations.format(Duration.ofSeconds(downtimeSeconds));
  }

  public String remaining() {
    return Durations.format(Duration.ofSeconds(remainingSeconds));
  }

  public String projected() {
    return Durations.format(Duration.ofSeconds(projectedSeconds()));
  }

  /** By how much the projection passes the window, as {@code 25m}. */
  public String overBy() {
    return hasWindow() ? Durations.format(Duration.ofSeconds(Math.max(0, projectedSeconds() - windowSeconds))) : null;
  }

  /** When the window ends (start plus the agreed window); null before the downtime started or without a window. */
  public Instant endsAt() {
    return startedAt == null || !hasWindow() ? null : startedAt.plusSeconds(windowSeconds);
  }

  /** When the downtime is expected to end at the expected pace; null before it started. */
  public Instant forecastEnd() {
    return startedAt == null ? null : startedAt.plusSeconds(projectedSeconds());
  }

  /** A phase runs past what was expected of it (its budget or forecast): the projection is behind. */
  public boolean behind() {
    return phases.stream().anyMatch(p -> p.state() == RunPhase.State.RUNNING && p.over());
  }

  public String startedUtc() {
    return RunDetails.utc(startedAt);
  }

  public String endsUtc() {
    return RunDetails.utc(endsAt());
  }

  public String forecastEndUtc() {
    return RunDetails.utc(forecastEnd());
  }

  /** The clock ticks in the browser: the downtime goes on and the run has not ended. */
  public boolean ticking(Run run) {
    return ongoing && !run.isFinal();
  }
}
