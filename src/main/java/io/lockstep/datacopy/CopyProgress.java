package io.lockstep.datacopy;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepProgress;
import io.lockstep.ssh.OutputListener;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Follows one row's rsync: turns its progress lines into progress reports of the row (the first
 * at once, then at most one a second, and a last one when the copy ends), keeps its statistics,
 * and passes everything else on to the run's log. Progress and statistics lines are not logged:
 * a copy writes a line when it starts and one when it ends, not thousands in between.
 *
 * <p>The total is the source's size when the pre-copy measured it; otherwise what rsync's
 * percentage implies (the size of the whole file list, of which the final copy may move little).
 */
final class CopyProgress implements OutputListener {

  private static final long INTERVAL = TimeUnit.SECONDS.toNanos(1);

  private final CopyRow row;
  private final StepContext context;
  private final long knownTotal;
  private long lastReport;
  private boolean reported;
  private long done;
  private long total;
  private long perSecond;
  private OptionalLong transferred = OptionalLong.empty();
  private OptionalLong files = OptionalLong.empty();
  private String lastError = "";

  /** @param knownTotal the bytes to copy when known, else 0 */
  CopyProgress(CopyRow row, StepContext context, long knownTotal) {
    this.row = row;
    this.context = context;
    this.knownTotal = knownTotal;
    this.total = knownTotal;
  }

  @Override
  public void onLine(Stream stream, String line) {
    if (stream == Stream.STDERR) {
      context.err(row.sourceNode(), line);
      if (!line.isBlank()) {
        lastError = line.strip();
      }
      return;
    }
    Optional<RsyncOutput.Progress> progress = RsyncOutput.progress(line);
    if (progress.isPresent()) {
      done = progress.get().bytes();
      perSecond = progress.get().perSecond();
      total = Math.max(Math.max(knownTotal, progress.get().impliedTotal()), done);
      long now = System.nanoTime();
      if (!reported || now - lastReport >= INTERVAL) {
        reported = true;
        lastReport = now;
        context.progress(new StepProgress(row.key(), row.label(), done, total, perSecond, false));
      }
      return;
    }
    RsyncOutput.transferredBytes(line).ifPresent(bytes -> transferred = OptionalLong.of(bytes));
    RsyncOutput.transferredFiles(line).ifPresent(count -> files = OptionalLong.of(count));
    if (!RsyncOutput.statistics(line)) {
      context.out(row.sourceNode(), line);
    }
  }

  /** The last report: the row's copy has ended, well ({@code succeeded}) or not. */
  void finish(boolean succeeded, long bytesPerSecond) {
    long bytes = succeeded ? transferred() : done;
    context.progress(new StepProgress(row.key(), row.label(), bytes,
        succeeded ? bytes : total, bytesPerSecond, true));
  }

  /** The bytes of file data moved: rsync's statistics, or its last progress line without them. */
  long transferred() {
    return transferred.orElse(done);
  }

  /** How many files rsync transferred, when its statistics said so. */
  OptionalLong files() {
    return files;
  }

  /** The last line rsync wrote to stderr; empty when none. */
  String lastError() {
    return lastError;
  }
}
