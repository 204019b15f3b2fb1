package io.lockstep.testing;

import io.lockstep.run.StepContext;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Undo records kept in memory with the engine's rules, for executor tests: a key is recorded once
 * while it stands, a settled record stays readable through {@link #recorded(String)} and may be
 * recorded anew.
 */
public final class InMemoryUndoRecords implements StepContext.UndoRecords {

  private final Map<String, String> values = new TreeMap<>();
  private final Map<String, Boolean> settled = new TreeMap<>();
  private final java.util.Set<String> secret = new java.util.TreeSet<>();

  @Override
  public synchronized boolean recordOnce(String key, String value) {
    if (values.containsKey(key) && !settled.get(key)) {
      return false;
    }
    values.put(key, value);
    settled.put(key, false);
    return true;
  }

  @Override
  public synchronized boolean recordSecretOnce(String key, String value) {
    boolean stored = recordOnce(key, value);
    if (stored) {
      secret.add(key);
    }
    return stored;
  }

  /** Whether the record was made as one holding secret values. */
  public synchronized boolean isSecret(String key) {
    return secret.contains(key);
  }

  @Override
  public synchronized Optional<String> recorded(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Override
  public synchronized Optional<String> get(String key) {
    return settled.getOrDefault(key, true) ? Optional.empty() : Optional.of(values.get(key));
  }

  @Override
  public synchronized Map<String, String> all(String prefix) {
    Map<String, String> found = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix) && !settled.get(k)) {
        found.put(k, v);
      }
    });
    return found;
  }

  @Override
  public synchronized void settle(String key) {
    settled.computeIfPresent(key, (k, v) -> true);
  }

  /** Every record ever made, settled or not. */
  public synchronized Map<String, String> recorded() {
    return new TreeMap<>(values);
  }

  public synchronized boolean isSettled(String key) {
    return settled.getOrDefault(key, false);
  }
}
