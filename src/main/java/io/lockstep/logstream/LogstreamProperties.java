package io.lockstep.logstream;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How run logs are stored and streamed.
 *
 * @param tail how many of the latest lines a reader that names no {@code Last-Event-ID} starts with,
 *     and how many lines a log panel keeps in the page (older ones are trimmed there, never in the
 *     database; the full log is a download)
 * @param heartbeat how long a stream may stay silent before the console sends an SSE comment, so
 *     proxies keep the connection open and a vanished reader is noticed
 * @param subscriberQueue how many live lines may wait for one slow reader; a reader further behind is
 *     dropped and, reconnecting with its {@code Last-Event-ID}, catches up from the database. It
 *     never holds back the run or other readers
 * @param maxLineLength the longest line stored, in characters (at most 8000, the column's size); a
 *     longer line is cut and ends with a marker saying how much was cut
 */
@Validated
@ConfigurationProperties("lockstep.logstream")
public record LogstreamProperties(
    @DefaultValue("500") @Min(1) @Max(10_000) int tail,
    @DefaultValue("15s") @NotNull Duration heartbeat,
    @DefaultValue("2000") @Min(16) @Max(1_000_000) int subscriberQueue,
    @DefaultValue("8000") @Min(LineText.MIN_LENGTH) @Max(LineText.COLUMN_LENGTH) int maxLineLength) {

  public LogstreamProperties {
    if (heartbeat != null && (heartbeat.isNegative() || heartbeat.toMillis() < 100)) {
      throw new IllegalArgumentException("lockstep.logstream.heartbeat must be at least 100ms, got " + heartbeat);
    }
  }

  /** The defaults, for code that builds a run log by hand (tests, benchmarks). */
  public static LogstreamProperties defaults() {
    return new LogstreamProperties(500, Duration.ofSeconds(15), 2000, LineText.COLUMN_LENGTH);
  }
}
