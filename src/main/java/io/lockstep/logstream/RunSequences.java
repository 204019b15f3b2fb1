package io.lockstep.logstream;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * The write side of each run's log: one lock per run that every append and the finish go through,
 * and the last seq handed out. The lock is what makes seqs gapless and readers see lines in seq
 * order: a seq is taken, stored and fanned out before the next one is taken. The last seq is read
 * from the database the first time a run is written after a start (so numbering survives a restart)
 * and again after any failed or rolled-back write.
 *
 * <p>A writer waits at most {@link #LOCK_WAIT} for the lock. The wait only gets long when a
 * transaction that appended to the run stays open (it holds the lock until it ends); failing then
 * turns a possible deadlock between two transactions into an exception.
 */
@Component
class RunSequences {

  static final Duration LOCK_WAIT = Duration.ofSeconds(10);

  private final ConcurrentHashMap<String, RunSequence> runs = new ConcurrentHashMap<>();
  private final RunLogLines lines;
  private final LogSubscribers subscribers;

  RunSequences(RunLogLines lines, LogSubscribers subscribers) {
    this.lines = lines;
    this.subscribers = subscribers;
  }

  /**
   * Runs one write to the run's log holding its lock, inside the caller's transaction when there is
   * one: the first write of a transaction hands the hold to a {@link LinesInTransaction}, which
   * keeps it until the transaction ends. Refuses when a suspended transaction of this thread holds
   * the run (its lines would be fanned out after lines with higher seqs). After a failure the run's
   * state is read from the database again.
   */
  long write(String runId, Write action) {
    RunSequence run = lock(runId);
    boolean release = true;
    try {
      LinesInTransaction inTransaction = null;
      if (LinesInTransaction.active()) {
        inTransaction = LinesInTransaction.find(run);
        if (inTransaction == null && !run.heldBeforeByCurrentThread()) {
          inTransaction = LinesInTransaction.register(run, this, subscribers);
          release = false;
        }
      }
      if (inTransaction == null && run.heldBeforeByCurrentThread()) {
        throw new IllegalStateException("the log of run " + runId + " is held by a suspended transaction "
            + "of this thread that wrote to it; write from that transaction, or after it has ended");
      }
      return action.apply(run, inTransaction);
    } catch (RuntimeException e) {
      run.forget();
      throw e;
    } finally {
      if (release) {
        run.unlock();
      }
    }
  }

  /** The run's sequence, locked by the calling thread and loaded from the database. */
  private RunSequence lock(String runId) {
    while (true) {
      RunSequence run = runs.computeIfAbsent(runId, RunSequence::new);
      run.lockWithin(LOCK_WAIT);
      if (runs.get(runId) == run) {
        try {
          run.load(lines);
          return run;
        } catch (RuntimeException e) {
          run.unlock();
          throw e;
        }
      }
      run.unlock();
    }
  }

  /** Drops an ended run's state; a later write reads it back from the database (and is refused). */
  void evict(RunSequence run) {
    runs.remove(run.runId(), run);
  }

  /** One write to a run's log, done holding its lock; returns a seq. */
  @FunctionalInterface
  interface Write {
    long apply(RunSequence run, LinesInTransaction inTransaction);
  }

  /** One run's write state; every method except {@link #runId()} needs the lock held. */
  static final class RunSequence {

    private final String runId;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean loaded;
    private long last;
    private Instant endedAt;

    RunSequence(String runId) {
      this.runId = runId;
    }

    String runId() {
      return runId;
    }

    /** Whether the current thread held the lock before its latest {@link RunSequences#lock}. */
    boolean heldBeforeByCurrentThread() {
      return lock.getHoldCount() > 1;
    }

    long last() {
      return last;
    }

    Instant endedAt() {
      return endedAt;
    }

    void advanceTo(long seq) {
      last = seq;
    }

    void markEnded(Instant at) {
      endedAt = at;
    }

    /** Makes the next write read the last seq and the end from the database again. */
    void forget() {
      loaded = false;
    }

    void unlock() {
      lock.unlock();
    }

    private void load(RunLogLines lines) {
      if (!loaded) {
        last = lines.lastSeq(runId);
        endedAt = lines.endedAt(runId).orElse(null);
        loaded = true;
      }
    }

    /**
     * Takes the lock, waiting at most {@code wait}. An interrupt does not stop the wait: the engine
     * interrupts a step's thread to abort it, and the lines that step writes then (what it was doing
     * when it was stopped) are the ones people need; the interrupt is kept for the step to see.
     */
    private void lockWithin(Duration wait) {
      long deadline = System.nanoTime() + wait.toNanos();
      boolean interrupted = false;
      try {
        while (true) {
          try {
            if (lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
              return;
            }
            throw new IllegalStateException("the log of run " + runId + " has been held for more than "
                + wait.toSeconds() + " s by a transaction that appended to it and has not ended");
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
