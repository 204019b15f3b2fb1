package io.lockstep.datacopy;

import io.lockstep.sshsteps.NodePool;

import io.lockstep.datacopy.NodeRunner.Captured;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What must hold before a copy writes anything, checked on the nodes over SSH (each node's
 * commands one after the other, the nodes at once); a check that fails refuses the whole step
 * with every offending row named, and nothing is copied anywhere.
 *
 * <p>A target directory must be absent or empty, because a copy into it would mix with or (with
 * the final copy's {@code --delete}) destroy what is there. The one exception is a target this
 * same run began filling: before its first write into a target, a copy records the undo record
 * {@code copy/<key>/started} (value {@code node:path}); a later attempt of the run, a retry after
 * a failed rsync or the final copy after the pre-copy, finds the record and carries on where the
 * data stands. A target non-empty for any other reason, an earlier run's attempt included, is
 * refused.
 *
 * <p>The pre-copy also needs room ({@link FreeSpace}). All checks only read, so they run together:
 * the nodes at once, a few commands at a time on each.
 */
final class TargetChecks {

  private static final int MAX_LINES = 10_000;
  private static final int PER_NODE = 3;

  private final NodeRunner nodes;
  private final StepContext context;
  private final double freeSpaceFactor;

  TargetChecks(NodeRunner nodes, StepContext context, double freeSpaceFactor) {
    this.nodes = nodes;
    this.context = context;
    this.freeSpaceFactor = freeSpaceFactor;
  }

  /**
   * What the checks found.
   *
   * @param sizes the size of each row's source now, by key (pre-copy only)
   * @param ready the keys of the rows whose target directory or its parent exists, so that
   *     rsync can make or fill it without a {@code mkdir -p} first
   */
  record Checked(Map<String, Long> sizes, Set<String> ready) {}

  /** The undo record a copy makes before it first writes into a row's target. */
  static String startedKey(CopyRow row) {
    return "copy/" + row.key() + "/started";
  }

  /**
   * Checks the targets and, with {@code space}, the free space for them.
   *
   * @throws StepFailedException naming every row in the way: a target not empty and not begun by
   *     this run, a source that cannot be measured, a filesystem without room
   */
  Checked check(List<CopyRow> rows, boolean space) throws InterruptedException {
    Looks looks = look(rows, space);
    List<CopyRow> begun = requireFree(rows, looks.found());
    Set<String> ready = rows.stream().filter(r -> looks.found().get(r.key()).ran().exited(0)
            || space && parentExists(r, looks.free().get(r.key())))
        .map(CopyRow::key).collect(Collectors.toSet());
    if (!space) {
      return new Checked(Map.of(), ready);
    }
    Map<String, Long> sourceSizes = FreeSpace.sizes(rows, looks.sizes(), true);
    new FreeSpace(context, freeSpaceFactor).require(rows, sourceSizes, FreeSpace.sizes(begun, begunSizes(begun), false),
        looks.free());
    return new Checked(sourceSizes, ready);
  }

  /**
   * What the nodes said: each target's first entry and free space, by row key; the sizes of each
   * node's sources, by node.
   */
  private record Looks(Map<String, Captured> found, Map<String, Captured> free,
      Map<String, Captured> sizes) {}

  /** Runs every read-only check at once (see {@link #runPerNode}). */
  private Looks look(List<CopyRow> rows, boolean space) throws InterruptedException {
    Looks looks = new Looks(new ConcurrentHashMap<>(), new ConcurrentHashMap<>(),
        new ConcurrentHashMap<>());
    Map<String, List<Callable<Void>>> byNode = new LinkedHashMap<>();
    for (CopyRow row : rows) {
      String node = row.targetNode();
      add(byNode, node, () -> looks.found().put(row.key(),
          nodes.capture(node, RsyncCommands.firstEntry(row.targetPath()), 5)));
      if (space) {
        add(byNode, node, () -> looks.free().put(row.key(), nodes.capture(node,
            RsyncCommands.freeSpace(RsyncCommands.selfAndAncestors(row.targetPath())), 50)));
      }
    }
    for (String node : space ? CopyRsync.nodes(rows) : List.<String>of()) {
      List<String> sources = rows.stream().filter(r -> r.sourceNode().equals(node))
          .map(CopyRow::sourcePath).distinct().toList();
      if (!sources.isEmpty()) {
        add(byNode, node, () -> looks.sizes().put(node,
            nodes.capture(node, RsyncCommands.sizes(sources), MAX_LINES)));
      }
    }
    runPerNode(byNode);
    return looks;
  }

  /** What the targets this run began filling hold already, by node. */
  private Map<String, Captured> begunSizes(List<CopyRow> begun) throws InterruptedException {
    Map<String, Captured> sizes = new HashMap<>();
    for (String node : begun.stream().map(CopyRow::targetNode).distinct().toList()) {
      sizes.put(node, nodes.capture(node, RsyncCommands.sizes(begun.stream()
          .filter(r -> r.targetNode().equals(node)).map(CopyRow::targetPath).toList()),
          MAX_LINES));
    }
    return sizes;
  }

  /** One check command, keeping what it found. */
  @FunctionalInterface
  private interface Check {
    void run() throws InterruptedException;
  }

  private static void add(Map<String, List<Callable<Void>>> byNode, String node, Check command) {
    byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(() -> {
      command.run();
      return null;
    });
  }

  /**
   * Runs every node's checks, the nodes at once and at most {@value #PER_NODE} commands on one
   * node at a time (sshd allows 10 sessions per connection by default).
   */
  private static void runPerNode(Map<String, List<Callable<Void>>> byNode)
      throws InterruptedException {
    List<Callable<Void>> lanes = new ArrayList<>();
    for (List<Callable<Void>> commands : byNode.values()) {
      for (int lane = 0; lane < Math.min(PER_NODE, commands.size()); lane++) {
        int first = lane;
        lanes.add(() -> {
          for (int i = first; i < commands.size(); i += PER_NODE) {
            commands.get(i).call();
          }
          return null;
        });
      }
    }
    NodePool.runAll(lanes, lanes.size(), "copy-check");
  }

  /**
   * The target's parent exists, so rsync makes the target itself and no {@code mkdir} is needed:
   * {@code df} printed a line for the parent (the second path given) or the target.
   */
  private static boolean parentExists(CopyRow row, Captured df) {
    int printed = df.out().size() - 1;
    return printed >= RsyncCommands.selfAndAncestors(row.targetPath()).size() - 1;
  }

  /** Every target absent, empty or begun by this run; the rows begun. */
  private List<CopyRow> requireFree(List<CopyRow> rows, Map<String, Captured> found) {
    List<String> refused = new ArrayList<>();
    List<CopyRow> begun = new ArrayList<>();
    int absent = 0;
    int empty = 0;
    for (CopyRow row : rows) {
      Captured first = found.get(row.key());
      if (first.ran().exited(0) && first.out().isEmpty()) {
        empty++;
      } else if (first.ran().exited(0)) {
        if (begunByThisRun(row)) {
          begun.add(row);
        } else {
          refused.add(row.key() + ": " + row.target() + " holds " + entry(first.out().get(0)));
        }
      } else if (first.ran().problem() == null && first.lastError().contains("No such file")) {
        absent++;
      } else {
        refused.add(row.key() + ": cannot look into " + row.target() + ": "
            + (first.ran().problem() != null ? first.ran().problem() : first.lastError()));
      }
    }
    if (!refused.isEmpty()) {
      throw new StepFailedException("refused: nothing was copied, because the target directories "
          + "of " + refused.size() + " row" + (refused.size() > 1 ? "s are" : " is")
          + " not empty and this run did not begin filling them (copying into them would mix or, "
          + "with the final copy's --delete, destroy what is there): "
          + String.join("; ", refused));
    }
    context.info("targets checked: " + absent + " absent, " + empty + " empty"
        + (begun.isEmpty() ? "" : ", " + begun.size() + " begun by this run (carried on: "
            + CopyRsync.keys(begun) + ")"));
    return begun;
  }

  /** This run recorded that it began filling the row's target (at the same place). */
  private boolean begunByThisRun(CopyRow row) {
    return context.undo().recorded(startedKey(row)).filter(row.target()::equals).isPresent();
  }

  private static String entry(String path) {
    return "'" + path.substring(path.lastIndexOf('/') + 1) + "'";
  }
}
