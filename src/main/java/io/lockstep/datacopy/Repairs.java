package io.lockstep.datacopy;

import io.lockstep.run.StepContext.UndoRecords;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What a failed verification leaves for the next attempt of the step: the files of a row that
 * differ from the source, kept as the run's undo records {@code copy/<key>/differs/<n>} (numbered
 * from 1, one per failed verification), so that a retry, also one after the console restarted,
 * re-sends exactly those files by checksum. A verification that then finds the row equal settles
 * the records: the target is what it should be again.
 *
 * <p>A record's value is one line saying what the retry does, then one path per line as rsync
 * printed it ({@link Differences}):
 *
 * <pre>
 * re-send by checksum: 2 files
 * segment-00002.log
 * index/00000001.index
 * </pre>
 *
 * or, when the verification found more differences than it keeps ({@value Differences#MAX}), the
 * line {@code re-send by checksum: every file of the row (at least 1000 differences)}: the retry
 * then copies the whole row comparing every file by checksum.
 */
final class Repairs {

  private static final String FILES = "re-send by checksum: ";
  private static final String WHOLE_ROW = "re-send by checksum: every file of the row";

  private final UndoRecords undo;

  Repairs(UndoRecords undo) {
    this.undo = undo;
  }

  /**
   * What the retry of one row must re-send by checksum: every standing record's files together.
   *
   * @param keys the records it comes from, to settle once the row verifies equal
   * @param files the paths, relative to the row's directories, as rsync prints them; sorted
   * @param wholeRow compare every file of the row by checksum (a record could not list them all)
   */
  record Pending(List<String> keys, List<String> files, boolean wholeRow) {

    /** Nothing to repair. */
    static final Pending NONE = new Pending(List.of(), List.of(), false);

    Pending {
      keys = List.copyOf(keys);
      files = List.copyOf(files);
    }

    boolean none() {
      return keys.isEmpty();
    }
  }

  static String prefix(CopyRow row) {
    return "copy/" + row.key() + "/differs/";
  }

  Pending pending(CopyRow row) {
    Map<String, String> standing = undo.all(prefix(row));
    TreeSet<String> files = new TreeSet<>();
    boolean wholeRow = false;
    for (String value : standing.values()) {
      List<String> lines = Arrays.asList(value.split("\n"));
      wholeRow |= lines.get(0).startsWith(WHOLE_ROW);
      lines.subList(1, lines.size()).stream().filter(l -> !l.isEmpty()).forEach(files::add);
    }
    return new Pending(new ArrayList<>(standing.keySet()), new ArrayList<>(files), wholeRow);
  }

  /**
   * Keeps what a verification found for the next attempt, when there is something a copy by size
   * and time could pass over; returns the record's key, or null when there was nothing to keep.
   */
  @Nullable String record(CopyRow row, Differences found) {
    List<String> files = found.files();
    if (!found.truncated() && files.isEmpty()) {
      return null;
    }
    int n = 1;
    while (undo.recorded(prefix(row) + n).isPresent()) {
      n++;
    }
    String value = found.truncated()
        ? WHOLE_ROW + " (" + found.counted() + ")"
        : FILES + files.size() + " file" + (files.size() == 1 ? "" : "s") + "\n" + String.join("\n", files);
    undo.recordOnce(prefix(row) + n, value);
    return prefix(row) + n;
  }

  /** The row verified equal: what the records asked for is done. */
  void settle(Pending pending) {
    pending.keys().forEach(undo::settle);
  }
}
