package io.lockstep.migration;

/**
 * The outcome of one measurement over SSH: still running, a value, or why there is none.
 *
 * @param <T> what was measured
 * @param value the value when done; null otherwise
 * @param failure why there is no value, in words an operator can act on; null when done or pending
 */
record Measured<T>(State state, T value, String failure) {

  enum State {
    PENDING,
    DONE,
    FAILED
  }

  static <T> Measured<T> pending() {
    return new Measured<>(State.PENDING, null, null);
  }

  static <T> Measured<T> done(T value) {
    return new Measured<>(State.DONE, value, null);
  }

  static <T> Measured<T> failed(String failure) {
    return new Measured<>(State.FAILED, null, failure);
  }

  boolean isDone() {
    return state == State.DONE;
  }

  boolean isPending() {
    return state == State.PENDING;
  }
}
