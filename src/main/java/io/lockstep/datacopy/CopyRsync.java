package io.lockstep.datacopy;

import io.lockstep.sshsteps.NodePool;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.ssh.NodeShell;
import io.lockstep.sshsteps.NodeAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * {@code copy.rsync}: copies the data directories of the plan's rows that move (PROCEDURES.md P1
 * "Copy data", phases 5 and 11; params in {@code config/procedures/README.md}).
 *
 * <p>Every node's address is looked up first, so a row naming a node the cluster does not have
 * changes nothing. The pre-copy and the final copy then check the targets ({@link TargetChecks}:
 * absent or empty; the pre-copy also free space) and refuse the whole step, naming each offending
 * row, before anything is written. Node pairs run in parallel (at most {@code
 * lockstep.datacopy.parallelism}), the rows of one pair one after the other; a failing row does not
 * stop the others, and the step fails once all have ended, naming each failed row with its node,
 * rsync's exit status and last error line.
 *
 * <p><b>Running it again.</b> Before a copy first writes into a row's target it records the undo
 * record {@code copy/<key>/started}. A later attempt of the same run (a retry after an rsync that
 * failed halfway, the console restarting mid-copy) accepts a target that record names and lets
 * rsync carry on from what is there; the final copy accepts the targets the pre-copy filled the
 * same way. A target that is not empty for any other reason is refused. So within one run both
 * copies are safe to repeat ({@code repeatable: true}); a new run of the same plan finds the
 * targets filled by another run and refuses them until someone empties them.
 *
 * <p><b>Repairing by retry.</b> A final copy whose checksum verification finds a target different
 * fails, keeping the differing files as undo records ({@link Repairs}); the next attempt re-sends
 * exactly those by checksum and verifies again ({@link RowCopy}). The step's message says so.
 */
@Component
class CopyRsync implements StepExecutor {

  static final String TYPE = "copy.rsync";

  private final NodeShell shell;
  private final NodeAddresses addresses;
  private final DataCopyProperties properties;

  CopyRsync(NodeShell shell, NodeAddresses addresses, DataCopyProperties properties) {
    this.shell = shell;
    this.addresses = addresses;
    this.properties = properties;
  }

  @Override
  public String type() {
    return TYPE;
  }

  /** Copies take as long as the data needs; procedures give their own {@code timeout}. */
  @Override
  public Duration defaultTimeout() {
    return Duration.ofHours(12);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    CopyParams copy = CopyParams.from(params);
    return StepPreview.of(new CopyPreview(copy, properties, addresses::hostOf).lines());
  }

  @Override
  public String execute(StepContext context) throws InterruptedException {
    CopyParams params = CopyParams.from(context.params());
    long deadline = System.nanoTime() + context.timeout().toNanos();
    List<CopyRow> moving = params.moving();
    if (!params.staying().isEmpty()) {
      context.info("not copied, they stay where they are: " + keys(params.staying()));
    }
    if (moving.isEmpty()) {
      return context.said(Line.of("summary.copy.nothing", "nothing to copy: none of the {0} rows moves",
          params.rows().size()));
    }
    NodeRunner nodes = new NodeRunner(shell, hosts(moving), context, properties.killAfter(),
        deadline);
    Map<String, List<CopyRow>> pairs = pairs(moving);
    context.info(params.mode().id() + " copy of " + plural(moving.size(), "row") + " over "
        + plural(pairs.size(), "node pair") + "; every command runs under '"
        + String.join(" ", NodeRunner.wrap(context.timeout(), properties.killAfter()))
        + " …' on its node, so the node ends it when the step's time is up");
    TargetChecks.Checked checked = params.mode() == Mode.MEASURE
        ? new TargetChecks.Checked(Map.of(), Set.of())
        : new TargetChecks(nodes, context, properties.freeSpaceFactor())
            .check(moving, params.mode() == Mode.PRE);
    RowCopy copy = new RowCopy(nodes, context, params, checked);
    long started = System.nanoTime();
    List<RowCopy.Outcome> outcomes = NodePool.runAll(pairs.values().stream()
        .<Callable<List<RowCopy.Outcome>>>map(rows -> () -> inOrder(copy, rows)).toList(),
        params.parallel() ? properties.parallelism() : 1, "copy-rsync")
        .stream().flatMap(List::stream).toList();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    List<String> failures = outcomes.stream().map(RowCopy.Outcome::failure)
        .filter(Objects::nonNull).toList();
    if (!failures.isEmpty()) {
      throw new StepFailedException(failures.size() + " of " + plural(moving.size(), "row")
          + " failed: " + String.join("; ", failures) + repairedByRetry(outcomes));
    }
    if (params.forecastFor() != null) {
      new Forecast(context, params).record(pairs, outcomes);
    }
    return context.said(summary(params, outcomes, took));
  }

