package io.lockstep.datacopy;

import io.lockstep.run.StepFailedException;
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

  List<String> lines() {
    List<CopyRow> moving = params.moving();
    List<String> lines = new ArrayList<>();
    if (moving.isEmpty()) {
      lines.add("nothing to copy: none of the " + params.rows().size() + " rows moves");
      return lines;
    }
    Map<String, String> hosts = new LinkedHashMap<>();
    for (String node : CopyRsync.nodes(moving)) {
      try {
        hosts.put(node, hostOf.apply(node));
      } catch (StepFailedException e) {
        hosts.put(node, "ADDRESS-OF-" + node);
        lines.add("warning: " + e.getMessage() + "; the step will refuse to copy unless it is "
            + "found then");
      }
    }
    lines.addAll(checks());
    for (CopyRow row : moving) {
      String host = hosts.get(row.targetNode());
      if (params.mode() != Mode.MEASURE) {
        lines.add(row.described() + ": on " + row.targetNode() + ": "
            + RsyncCommands.makeTarget(row));
        lines.add(row.described() + ": on " + row.sourceNode() + ": "
            + RsyncCommands.copy(row, params.mode(), params.bwlimit(), host));
      } else {
        lines.add(row.described() + ": on " + row.sourceNode() + ": "
            + RsyncCommands.measure(row, host) + " (changes nothing)");
      }
      if (params.mode() == Mode.FINAL) {
        lines.add(row.described() + ": then, only for files an earlier verification of this run "
            + "found different (undo records " + Repairs.prefix(row) + "<n>), on "
            + row.sourceNode() + ": " + RsyncCommands.resend(row, List.of("DIR/FILE"), host).get(0)
                .toString().replace("--include=/DIR/FILE", "--include=/DIR/FILE …")
            + " re-sends exactly those by checksum (with more differences than a verification "
            + "lists: the copy above with --checksum instead)");
      }
      if (params.mode() == Mode.FINAL && params.verify()) {
        lines.add(row.described() + ": then on " + row.sourceNode() + ": "
            + RsyncCommands.verify(row, host) + " must list no difference");
      }
    }
    int pairs = CopyRsync.pairs(moving).size();
    lines.add(pairs + " node pair" + (pairs > 1 ? "s" : "") + " ("
        + String.join(", ", CopyRsync.pairs(moving).keySet()) + ")"
        + (pairs > 1 && params.parallel() ? " at once (at most " + properties.parallelism() + ")"
            : pairs > 1 ? " one after the other" : "")
        + "; the rows of one pair one after the other; each command under 'timeout --kill-after="
        + NodeRunner.seconds(properties.killAfter()) + "s <time left>s …' on its node");
    if (!params.staying().isEmpty()) {
      lines.add("not copied, they stay where they are: " + CopyRsync.keys(params.staying()));
    }
    return lines;
  }

  private List<String> checks() {
    List<String> checks = new ArrayList<>();
    if (params.mode() == Mode.MEASURE) {
      return checks;
    }
    checks.add("before anything is copied: on each target node, every target directory must be "
        + "absent or empty (find DIR -mindepth 1 -maxdepth 1 -print -quit), unless this run began "
        + "filling it (undo record copy/<key>/started); otherwise the whole step is refused");
    if (params.mode() == Mode.PRE) {
      checks.add("before anything is copied: each source's size (du -sb on the source node) and "
          + "each target filesystem's free space (df -B1 --output=avail,source,target on the "
          + "target node), which must be at least " + String.format(Locale.ROOT, "%.2f",
              properties.freeSpaceFactor()) + " × the bytes to copy there; otherwise the whole "
          + "step is refused");
    }
    return checks;
  }
}
