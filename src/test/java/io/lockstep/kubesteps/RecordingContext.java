package io.lockstep.kubesteps;

import io.lockstep.testing.InMemoryUndoRecords;

import io.lockstep.run.StepContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engine's side of one step attempt, for the tests: the params and timeout it gives, what the
 * executor tells it (actions and info lines, in order) and an in-memory store of undo records that
 * behaves as the engine's does: a key is recorded once per run, settled records stay but are no
 * longer found. A context made {@link #rerun() for a rerun} shares the undo records.
 */
final class RecordingContext implements StepContext {

  private final Map<String, Object> params;
  private final Duration timeout;
  private final InMemoryUndoRecords undo;
  private final List<String> actions = new CopyOnWriteArrayList<>();
  private final List<String> infos = new CopyOnWriteArrayList<>();

  RecordingContext(Map<String, Object> params) {
    this(params, Duration.ofSeconds(30), new InMemoryUndoRecords());
  }

  RecordingContext(Map<String, Object> params, Duration timeout) {
    this(params, timeout, new InMemoryUndoRecords());
  }

  private RecordingContext(Map<String, Object> params, Duration timeout, InMemoryUndoRecords undo) {
    this.params = params;
    this.timeout = timeout;
    this.undo = undo;
  }

  /** Another attempt in the same run, with these params. */
  RecordingContext next(Map<String, Object> nextParams) {
    return new RecordingContext(nextParams, timeout, undo);
  }

  /** The same step again in the same run (after a crash or a retry). */
  RecordingContext rerun() {
    return next(params);
  }

  List<String> actions() {
    return actions;
  }

  List<String> infos() {
    return infos;
  }

  InMemoryUndoRecords records() {
    return undo;
  }

  @Override
  public String runId() {
    return "r-20261125-0007";
  }

  @Override
  public String step() {
    return "maintenance.kube-step";
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
    infos.add("out " + node + ": " + line);
  }

  @Override
  public void err(String node, String line) {
    infos.add("err " + node + ": " + line);
  }

  @Override
  public void info(String text) {
    infos.add(text);
  }

  @Override
  public void action(String node, String description) {
    actions.add(node == null ? description : node + ": " + description);
  }

  @Override
  public void exitStatus(String node, int status) {
    infos.add("exit " + node + ": " + status);
  }

  @Override
  public UndoRecords undo() {
    return undo;
  }

}
