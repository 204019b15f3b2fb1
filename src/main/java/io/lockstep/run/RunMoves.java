package io.lockstep.run;

import java.util.Optional;
import java.util.function.Function;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How a move of a run becomes real: inside one transaction the run is read with its row locked,
 * moved ({@link Run}'s guarded methods), written with a compare-and-set on its version, and the
 * event is published — so the audit row and the log line commit with the change, or nothing does.
 */
@Component
class RunMoves {

  private final RunStore store;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate tx;

  RunMoves(RunStore store, ApplicationEventPublisher events, TransactionTemplate tx) {
    this.store = store;
    this.events = events;
    this.tx = tx;
  }

  /**
   * Makes {@code move} in a transaction of its own.
   *
   * @param move the move on the locked run; it returns the event, or null for a change that is no
   *     event (the message people see)
   * @return the event; empty when the run refused the move (it is in another state now) or is gone
   */
  <E extends RunEvent> Optional<E> make(String runId, Function<Run, E> move) {
    try {
      return Optional.ofNullable(tx.execute(status -> {
        Run run = store.lock(runId).orElseThrow(() -> Runs.noRun(runId));
        E event = move.apply(run);
        store.save(run);
        if (event != null) {
          events.publishEvent(event);
        }
        return event;
      }));
    } catch (RunException.Conflict | RunException.NotFound e) {
      return Optional.empty();
    }
  }

  /** Writes the moved run and publishes its event, inside the caller's transaction. */
  <E extends RunEvent> E store(Run run, E event) {
    store.save(run);
    events.publishEvent(event);
    return event;
  }
}
