package io.lockstep.lab.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Aligns a table as coreutils does: each column as wide as its widest cell (and at least its
 * minimum width), separated by one space; a left-aligned last column gets no padding.
 */
final class Columns {

  private Columns() {}

  static List<String> align(List<String[]> rows, Set<Integer> leftColumns, int... minWidths) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (int c = 0; c < columns && c < minWidths.length; c++) {
      widths[c] = minWidths[c];
    }
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        boolean left = leftColumns.contains(c);
        String pad = " ".repeat(widths[c] - row[c].length());
        if (left && c == columns - 1) {
          line.append(row[c]);
        } else {
          line.append(left ? row[c] + pad : pad + row[c]);
        }
        if (c < columns - 1) {
          line.append(' ');
        }
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
