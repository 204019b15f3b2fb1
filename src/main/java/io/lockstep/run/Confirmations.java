package io.lockstep.run;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.springframework.stereotype.Component;

/** Manual checkpoints waiting for an operator, by {@code run/phase.step}. In memory: a restart asks again. */
@Component
class Confirmations {

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** Blocks until {@link #confirm} or the thread is interrupted; returns who confirmed. */
  String await(String runId, String step, List<String> checklist) throws InterruptedException {
    Pending waiting = new Pending(List.copyOf(checklist), new CompletableFuture<>());
    pending.put(runId + "/" + step, waiting);
    try {
      return waiting.confirmedBy().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pending.remove(runId + "/" + step, waiting);
    }
  }

  Optional<List<String>> checklist(String runId, String step) {
    return Optional.ofNullable(pending.get(runId + "/" + step)).map(Pending::checklist);
  }

  boolean confirm(String runId, String step, String actor) {
    Pending waiting = pending.get(runId + "/" + step);
    return waiting != null && waiting.confirmedBy().complete(actor);
  }

  private record Pending(List<String> checklist, CompletableFuture<String> confirmedBy) {}
}
