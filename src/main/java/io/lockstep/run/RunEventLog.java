package io.lockstep.run;

import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Writes what happened to a run into its live log: the line of each {@link RunEvent} is stored in
 * the transaction of the change (so the log never tells of a move that did not happen, and a move
 * that happened has its line), and fanned out to readers after it commits. A run's log is finished
 * once the run has ended; an action on an aborted run (its way back) opens it again for as long as
 * it runs ({@link RunActions}).
 */
@Component
class RunEventLog {

  private final RunLog log;

  RunEventLog(RunLog log) {
    this.log = log;
  }

  @EventListener
  void on(RunEvent event) {
    LogLine line = event.logLine();
    if (line != null && !log.isFinished(event.runId())) {
      log.append(event.runId(), line);
    }
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void ended(RunEvent event) {
    if (event instanceof RunEvent.RunSucceeded || event instanceof RunEvent.RunAborted) {
      log.finish(event.runId());
    }
  }
}
