package io.lockstep.sshsteps;

import io.lockstep.testing.InMemoryUndoRecords;
import io.lockstep.testing.RecordingStepContext;
import java.time.Duration;
import java.util.Map;

/** One attempt at an {@code ssh.exec} step. */
final class RecordingContext extends RecordingStepContext {

  RecordingContext(Map<String, Object> params, Duration timeout) {
    super("check.ssh-exec", params, timeout, new InMemoryUndoRecords());
  }
}
