package io.lockstep.sshsteps;

import io.lockstep.testing.InMemoryUndoRecords;

import io.lockstep.run.StepContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The engine's side of one step attempt, for the tests: the params and timeout it is given, and
 * everything the executor tells it, in order, as lines such as {@code out node-1: hello}, {@code
 * action node-1: systemctl stop kubelet}, {@code exit node-1: 0}, {@code info: running on …}.
 */
final class RecordingContext implements StepContext {

  private final Map<String, Object> params;
  private final Duration timeout;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final UndoRecords undo = new InMemoryUndoRecords();

  RecordingContext(Map<String, Object> params, Duration timeout) {
    this.params = params;
    this.timeout = timeout;
  }

  /** Everything recorded, in order. */
  List<String> log() {
    return log;
  }

  /** The lines of one kind: out, err, action, exit or info. */
  List<String> lines(String kind) {
    return log.stream().filter(line -> line.startsWith(kind + " ") || line.startsWith(kind + ":"))
        .collect(Collectors.toList());
  }

  @Override
  public String runId() {
    return "r-20261125-0007";
  }

  @Override
  public String step() {
    return "check.ssh-exec";
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
    log.add("out " + node + ": " + line);
  }

  @Override
  public void err(String node, String line) {
    log.add("err " + node + ": " + line);
  }

  @Override
  public void info(String text) {
    log.add("info: " + text);
  }

  @Override
  public void action(String node, String description) {
    log.add("action " + node + ": " + description);
  }

  @Override
  public void exitStatus(String node, int status) {
    log.add("exit " + node + ": " + status);
  }

  @Override
  public UndoRecords undo() {
    return undo;
  }
}
