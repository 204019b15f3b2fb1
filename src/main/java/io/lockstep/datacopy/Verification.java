package io.lockstep.datacopy;

import io.lockstep.datacopy.NodeRunner.Captured;
import io.lockstep.run.StepContext;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The proof after a final copy that a row's target equals its source: {@code rsync --checksum
 * --dry-run --itemize-changes --delete} on the source node, which reads every byte on both nodes
 * and prints one line per difference. Equal: the records of differences an earlier attempt kept
 * are settled, since the retry repaired them. Different: what it found is kept for the next
 * attempt ({@link Repairs}) and the row fails, naming the differences.
 */
final class Verification {

  private final NodeRunner nodes;
  private final StepContext context;
  private final Repairs repairs;

  Verification(NodeRunner nodes, StepContext context, Repairs repairs) {
    this.nodes = nodes;
    this.context = context;
    this.repairs = repairs;
  }

  /**
   * How the proof went.
   *
   * @param failure null when the target equals the source; otherwise why not, without the row
   * @param differences what differs, when the comparison ran and found something
   */
  record Result(@Nullable String failure, @Nullable Differences differences) {}

  /** @param pending the records of earlier differences this attempt repaired, settled when equal */
  Result check(CopyRow row, Repairs.Pending pending) throws InterruptedException {
    long started = System.nanoTime();
    Captured check = nodes.capture(row.sourceNode(),
        RsyncCommands.verify(row, nodes.host(row.targetNode())), Differences.MAX);
    if (!check.ran().exited(0)) {
      return new Result("verification (rsync --checksum --dry-run on " + row.sourceNode() + ") "
          + check.ran().described() + "; last error: "
          + (check.lastError().isEmpty() ? "none" : check.lastError()), null);
    }
    context.figure("copy.verify." + row.key() + ".millis",
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    Differences found = Differences.of(check.out());
    if (found.none()) {
      repairs.settle(pending);
      context.info(row.key() + ": verified, " + row.target() + " equals " + row.sourceNode() + ":"
          + row.sourcePath() + " file by file (checksums)" + (pending.none() ? ""
              : "; repaired what the last verification found (" + String.join(", ", pending.keys())
                  + " settled)"));
      return new Result(null, null);
    }
    found.lines().stream().limit(20).forEach(line -> context.out(row.sourceNode(), line));
    String kept = repairs.record(row, found);
    return new Result("the target differs from the source after the final copy (checksum dry run: "
        + found.counted() + "): " + found.named() + (kept == null ? "" : " (kept as " + kept + ")"),
        found);
  }
}
