package io.lockstep.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The latest progress each running step reported, per run, in memory only: a bar on the run page
 * is live information, not a record (the log and the figures are the record). After a restart the
 * bars come back with the step's next report.
 */
@Component
class RunProgress {

  /** One part's latest report and the step that made it. */
  record Entry(String step, StepProgress progress) {}

  private final Map<String, Map<String, Entry>> byRun = new ConcurrentHashMap<>();
  private final RunChanges changes;

  RunProgress(RunChanges changes) {
    this.changes = changes;
  }

  void report(String runId, String step, StepProgress progress) {
    Map<String, Entry> parts = byRun.computeIfAbsent(runId, id -> new LinkedHashMap<>());
    synchronized (parts) {
      parts.put(step + "/" + progress.part(), new Entry(step, progress));
    }
    changes.progressed(runId);
  }

  /** The parts of a run, in the order they first reported. */
  List<Entry> of(String runId) {
    Map<String, Entry> parts = byRun.get(runId);
    if (parts == null) {
      return List.of();
    }
    synchronized (parts) {
      return new ArrayList<>(parts.values());
    }
  }

  /** Forgets a step's bars when it starts again (a retry reports afresh). */
  void clear(String runId, String step) {
    Map<String, Entry> parts = byRun.get(runId);
    if (parts != null) {
      synchronized (parts) {
        parts.values().removeIf(e -> e.step().equals(step));
      }
    }
  }
}
