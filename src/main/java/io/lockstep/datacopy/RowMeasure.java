package io.lockstep.datacopy;

import io.lockstep.datacopy.NodeRunner.Captured;
import io.lockstep.run.StepContext;
import java.time.Duration;
import java.util.Map;

/**
 * One row of a {@code measure} step: {@code rsync --delete --dry-run --stats} on the source node,
 * which changes nothing and says how many bytes the final copy would move now ({@code Total
 * transferred file size}) out of how many the source holds ({@code Total file size}). Its figures
 * and its own time are what the final copy's forecast is made of ({@link Forecast}).
 */
final class RowMeasure {

  private final NodeRunner nodes;
  private final StepContext context;

  RowMeasure(NodeRunner nodes, StepContext context) {
    this.nodes = nodes;
    this.context = context;
  }

  RowCopy.Outcome run(CopyRow row) throws InterruptedException {
    long started = System.nanoTime();
    Captured dry = nodes.capture(row.sourceNode(),
        RsyncCommands.measure(row, nodes.host(row.targetNode())), 200);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    long bytes = -1;
    long files = -1;
    long size = 0;
    for (String line : dry.out()) {
      bytes = RsyncOutput.transferredBytes(line).orElse(bytes);
      files = RsyncOutput.transferredFiles(line).orElse(files);
      size = RsyncOutput.totalBytes(line).orElse(size);
    }
    if (!dry.ran().exited(0) || bytes < 0) {
      return failed(row, "measuring (rsync --dry-run --stats on " + row.sourceNode() + ") "
          + (dry.ran().exited(0) ? "printed no statistics" : dry.ran().described())
          + "; last error: " + (dry.lastError().isEmpty() ? "none" : dry.lastError()), 0, took);
    }
    context.figure("copy.delta." + row.key() + ".bytes", bytes);
    context.figure("copy.source." + row.key() + ".bytes", size);
    context.figure("copy.measure." + row.key() + ".millis", took.toMillis());
    context.info(row.described() + ": the final copy would move " + Bytes.shown(bytes)
        + (files >= 0 ? " in " + files + " file" + (files == 1 ? "" : "s") : "") + " of "
        + Bytes.shown(size) + " now" + estimate(row, bytes));
    return new RowCopy.Outcome(row, null, bytes, took, size, null);
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

  private RowCopy.Outcome failed(CopyRow row, String why, long bytes, Duration took) {
    String failure = row.described() + ": " + why;
    context.info(failure);
    return new RowCopy.Outcome(row, failure, bytes, took);
  }
}
