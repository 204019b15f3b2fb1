package io.lockstep.ssh;

import java.time.Duration;

/** A point in time (on the monotonic clock) by which something must be done. */
record Deadline(long nanos) {

  static Deadline after(Duration timeout) {
    return new Deadline(System.nanoTime() + timeout.toNanos());
  }

  long remainingNanos() {
    return nanos - System.nanoTime();
  }

  boolean passed() {
    return remainingNanos() <= 0;
  }

  /** The time left, but no more than {@code cap}; zero once passed. */
  Duration remaining(Duration cap) {
    long left = Math.max(0, remainingNanos());
    return left < cap.toNanos() ? Duration.ofNanos(left) : cap;
  }
}
