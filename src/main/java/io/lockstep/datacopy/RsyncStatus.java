package io.lockstep.datacopy;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What rsync's exit statuses (and those of the {@code timeout} around it) mean, for messages. */
final class RsyncStatus {

  /** "Partial transfer because of vanished source files": normal while services still write. */
  static final int VANISHED = 24;

  private static final Map<Integer, String> MEANINGS = Map.ofEntries(
      Map.entry(1, "syntax or usage error"),
      Map.entry(2, "protocol incompatibility"),
      Map.entry(3, "errors selecting input/output files or directories"),
      Map.entry(5, "error starting client-server protocol"),
      Map.entry(10, "error in socket I/O"),
      Map.entry(11, "error in file I/O"),
      Map.entry(12, "error in rsync protocol data stream"),
      Map.entry(20, "received SIGUSR1 or SIGINT"),
      Map.entry(23, "partial transfer due to error"),
      Map.entry(VANISHED, "partial transfer due to vanished source files"),
      Map.entry(30, "timeout in data send/receive"),
      Map.entry(35, "timeout waiting for daemon connection"),
      Map.entry(NodeRunner.TIMED_OUT, "stopped by timeout"),
      Map.entry(127, "rsync not found"),
      Map.entry(NodeRunner.KILLED, "killed"),
      Map.entry(143, "terminated"),
      Map.entry(255, "ssh to the target node failed"));

  private RsyncStatus() {}

  /** {@code " (partial transfer due to error)"}, or nothing for a status without known meaning. */
  static String meaning(@Nullable Integer status) {
    String meaning = status == null ? null : MEANINGS.get(status);
    return meaning == null ? "" : " (" + meaning + ")";
  }
}
