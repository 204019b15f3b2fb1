package io.lockstep.datacopy;

import io.lockstep.datacopy.NodeRunner.Captured;
import io.lockstep.datacopy.NodeRunner.Ran;
import io.lockstep.run.StepContext;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One row's part of the step, on the thread of its node pair: the copy (record, make the target,
 * rsync, figures) and, after a final copy, the verification ({@link Verification}); or in measure
 * mode the dry run ({@link RowMeasure}).
 *
 * <p>The final copy compares files by size and time, as rsync does by default, so a target file
 * that differs in content only (corrupted in place, same size and time) is never sent again by it.
 * The checksum verification finds such a file; it then fails the row and keeps the files it found
 * ({@link Repairs}), and the next attempt of the step re-sends exactly those by checksum after the
 * usual final copy, then verifies again. A target spoiled with no verification failing before (a
 * retry after a crash) is found by that attempt's verification, and repaired by the next.
 */
final class RowCopy {

  private final NodeRunner nodes;
  private final StepContext context;
  private final CopyParams params;
  private final TargetChecks.Checked checked;
  private final Repairs repairs;
  private final Verification verification;
  private final RowMeasure measure;

  /** @param checked what the checks found: the sources' sizes, the targets rsync can make */
  RowCopy(NodeRunner nodes, StepContext context, CopyParams params, TargetChecks.Checked checked) {
    this.nodes = nodes;
    this.context = context;
    this.params = params;
    this.checked = checked;
    this.repairs = new Repairs(context.undo());
    this.verification = new Verification(nodes, context, repairs);
    this.measure = new RowMeasure(nodes, context);
  }

  /**
   * How the row went.
   *
   * @param failure null when it succeeded; otherwise why not, naming the row and node
   * @param bytes the bytes moved (measure: that the final copy would move)
   * @param size measure only: the bytes of every file of the source (0 otherwise)
   * @param differences the verification found the target different: what it found (null otherwise)
   */
  record Outcome(CopyRow row, @Nullable String failure, long bytes, Duration took, long size,
      @Nullable Differences differences) {

    Outcome(CopyRow row, @Nullable String failure, long bytes, Duration took) {
      this(row, failure, bytes, took, 0, null);
    }
  }

  Outcome run(CopyRow row) throws InterruptedException {
    return params.mode() == Mode.MEASURE ? measure.run(row) : copy(row);
  }

  /**
   * Records that the run writes into the target (before anything is written), makes the target
   * when rsync cannot, copies, re-sends by checksum what an earlier verification found different,
   * and after a final copy verifies.
   */
  private Outcome copy(CopyRow row) throws InterruptedException {
    context.undo().recordOnce(TargetChecks.startedKey(row), row.target());
    String unmade = checked.ready().contains(row.key()) ? null : makeTarget(row);
    if (unmade != null) {
      return failed(row, unmade, 0, Duration.ZERO);
    }
    Repairs.Pending pending = params.mode() == Mode.FINAL ? repairs.pending(row)
        : Repairs.Pending.NONE;
    if (pending.wholeRow()) {
      context.info(row.key() + ": the last verification found more differences than it lists ("
          + String.join(", ", pending.keys()) + "): this copy compares every file by checksum");
    }
    Outcome copied = rsync(row, pending.wholeRow());
    if (copied.failure() == null && !pending.wholeRow() && !pending.files().isEmpty()) {
      copied = resend(row, pending, copied);
    }
    if (copied.failure() != null || params.mode() != Mode.FINAL || !params.verify()) {
      return copied;
    }
    Verification.Result proof = verification.check(row, pending);
    if (proof.failure() == null) {
      return copied;
    }
    return new Outcome(row, named(row, proof.failure()), copied.bytes(), copied.took(), 0,
        proof.differences());
  }

  /** Null when the target directory was made; otherwise why not. */
  private @Nullable String makeTarget(CopyRow row) throws InterruptedException {
    Captured made = nodes.capture(row.targetNode(), RsyncCommands.makeTarget(row), 20);
    return made.ran().exited(0) ? null : "cannot make the target directory on "
        + row.targetNode() + ": " + made.ran().described()
        + (made.lastError().isEmpty() ? "" : "; " + made.lastError());
  }

