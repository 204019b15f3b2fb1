package io.lockstep.logstream;

import io.lockstep.logstream.RunSequences.RunSequence;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The log of every run: where the run engine writes its steps' output and where readers get it.
 *
 * <p>Each line is cleaned, masked in the run's scope ({@link SecretMasker#forRun}), cut to {@code
 * lockstep.logstream.max-line-length}, numbered (seq 1, 2, … per run, no gaps, continuing after a
 * restart) and stored; only then is it fanned out to the run's live readers. Called inside a
 * transaction, the lines are stored in that transaction and fanned out after it commits (a rollback
 * takes them back and frees their seqs); the transaction then holds the run's log until it ends, so
 * keep such transactions short. Outside a transaction each call stores its lines in one transaction
 * of its own. For high rates, {@link #appendAll} stores many lines with one batch.
 *
 * <p>Thread-safe. Writers of different runs never wait for each other; readers never wait for writers.
 */
@Component
public class RunLog {

  private static final int PAGE = 2000;

  private final RunLogLines lines;
  private final RunSequences sequences;
  private final LogSubscribers subscribers;
  private final LineText texts;
  private final SecretMasker masker;
  private final TransactionTemplate transactions;
  private final Clock clock;

  RunLog(RunLogLines lines, RunSequences sequences, LogSubscribers subscribers, SecretMasker masker,
      LogstreamProperties properties, PlatformTransactionManager transactionManager, Clock clock) {
    this.lines = lines;
    this.sequences = sequences;
    this.subscribers = subscribers;
    this.masker = masker;
    this.texts = new LineText(properties.maxLineLength());
    this.transactions = new TransactionTemplate(transactionManager);
    this.clock = clock;
  }

  /**
   * Stores one line and returns its seq.
   *
   * @throws IllegalStateException when the run's log has been {@linkplain #finish finished}
   */
  public long append(String runId, LogLine line) {
    return appendAll(runId, List.of(line));
  }

  /**
   * Stores the lines in their order with consecutive seqs, in one batch, and returns the seq of the
   * last one (the run's last seq when {@code newLines} is empty).
   *
   * @throws IllegalStateException when the run's log has been {@linkplain #finish finished}
   */
  public long appendAll(String runId, List<LogLine> newLines) {
    requireRunId(runId);
    if (newLines.isEmpty()) {
      return lastSeq(runId);
    }
    SecretScope scope = masker.forRun(runId);
    List<String> cleaned = newLines.stream().map(line -> texts.clean(line.text(), scope)).toList();
    return sequences.write(runId, (run, inTransaction) -> {
      refuseWhenEnded(run);
      Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
      List<StoredLine> stored = new ArrayList<>(newLines.size());
      long seq = run.last();
      for (int i = 0; i < newLines.size(); i++) {
        LogLine line = newLines.get(i);
        stored.add(new StoredLine(++seq, at, line.step(), line.node(), line.stream(), cleaned.get(i)));
      }
      if (inTransaction != null) {
        lines.insert(runId, stored);
        run.advanceTo(seq);
        inTransaction.add(stored);
      } else {
        transactions.executeWithoutResult(status -> lines.insert(runId, stored));
        run.advanceTo(seq);
        subscribers.publish(runId, stored);
      }
      return seq;
    });
  }

  /**
   * Marks the run's log complete: readers get every line and then an {@code end} event, later
   * appends are refused. Call it once the run has reached its final state and its last output is
   * appended. Finishing a finished log does nothing.
   */
  public void finish(String runId) {
    requireRunId(runId);
    sequences.write(runId, (run, inTransaction) -> {
      if (run.endedAt() != null) {
        return run.last();
      }
      Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
      if (inTransaction != null) {
        lines.end(runId, run.last(), at);
        run.markEnded(at);
        inTransaction.end();
      } else {
        transactions.executeWithoutResult(status -> lines.end(runId, run.last(), at));
        run.markEnded(at);
        subscribers.end(runId);
        sequences.evict(run);
      }
      return run.last();
    });
  }

  /**
   * Opens a finished log again, for more lines about a run that has ended: the way back from where
   * an aborted run stopped (its recovery actions) is part of its story. Readers that come later
   * follow it live again until it is {@linkplain #finish finished} once more; readers who got the
   * end before are not called back. Opening a log that is open does nothing. Call it outside a
   * transaction.
   */
  public void reopen(String runId) {
    requireRunId(runId);
    sequences.write(runId, (run, inTransaction) -> {
      if (run.endedAt() == null) {
        return run.last();
      }
      if (inTransaction != null) {
        throw new IllegalStateException("the log of run " + runId + " is reopened outside a transaction");
      }
      transactions.executeWithoutResult(status -> lines.unend(runId));
      run.markEnded(null);
      return run.last();
    });
  }

  /** Whether the run's log has been {@linkplain #finish finished}. */
  public boolean isFinished(String runId) {
    return lines.endedAt(requireRunId(runId)).isPresent();
  }

  /** The seq of the run's last stored line, 0 when it has none. */
  public long lastSeq(String runId) {
    return lines.lastSeq(requireRunId(runId));
  }

  /** The run's last {@code max} stored lines, oldest first. */
  public List<StoredLine> tail(String runId, int max) {
    return lines.tail(requireRunId(runId), requirePositive(max));
  }

  /** Up to {@code max} stored lines with a seq above {@code seq}, oldest first. */
  public List<StoredLine> after(String runId, long seq, int max) {
    return lines.after(requireRunId(runId), seq, requirePositive(max));
  }

  /**
   * Writes the whole stored log as text ({@link LogText}). Reads it page by page, so a log of any
   * length streams in constant memory. The writer is flushed, not closed.
   */
  public void writeAll(String runId, Writer out) throws IOException {
    requireRunId(runId);
    long seq = 0;
    List<StoredLine> page;
    do {
      page = lines.after(runId, seq, PAGE);
      for (StoredLine line : page) {
        LogText.write(line, out);
        seq = line.seq();
      }
    } while (page.size() == PAGE);
    out.flush();
  }

  private void refuseWhenEnded(RunSequence run) {
    if (run.endedAt() != null) {
      throw new IllegalStateException("the log of run " + run.runId() + " was finished at " + run.endedAt()
          + "; no more lines can be appended");
    }
  }

  private static String requireRunId(String runId) {
    if (runId == null || runId.isBlank() || runId.length() > 64) {
      throw new IllegalArgumentException("a run id is 1 to 64 characters, got '" + runId + "'");
    }
    return runId;
  }

  private static int requirePositive(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("the number of lines to read must be at least 1, got " + max);
    }
    return max;
  }
}