  /**
   * After a verification found targets different: how a retry repairs them. The differences were
   * kept as undo records ({@link Repairs}), so the retry knows exactly which files to re-send by
   * checksum, also after the console restarted.
   */
  private static String repairedByRetry(List<RowCopy.Outcome> outcomes) {
    Map<CopyRow, Differences> found = new LinkedHashMap<>();
    for (RowCopy.Outcome outcome : outcomes) {
      if (outcome.differences() != null) {
        found.put(outcome.row(), outcome.differences());
      }
    }
    if (found.isEmpty()) {
      return "";
    }
    List<CopyRow> listed = found.keySet().stream().filter(r -> !found.get(r).truncated()).toList();
    List<CopyRow> wholeRows = found.keySet().stream().filter(r -> found.get(r).truncated()).toList();
    int files = listed.stream().mapToInt(r -> found.get(r).files().size()).sum();
    List<String> does = new ArrayList<>(List.of("copies again (mirroring the source)"));
    if (files > 0) {
      does.add("re-sends exactly the " + plural(files, "file") + " this verification found "
          + "different" + (wholeRows.isEmpty() ? "" : " in " + keys(listed))
          + ", comparing by checksum instead of size and time");
    }
    if (!wholeRows.isEmpty()) {
      does.add("compares every file of " + keys(wholeRows) + " by checksum (too many "
          + "differences to list)");
    }
    return ". Retrying this step repairs this: it " + String.join(", ", does)
        + ", then verifies again";
  }

  /** One pair's rows, one after the other; a failed row does not stop the next. */
  private static List<RowCopy.Outcome> inOrder(RowCopy copy, List<CopyRow> rows)
      throws InterruptedException {
    List<RowCopy.Outcome> outcomes = new ArrayList<>();
    for (CopyRow row : rows) {
      outcomes.add(copy.run(row));
    }
    return outcomes;
  }

  /** The moving rows by node pair, pairs and rows in table order. */
  static Map<String, List<CopyRow>> pairs(List<CopyRow> rows) {
    Map<String, List<CopyRow>> pairs = new LinkedHashMap<>();
    rows.forEach(row -> pairs.computeIfAbsent(row.pair(), p -> new ArrayList<>()).add(row));
    return pairs;
  }

  /** Every node's address, or a refusal naming each row whose node cannot be found. */
  private Map<String, String> hosts(List<CopyRow> rows) {
    Map<String, String> hosts = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String node : nodes(rows)) {
      try {
        hosts.put(node, addresses.hostOf(node));
      } catch (StepFailedException e) {
        problems.add(e.getMessage() + " (rows " + keys(rows.stream()
            .filter(r -> r.sourceNode().equals(node) || r.targetNode().equals(node)).toList())
            + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException("refused: nothing was copied, because "
          + String.join("; ", problems));
    }
    return hosts;
  }

  static Line summary(CopyParams params, List<RowCopy.Outcome> outcomes, Duration took) {
    long bytes = outcomes.stream().mapToLong(RowCopy.Outcome::bytes).sum();
    Line rows = rows(outcomes.size());
    Line said;
    if (params.mode() == Mode.MEASURE) {
      said = Line.of("summary.copy.measure", "the final copy would move {0} over {1} now", Bytes.shown(bytes), rows);
    } else {
      said = Line.of("summary.copy.copied", "{0} copy of {1}: {2} in {3} ({4})", params.mode().id(), rows,
          Bytes.shown(bytes), Bytes.seconds(took), Bytes.rate(bytes, took));
      if (params.mode() == Mode.FINAL && params.verify()) {
        said = Line.of("summary.copy.verified", "{0}, verified by checksum", said);
      }
    }
    if (params.staying().isEmpty()) {
      return said;
    }
    return params.staying().size() == 1 ? Line.of("summary.copy.oneStays", "{0}; 1 row stays", said)
        : Line.of("summary.copy.manyStay", "{0}; {1} rows stay", said, params.staying().size());
  }

  /** {@code 1 row}, {@code 3 rows}, in the reader's language. */
  private static Line rows(int count) {
    return count == 1 ? Line.of("summary.copy.row", "1 row") : Line.of("summary.copy.rows", "{0} rows", count);
  }

  /** {@code 1 row}, {@code 3 rows}. */
  static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  static String keys(List<CopyRow> rows) {
    return rows.stream().map(CopyRow::key).collect(Collectors.joining(", "));
  }

  /** Every node the moving rows touch. */
  static List<String> nodes(List<CopyRow> rows) {
    return rows.stream().flatMap(r -> Stream.of(r.sourceNode(), r.targetNode())).distinct()
        .toList();
  }
}