  private Outcome rsync(CopyRow row, boolean checksum) throws InterruptedException {
    String mode = params.mode().id();
    long known = checked.sizes().getOrDefault(row.key(), 0L);
    context.info(row.described() + ": " + mode + " copy from " + row.sourceNode() + ":"
        + row.sourcePath() + " to " + row.target()
        + (known > 0 ? " (" + Bytes.shown(known) + ")" : ""));
    Outcome copied = transfer(row, RsyncCommands.copy(row, params.mode(), params.bwlimit(),
        nodes.host(row.targetNode()), checksum), known, params.mode() == Mode.PRE);
    if (copied.failure() != null) {
      return failed(row, copied.failure(), copied.bytes(), copied.took());
    }
    context.figure("copy." + mode + "." + row.key() + ".bytes", copied.bytes());
    context.figure("copy." + mode + "." + row.key() + ".millis", copied.took().toMillis());
    if (params.mode() == Mode.PRE) {
      context.figure("copy.pre." + row.key() + ".bwlimit", params.bwlimit());
    }
    context.info(row.key() + ": copied " + Bytes.shown(copied.bytes()) + " in "
        + Bytes.seconds(copied.took()) + " (" + Bytes.rate(copied.bytes(), copied.took()) + ")");
    return copied;
  }

  /**
   * Re-sends by checksum the files an earlier verification found different; the outcome adds
   * their bytes and time to the copy's.
   */
  private Outcome resend(CopyRow row, Repairs.Pending pending, Outcome copied)
      throws InterruptedException {
    List<String> files = pending.files();
    context.info(row.key() + ": re-sending by checksum, not by size and time, the "
        + CopyRsync.plural(files.size(), "file") + " the last verification found different ("
        + String.join(", ", pending.keys()) + "): " + files.stream().limit(Differences.SHOWN)
            .collect(Collectors.joining(", ")) + (files.size() > Differences.SHOWN ? " and "
            + (files.size() - Differences.SHOWN) + " more" : ""));
    long bytes = 0;
    Duration took = Duration.ZERO;
    for (RemoteCommand command : RsyncCommands.resend(row, files, nodes.host(row.targetNode()))) {
      Outcome sent = transfer(row, command, 0, false);
      bytes += sent.bytes();
      took = took.plus(sent.took());
      if (sent.failure() != null) {
        return failed(row, "re-sending the files the last verification found different: "
            + sent.failure(), copied.bytes() + bytes,
            copied.took().plus(took));
      }
    }
    context.figure("copy.repair." + row.key() + ".bytes", bytes);
    context.figure("copy.repair." + row.key() + ".millis", took.toMillis());
    context.info(row.key() + ": re-sent " + Bytes.shown(bytes) + " by checksum in "
        + Bytes.seconds(took));
    return new Outcome(row, null, copied.bytes() + bytes, copied.took().plus(took));
  }

  /**
   * Runs one rsync of the row with its progress. Any exit but 0 (or 24, when allowed) is a
   * failure, said without the row (the caller names it).
   */
  private Outcome transfer(CopyRow row, RemoteCommand command, long known, boolean vanishedIsFine)
      throws InterruptedException {
    CopyProgress progress = new CopyProgress(row, context, known);
    long started = System.nanoTime();
    Ran ran = nodes.run(row.sourceNode(), command, progress, true);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    boolean vanished = vanishedIsFine && ran.exited(RsyncStatus.VANISHED);
    boolean succeeded = ran.exited(0) || vanished;
    long bytes = progress.transferred();
    progress.finish(succeeded, Bytes.perSecond(bytes, took));
    if (!succeeded) {
      return new Outcome(row, "rsync on " + row.sourceNode() + " " + ran.described()
          + "; last error: " + orNone(progress.lastError()), bytes, took);
    }
    if (vanished) {
      context.info(row.key() + ": some source files vanished while rsync ran (exit 24), normal "
          + "while services write: the final copy takes what is there then");
    }
    return new Outcome(row, null, bytes, took);
  }

  private static String orNone(String error) {
    return error.isEmpty() ? "none" : error;
  }

  private Outcome failed(CopyRow row, String why, long bytes, Duration took) {
    return new Outcome(row, named(row, why), bytes, took);
  }

  /** A row's failure as the step's message names it, also written to the log. */
  private String named(CopyRow row, String why) {
    String failure = row.described() + ": " + why;
    context.info(failure);
    return failure;
  }
}
