package io.lockstep.procedure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a failed step is tried again: how many more times, how long to wait before each further
 * attempt, and the bound on the whole. A real component needs time (an etcd member elects a leader
 * within its election timeout, a kubelet reports Ready after it started), so a retry without a wait
 * tries again before anything could have changed.
 *
 * <p>The wait before attempt {@code n + 1} is {@code delay × backoff^(n-1)}, at most {@link
 * #MAX_WAIT}. No attempt starts later than {@code within} after the first one started: a schedule
 * whose next wait would pass it gives up instead, and says so.
 *
 * @param retries further attempts after the first, 0 to {@value Step#MAX_RETRIES}
 * @param delay the wait before the second attempt; longer than zero
 * @param backoff what each further wait is multiplied by, 1 (fixed waits) to {@value #MAX_BACKOFF}
 * @param within the longest time from the start of the first attempt to the start of the last;
 *     {@link #MAX_WITHIN} when the procedure states none: then only the number of attempts bounds
 *     the series (a bound of just the sum of the waits would cut off the last attempt, since the
 *     attempts themselves take time too)
 */
public record Retry(int retries, Duration delay, double backoff, Duration within) {

  /** The wait before the second attempt when the procedure states none. */
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(2);
  public static final double DEFAULT_BACKOFF = 2;
  public static final double MAX_BACKOFF = 10;
  /** No single wait is longer than this, whatever the backoff makes of it. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);
  /** No step keeps retrying for longer than this. */
  public static final Duration MAX_WITHIN = Duration.ofHours(2);

  /** A step that is not tried again. */
  public static final Retry NONE = new Retry(0, DEFAULT_DELAY, DEFAULT_BACKOFF, Duration.ZERO);

  public Retry {
    if (retries < 0 || retries > Step.MAX_RETRIES) {
      throw new IllegalArgumentException(retries + " retries; allowed are 0 to " + Step.MAX_RETRIES);
    }
    delay = delay == null ? DEFAULT_DELAY : delay;
    if (delay.isNegative() || delay.isZero() || delay.compareTo(MAX_WAIT) > 0) {
      throw new IllegalArgumentException("retry_delay must be longer than zero and at most " + Durations.format(MAX_WAIT));
    }
    if (!(backoff >= 1 && backoff <= MAX_BACKOFF)) {
      throw new IllegalArgumentException("retry_backoff must be between 1 and " + (int) MAX_BACKOFF + ", not " + backoff);
    }
    within = within == null ? (retries == 0 ? Duration.ZERO : MAX_WITHIN) : within;
    if (within.isNegative() || within.compareTo(MAX_WITHIN) > 0) {
      throw new IllegalArgumentException("retry_within must be at most " + Durations.format(MAX_WITHIN));
    }
    if (retries > 0 && within.compareTo(delay) < 0) {
      throw new IllegalArgumentException("retry_within (" + Durations.format(within)
          + ") is shorter than retry_delay (" + Durations.format(delay) + "): no retry could ever start");
    }
  }

  /** {@code retries} further attempts with the default waits. */
  public static Retry of(int retries) {
    return retries == 0 ? NONE : new Retry(retries, null, DEFAULT_BACKOFF, null);
  }

  /** How many attempts in all. */
  public int attempts() {
    return retries + 1;
  }

  /** The wait after failed attempt {@code attempt} (1-based) before the next one. */
  public Duration waitAfter(int attempt) {
    if (attempt < 1 || attempt > retries) {
      throw new IllegalArgumentException("attempt " + attempt + " is not followed by another (" + retries + " retries)");
    }
    double millis = delay.toMillis() * Math.pow(backoff, attempt - 1);
    return millis >= MAX_WAIT.toMillis() ? MAX_WAIT : Duration.ofMillis(Math.round(millis));
  }

  /**
   * Whether attempt {@code attempt + 1} may start after its wait, given that {@code elapsed} has
   * passed since the first attempt started.
   */
  public boolean mayRetryAfter(int attempt, Duration elapsed) {
    return attempt >= 1 && attempt <= retries && elapsed.plus(waitAfter(attempt)).compareTo(within) <= 0;
  }

  /** The waits between the attempts, in order: for previews and documentation. */
  public List<Duration> waits() {
    List<Duration> waits = new ArrayList<>();
    for (int attempt = 1; attempt <= retries; attempt++) {
      waits.add(waitAfter(attempt));
    }
    return waits;
  }

  /** "up to 6 attempts, waits 2s, 4s, 8s…, all within 1m"; empty for a step that is not retried. */
  public String describe() {
    if (retries == 0) {
      return "";
    }
    List<String> shown = waits().stream().limit(4).map(Durations::format).toList();
    return "up to " + attempts() + " attempts, waiting " + String.join(", ", shown)
        + (retries > 4 ? "…" : "") + " between them" + (within.compareTo(MAX_WITHIN) < 0
        ? ", all within " + Durations.format(within) : "");
  }
}
