package io.lockstep.logstream;

import io.lockstep.logstream.RunSequences.RunSequence;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What one transaction wrote to one run's log: its lines are stored with the transaction and fanned
 * out only after it commits; when it rolls back they are gone and their seqs are handed out again.
 * From its first write until it ends the transaction keeps a hold on the run's lock, so no other
 * writer can take a seq in between: that is what keeps seqs gapless across a rollback and readers
 * in seq order.
 */
final class LinesInTransaction implements TransactionSynchronization {

  private final RunSequence run;
  private final RunSequences sequences;
  private final LogSubscribers subscribers;
  private final List<StoredLine> lines = new ArrayList<>();
  private boolean ended;

  private LinesInTransaction(RunSequence run, RunSequences sequences, LogSubscribers subscribers) {
    this.run = run;
    this.sequences = sequences;
    this.subscribers = subscribers;
  }

  /** Whether the caller runs inside a transaction that synchronizations can follow. */
  static boolean active() {
    return TransactionSynchronizationManager.isSynchronizationActive()
        && TransactionSynchronizationManager.isActualTransactionActive();
  }

  /** What the current transaction already wrote to the run, or {@code null} if nothing yet. */
  static LinesInTransaction find(RunSequence run) {
    for (TransactionSynchronization sync : TransactionSynchronizationManager.getSynchronizations()) {
      if (sync instanceof LinesInTransaction mine && mine.run == run) {
        return mine;
      }
    }
    return null;
  }

  /**
   * Registers the current transaction's first write to the run; the transaction takes over the
   * caller's hold on the run's lock and releases it when it ends.
   */
  static LinesInTransaction register(RunSequence run, RunSequences sequences, LogSubscribers subscribers) {
    LinesInTransaction lines = new LinesInTransaction(run, sequences, subscribers);
    TransactionSynchronizationManager.registerSynchronization(lines);
    return lines;
  }

  void add(List<StoredLine> stored) {
    lines.addAll(stored);
  }

  void end() {
    ended = true;
  }

  @Override
  public void afterCommit() {
    subscribers.publish(run.runId(), lines);
    if (ended) {
      subscribers.end(run.runId());
      sequences.evict(run);
    }
  }

  @Override
  public void afterCompletion(int status) {
    try {
      if (status != STATUS_COMMITTED) {
        run.forget();
      }
    } finally {
      run.unlock();
    }
  }
}
