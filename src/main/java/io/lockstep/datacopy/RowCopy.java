package io.lockstep.datacopy;

import io.lockstep.datacopy.NodeRunner.Captured;
import io.lockstep.datacopy.NodeRunner.Ran;
import io.lockstep.run.StepContext;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One row's part of the step, on the thread of its node pair: the copy (record, make the target,
 * rsync, figures) and, after a final copy, the verification; or in measure mode the dry run.
 */
final class RowCopy {

  /** How many differences a failed verification names. */
  static final int SHOWN_DIFFERENCES = 5;
  private static final int MAX_DIFFERENCE_LINES = 1000;

  private final NodeRunner nodes;
  private final StepContext context;
  private final CopyParams params;
  private final TargetChecks.Checked checked;

  /** @param checked what the checks found: the sources' sizes, the targets rsync can make */
  RowCopy(NodeRunner nodes, StepContext context, CopyParams params, TargetChecks.Checked checked) {
    this.nodes = nodes;
    this.context = context;
    this.params = params;
    this.checked = checked;
  }

  /**
   * How the row went.
   *
   * @param failure null when it succeeded; otherwise why not, naming the row and node
   * @param bytes the bytes moved (measure: that the final copy would move)
   */
  record Outcome(CopyRow row, @Nullable String failure, long bytes, Duration took) {}

  Outcome run(CopyRow row) throws InterruptedException {
    return params.mode() == Mode.MEASURE ? measure(row) : copy(row);
  }

  /**
   * Records that the run writes into the target (before anything is written), makes the target
   * when rsync cannot, copies, and after a final copy verifies.
   */
  private Outcome copy(CopyRow row) throws InterruptedException {
    context.undo().recordOnce(TargetChecks.startedKey(row), row.target());
    String unmade = checked.ready().contains(row.key()) ? null : makeTarget(row);
    if (unmade != null) {
      return failed(row, unmade, 0, Duration.ZERO);
    }
    Outcome copied = rsync(row);
    if (copied.failure() != null || params.mode() != Mode.FINAL || !params.verify()) {
      return copied;
    }
    String difference = verify(row);
    return difference == null ? copied : failed(row, difference, copied.bytes(), copied.took());
  }

  /** Null when the target directory was made; otherwise why not. */
  private @Nullable String makeTarget(CopyRow row) throws InterruptedException {
    Captured made = nodes.capture(row.targetNode(), RsyncCommands.makeTarget(row), 20);
    return made.ran().exited(0) ? null : "cannot make the target directory on "
        + row.targetNode() + ": " + made.ran().described()
        + (made.lastError().isEmpty() ? "" : "; " + made.lastError());
  }

  private Outcome rsync(CopyRow row) throws InterruptedException {
    String mode = params.mode().id();
    long known = checked.sizes().getOrDefault(row.key(), 0L);
    context.info(row.described() + ": " + mode + " copy from " + row.sourceNode() + ":"
        + row.sourcePath() + " to " + row.target()
        + (known > 0 ? " (" + Bytes.shown(known) + ")" : ""));
    CopyProgress progress = new CopyProgress(row, context, known);
    long started = System.nanoTime();
    Ran ran = nodes.run(row.sourceNode(), RsyncCommands.copy(row, params.mode(),
        params.bwlimit(), nodes.host(row.targetNode())), progress, true);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    boolean vanished = params.mode() == Mode.PRE && ran.exited(RsyncStatus.VANISHED);
    boolean succeeded = ran.exited(0) || vanished;
    long bytes = progress.transferred();
    progress.finish(succeeded, Bytes.perSecond(bytes, took));
    if (!succeeded) {
      return failed(row, "rsync on " + row.sourceNode() + " " + ran.described()
          + "; last error: " + orNone(progress.lastError()), bytes, took);
    }
    context.figure("copy." + mode + "." + row.key() + ".bytes", bytes);
    context.figure("copy." + mode + "." + row.key() + ".millis", took.toMillis());
    context.info(row.key() + ": copied " + Bytes.shown(bytes) + " in " + Bytes.seconds(took)
        + " (" + Bytes.rate(bytes, took) + ")" + (vanished ? "; some source files vanished "
            + "while it ran (rsync exit 24), normal while services write: the final copy takes "
            + "what is there then" : ""));
    return new Outcome(row, null, bytes, took);
  }

