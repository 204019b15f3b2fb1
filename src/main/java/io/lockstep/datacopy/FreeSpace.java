package io.lockstep.datacopy;

import io.lockstep.datacopy.NodeRunner.Captured;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pre-copy's room check: per target node and filesystem, the free space {@code df} reports
 * must be at least {@code freeSpaceFactor} times the bytes still to copy there (the sources' sizes
 * as {@code du -sb} reports them now, less what targets begun by this run hold already). Rows
 * whose targets share a filesystem are added up; the refusal names each filesystem short of room
 * with its figures and rows.
 */
final class FreeSpace {

  private final StepContext context;
  private final double freeSpaceFactor;

  FreeSpace(StepContext context, double freeSpaceFactor) {
    this.context = context;
    this.freeSpaceFactor = freeSpaceFactor;
  }

  /**
   * Refuses the step unless every target filesystem has room for what is still to copy there.
   *
   * @param sources each row's source size, by key
   * @param present what the targets this run began filling hold already, by key
   * @param free each row's {@code df} output, by key
   */
  void require(List<CopyRow> rows, Map<String, Long> sources,
      Map<String, Long> present, Map<String, Captured> free) {
    Map<String, Need> needs = new LinkedHashMap<>();
    for (CopyRow row : rows) {
      long bytes = Math.max(0, sources.get(row.key()) - present.getOrDefault(row.key(), 0L));
      Filesystem fs = filesystem(row, free.get(row.key()));
      Need need = needs.computeIfAbsent(fs.id(), id -> new Need(fs));
      need.rows.add(row.key());
      need.bytes += bytes;
    }
    List<String> tight = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    for (Need need : needs.values()) {
      long required = (long) Math.ceil(need.bytes * freeSpaceFactor);
      String figures = need.fs.id() + ": " + Bytes.shown(need.fs.avail()) + " free, "
          + Bytes.shown(need.bytes) + " to copy (× " + String.format(Locale.ROOT, "%.2f",
              freeSpaceFactor) + " = " + Bytes.shown(required) + " needed)";
      if (need.fs.avail() < required) {
        tight.add(figures + " for " + String.join(", ", need.rows));
      } else {
        fine.add(figures);
      }
    }
    if (!tight.isEmpty()) {
      throw new StepFailedException("refused: nothing was copied, because free space is short on "
          + tight.size() + " target filesystem" + (tight.size() > 1 ? "s" : "") + ": "
          + String.join("; ", tight));
    }
    context.info("free space checked: " + String.join("; ", fine));
  }

  /** What one target filesystem must take. */
  private static final class Need {
    final Filesystem fs;
    final List<String> rows = new ArrayList<>();
    long bytes;

    Need(Filesystem fs) {
      this.fs = fs;
    }
  }

  /** A target filesystem: {@code node-4 / (/dev/vda1)}, with its free bytes. */
  private record Filesystem(String id, long avail) {}

  /** The sizes {@code du -sb} printed per node, by row key. */
  static Map<String, Long> sizes(List<CopyRow> rows, Map<String, Captured> byNode,
      boolean source) {
    Map<String, Long> sizes = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (CopyRow row : rows) {
      String node = source ? row.sourceNode() : row.targetNode();
      String path = source ? row.sourcePath() : row.targetPath();
      Captured du = byNode.get(node);
      Long size = du.out().stream().map(line -> line.split("\t", 2))
          .filter(parts -> parts.length == 2 && parts[1].equals(path)
              && parts[0].matches("\\d{1,19}"))
          .map(parts -> Long.parseLong(parts[0])).findFirst().orElse(null);
      if (size == null) {
        missing.add(row.key() + ": " + node + ":" + path + " (" + (du.ran().problem() != null
            ? du.ran().problem() : du.lastError().isEmpty() ? "du printed no size"
            : du.lastError()) + ")");
      } else {
        sizes.put(row.key(), size);
      }
    }
    if (!missing.isEmpty()) {
      throw new StepFailedException("refused: nothing was copied, because the size of "
          + (source ? "these source directories" : "these begun targets") + " could not be read: "
          + String.join("; ", missing));
    }
    return sizes;
  }

  /**
   * The filesystem the row's target directory will live on: that of its deepest existing
   * ancestor. {@code df} prints a line for each path that exists, in the order given, so with the
   * path and its ancestors deepest first, the first line belongs to the deepest that exists.
   */
  private static Filesystem filesystem(CopyRow row, Captured df) {
    List<String> lines = df.out().size() > 1 ? df.out().subList(1, df.out().size()) : List.of();
    String[] first = lines.isEmpty() ? new String[0] : lines.get(0).strip().split("\\s+", 3);
    if (df.ran().problem() != null || first.length < 3 || !first[0].matches("\\d{1,19}")) {
      throw new StepFailedException("refused: nothing was copied, because the free space for "
          + row.key() + " on " + row.targetNode() + " could not be read: "
          + (df.ran().problem() != null ? df.ran().problem()
              : df.lastError().isEmpty() ? "df printed no figures" : df.lastError()));
    }
    return new Filesystem(row.targetNode() + " " + first[2] + " (" + first[1] + ")",
        Long.parseLong(first[0]));
  }
}
