package io.lockstep.logstream.bench;

import java.util.Arrays;

/** Durations in nanoseconds, summarised as percentiles in milliseconds. */
final class Latencies {

  private long[] values = new long[1024];
  private int size;
  private boolean sorted;

  synchronized void add(long nanos) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = nanos;
    sorted = false;
  }

  synchronized int size() {
    return size;
  }

  /** The {@code p}th percentile (0–100) in ms, nearest rank. */
  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    if (!sorted) {
      Arrays.sort(values, 0, size);
      sorted = true;
    }
    int rank = (int) Math.ceil(p / 100.0 * size);
    return values[Math.max(0, Math.min(size - 1, rank - 1))] / 1_000_000.0;
  }

  String summary() {
    return String.format("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%,d samples)",
        percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(100), size());
  }
}
