package io.lockstep.kubesteps;

import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.time.Duration;
import java.util.Map;

/** One attempt at a Kubernetes step; {@link #next} and {@link #rerun} are later attempts of the same run. */
final class RecordingContext extends RecordingStepContext {

  RecordingContext(Map<String, Object> params) {
    this(params, Duration.ofSeconds(30));
  }

  RecordingContext(Map<String, Object> params, Duration timeout) {
    this(params, timeout, new InMemoryUndoRecords());
  }

  private RecordingContext(Map<String, Object> params, Duration timeout, InMemoryUndoRecords undo) {
    super("maintenance.kube-step", params, timeout, undo);
  }

  /** Another attempt in the same run, with these params. */
  RecordingContext next(Map<String, Object> nextParams) {
    return new RecordingContext(nextParams, timeout(), records());
  }

  /** The same step again in the same run (after a crash or a retry). */
  RecordingContext rerun() {
    return next(params());
  }
}