  /** Null when the target equals the source by checksum; otherwise what differs. */
  private @Nullable String verify(CopyRow row) throws InterruptedException {
    RemoteCommand command = RsyncCommands.verify(row, nodes.host(row.targetNode()));
    long started = System.nanoTime();
    Captured check = nodes.capture(row.sourceNode(), command, MAX_DIFFERENCE_LINES);
    if (!check.ran().exited(0)) {
      return "verification (rsync --checksum --dry-run on " + row.sourceNode() + ") "
          + check.ran().described() + "; last error: " + orNone(check.lastError());
    }
    context.figure("copy.verify." + row.key() + ".millis",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    List<String> differences = check.out().stream().filter(l -> !l.isBlank()).toList();
    if (differences.isEmpty()) {
      context.info(row.key() + ": verified, " + row.target() + " equals " + row.sourceNode() + ":"
          + row.sourcePath() + " file by file (checksums)");
      return null;
    }
    differences.stream().limit(20).forEach(line -> context.out(row.sourceNode(), line));
    return "the target differs from the source after the final copy (checksum dry run: "
        + (differences.size() >= MAX_DIFFERENCE_LINES ? "at least " : "") + differences.size()
        + " difference" + (differences.size() > 1 ? "s" : "") + "); first differing paths: "
        + differences.stream().limit(SHOWN_DIFFERENCES).map(RsyncOutput::itemizedPath)
            .collect(Collectors.joining(", "));
  }

  private Outcome measure(CopyRow row) throws InterruptedException {
    long started = System.nanoTime();
    Captured dry = nodes.capture(row.sourceNode(),
        RsyncCommands.measure(row, nodes.host(row.targetNode())), 200);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long bytes = -1;
    long files = -1;
    for (String line : dry.out()) {
      bytes = RsyncOutput.transferredBytes(line).orElse(bytes);
      files = RsyncOutput.transferredFiles(line).orElse(files);
    }
    if (!dry.ran().exited(0) || bytes < 0) {
      return failed(row, "measuring (rsync --dry-run --stats on " + row.sourceNode() + ") "
          + (dry.ran().exited(0) ? "printed no statistics" : dry.ran().described())
          + "; last error: " + orNone(dry.lastError()), 0, took);
    }
    context.figure("copy.delta." + row.key() + ".bytes", bytes);
    context.info(row.described() + ": the final copy would move " + Bytes.shown(bytes)
        + (files >= 0 ? " in " + files + " file" + (files == 1 ? "" : "s") : "") + " now"
        + estimate(row, bytes));
    return new Outcome(row, null, bytes, took);
  }

  /**
   * How long moving {@code bytes} would take at the rate of this run's pre-copy of the row, when
   * the run has that copy's figures: {@code , about 12.0 s at the pre-copy's 80.0 MiB/s}.
   */
  private String estimate(CopyRow row, long bytes) {
    Map<String, Long> figures = context.figures();
    Long copied = figures.get("copy.pre." + row.key() + ".bytes");
    Long millis = figures.get("copy.pre." + row.key() + ".millis");
    if (copied == null || millis == null || copied <= 0 || millis <= 0) {
      return "";
    }
    Duration took = Duration.ofMillis(Math.round((double) bytes * millis / copied));
    return ", about " + Bytes.seconds(took) + " at the pre-copy's "
        + Bytes.rate(copied, Duration.ofMillis(millis));
  }

  private static String orNone(String error) {
    return error.isEmpty() ? "none" : error;
  }

  private Outcome failed(CopyRow row, String why, long bytes, Duration took) {
    String failure = row.described() + ": " + why;
    context.info(failure);
    return new Outcome(row, failure, bytes, took);
  }
}
