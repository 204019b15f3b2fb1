package io.lockstep.run;

import io.lockstep.system.SecretScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The context of a recovery check: a read-only step that looks at the platform to say what is
 * down. It changes nothing, so everything that would change the run is refused (recording or
 * settling an undo record, a figure); what it reads of the run's undo records it gets. What it
 * prints is kept in memory, not in the run's log — a check runs whenever someone looks — and its
 * failure message is what is down.
 */
final class CheckContext implements StepContext {

  private static final int KEPT_LINES = 40;

  private final String runId;
  private final String step;
  private final Map<String, Object> params;
  private final Duration timeout;
  private final RunStore store;
  private final SecretScope masker;
  private final List<String> lines = new ArrayList<>();

  CheckContext(String runId, String step, Map<String, Object> params, Duration timeout, RunStore store,
      SecretScope masker) {
    this.runId = runId;
    this.step = step;
    this.params = params;
    this.timeout = timeout;
    this.store = store;
    this.masker = masker;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String step() {
    return step;
  }

  @Override
  public Map<String, Object> params() {
    return params;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }

  @Override
  public void out(String node, String line) {
    keep(node, line);
  }

  @Override
  public void err(String node, String line) {
    keep(node, line);
  }

  @Override
  public void info(String text) {
    keep(null, text);
  }

  @Override
  public void action(String node, String description) {
    keep(node, "$ " + description);
  }

  @Override
  public void exitStatus(String node, int status) {
    // a check's statuses are in what it says; nothing is recorded
  }

  @Override
  public void progress(StepProgress progress) {
    // nobody watches a check's progress
  }

  @Override
  public void figure(String name, long value) {
    throw new IllegalStateException("a check changes nothing: it records no figure (" + name + ")");
  }

  @Override
  public Map<String, Long> figures() {
    return store.figures(runId);
  }

  @Override
  public UndoRecords undo() {
    return new UndoRecords() {
      @Override
      public boolean recordOnce(String key, String value) {
        throw new IllegalStateException("a check changes nothing: it records no undo record (" + key + ")");
      }

      @Override
      public boolean recordSecretOnce(String key, String value) {
        throw new IllegalStateException("a check changes nothing: it records no undo record (" + key + ")");
      }

      @Override
      public Optional<String> get(String key) {
        return store.undo(runId, key);
      }

      @Override
      public Optional<String> recorded(String key) {
        return store.undoEvenSettled(runId, key);
      }

      @Override
      public Map<String, String> all(String prefix) {
        return store.undos(runId, prefix);
      }

      @Override
      public void settle(String key) {
        throw new IllegalStateException("a check changes nothing: it settles no undo record (" + key + ")");
      }
    };
  }

  /** The last lines the check printed, masked. */
  List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  private void keep(String node, String text) {
    synchronized (lines) {
      if (lines.size() == KEPT_LINES) {
        lines.remove(0);
      }
      lines.add(masker.mask((node == null ? "" : node + ": ") + (text == null ? "" : text)));
    }
  }
}
