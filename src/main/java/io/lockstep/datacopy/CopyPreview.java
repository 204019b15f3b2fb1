package io.lockstep.datacopy;

import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview.Line;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a {@code copy.rsync} step will do, for the approver: the checks first, then per moving row
 * the exact commands on their nodes, then the rows left alone. Addresses are read from the cluster
 * as the copy will read them; one that cannot be read is shown as a placeholder and said so.
 */
final class CopyPreview {

  private final CopyParams params;
  private final DataCopyProperties properties;
  private final UnaryOperator<String> hostOf;

  CopyPreview(CopyParams params, DataCopyProperties properties, UnaryOperator<String> hostOf) {
    this.params = params;
    this.properties = properties;
    this.hostOf = hostOf;
  }

  List<Line> lines() {
    List<CopyRow> moving = params.moving();
    List<Line> lines = new ArrayList<>();
    if (moving.isEmpty()) {
      lines.add(Line.of("preview.copy.nothing", "nothing to copy: none of the {0} rows moves", params.rows().size()));
      return lines;
    }
    Map<String, String> hosts = new LinkedHashMap<>();
    for (String node : CopyRsync.nodes(moving)) {
      try {
        hosts.put(node, hostOf.apply(node));
      } catch (StepFailedException e) {
        hosts.put(node, "ADDRESS-OF-" + node);
        lines.add(Line.of("preview.copy.noAddress", "warning: {0}; the step will refuse to copy unless it is found then",
            e.getMessage()));
      }
    }
    lines.addAll(checks());
    for (CopyRow row : moving) {
      String host = hosts.get(row.targetNode());
      if (params.mode() != Mode.MEASURE) {
        lines.add(Line.of("preview.copy.on", "{0}: on {1}: {2}", row.described(), row.targetNode(),
            RsyncCommands.makeTarget(row)));
        lines.add(Line.of("preview.copy.on", "{0}: on {1}: {2}", row.described(), row.sourceNode(),
            RsyncCommands.copy(row, params.mode(), params.bwlimit(), host)));
      } else {
        lines.add(Line.of("preview.copy.measure", "{0}: on {1}: {2} (changes nothing)", row.described(), row.sourceNode(),
            RsyncCommands.measure(row, host)));
      }
      if (params.mode() == Mode.FINAL) {
        lines.add(Line.of("preview.copy.resend", "{0}: then, only for files an earlier verification of this run found"
            + " different (undo records {1}), on {2}: {3} re-sends exactly those by checksum (with more differences than"
            + " a verification lists: the copy above with {4} instead)", row.described(), Repairs.prefix(row) + "<n>",
            row.sourceNode(), RsyncCommands.resend(row, List.of("DIR/FILE"), host).get(0).toString()
                .replace("--include=/DIR/FILE", "--include=/DIR/FILE …"), "--checksum"));
      }
      if (params.mode() == Mode.FINAL && params.verify()) {
        lines.add(Line.of("preview.copy.verify", "{0}: then on {1}: {2} must list no difference", row.described(),
            row.sourceNode(), RsyncCommands.verify(row, host)));
      }
    }
    lines.add(pairs(moving));
    if (!params.staying().isEmpty()) {
      lines.add(Line.of("preview.copy.staying", "not copied, they stay where they are: {0}",
          CopyRsync.keys(params.staying())));
    }
    return lines;
  }

  /** How the node pairs take turns, and the timeout every command runs under. */
  private Line pairs(List<CopyRow> moving) {
    int pairs = CopyRsync.pairs(moving).size();
    String names = String.join(", ", CopyRsync.pairs(moving).keySet());
    String timeout = "timeout --kill-after=" + NodeRunner.seconds(properties.killAfter()) + "s <time left>s …";
    if (pairs == 1) {
      return Line.of("preview.copy.pair", "1 node pair ({0}); the rows of one pair one after the other; each command"
          + " under ''{1}'' on its node", names, timeout);
    }
    return params.parallel()
        ? Line.of("preview.copy.pairsAtOnce", "{2} node pairs ({0}) at once (at most {3}); the rows of one pair one"
            + " after the other; each command under ''{1}'' on its node", names, timeout, pairs, properties.parallelism())
        : Line.of("preview.copy.pairsInTurn", "{2} node pairs ({0}) one after the other; the rows of one pair one after"
            + " the other; each command under ''{1}'' on its node", names, timeout, pairs);
  }

  private List<Line> checks() {
    List<Line> checks = new ArrayList<>();
    if (params.mode() == Mode.MEASURE) {
      return checks;
    }
    checks.add(Line.of("preview.copy.checkEmpty", "before anything is copied: on each target node, every target"
        + " directory must be absent or empty ({0}), unless this run began filling it (undo record {1}); otherwise the"
        + " whole step is refused", "find DIR -mindepth 1 -maxdepth 1 -print -quit", "copy/<key>/started"));
    if (params.mode() == Mode.PRE) {
      checks.add(Line.of("preview.copy.checkSpace", "before anything is copied: each source''s size ({0} on the source"
          + " node) and each target filesystem''s free space ({1} on the target node), which must be at least {2} × the"
          + " bytes to copy there; otherwise the whole step is refused", "du -sb", "df -B1 --output=avail,source,target",
          String.format(Locale.ROOT, "%.2f", properties.freeSpaceFactor())));
    }
    return checks;
  }
}
