package io.lockstep.proton;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A unified diff of two texts, line by line, with three lines of context, as {@code diff -u} prints
 * it: {@code --- FROM}, {@code +++ TO}, then {@code @@ -l,n +l,n @@} hunks. Lines common to both
 * ends are matched first; the rest by longest common subsequence, or, for very long changed
 * stretches (over {@value #MAX_CELLS} line pairs), shown as removed and added whole.
 */
final class UnifiedDiff {

  static final int CONTEXT = 3;
  private static final int MAX_CELLS = 4_000_000;

  private enum Kind { SAME, REMOVED, ADDED }

  private record Op(Kind kind, String line) {}

  private UnifiedDiff() {}

  /** The diff; empty when the texts have the same lines. */
  static String of(String from, String to, String before, String after) {
    List<Op> ops = ops(lines(before), lines(after));
    if (ops.stream().allMatch(op -> op.kind() == Kind.SAME)) {
      return "";
    }
    StringBuilder diff = new StringBuilder("--- ").append(from).append('\n')
        .append("+++ ").append(to).append('\n');
    int i = 0;
    int aLine = 0;
    int bLine = 0;
    while (i < ops.size()) {
      int change = next(ops, i);
      if (change < 0) {
        break;
      }
      int start = Math.max(i, change - CONTEXT);
      for (int k = i; k < start; k++) {
        aLine++;
        bLine++;
      }
      int end = hunkEnd(ops, change);
      diff.append(hunk(ops.subList(start, end), aLine, bLine));
      for (Op op : ops.subList(start, end)) {
        aLine += op.kind() == Kind.ADDED ? 0 : 1;
        bLine += op.kind() == Kind.REMOVED ? 0 : 1;
      }
      i = end;
    }
    return diff.toString();
  }

  private static int next(List<Op> ops, int from) {
    for (int k = from; k < ops.size(); k++) {
      if (ops.get(k).kind() != Kind.SAME) {
        return k;
      }
    }
    return -1;
  }

  /** Where the hunk starting at change {@code first} ends: context after its last change. */
  private static int hunkEnd(List<Op> ops, int first) {
    int last = first;
    int k = first + 1;
    while (k < ops.size()) {
      int change = next(ops, k);
      if (change < 0 || change - last - 1 > 2 * CONTEXT) {
        break;
      }
      last = change;
      k = change + 1;
    }
    return Math.min(ops.size(), last + 1 + CONTEXT);
  }

  private static String hunk(List<Op> ops, int aStart, int bStart) {
    int aCount = (int) ops.stream().filter(op -> op.kind() != Kind.ADDED).count();
    int bCount = (int) ops.stream().filter(op -> op.kind() != Kind.REMOVED).count();
    StringBuilder hunk = new StringBuilder("@@ -").append(range(aStart, aCount)).append(" +")
        .append(range(bStart, bCount)).append(" @@\n");
    for (Op op : ops) {
      hunk.append(switch (op.kind()) {
        case SAME -> ' ';
        case REMOVED -> '-';
        case ADDED -> '+';
      }).append(op.line()).append('\n');
    }
    return hunk.toString();
  }

  private static String range(int start, int count) {
    return (count == 0 ? start : start + 1) + "," + count;
  }

  private static List<Op> ops(List<String> a, List<String> b) {
    int prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix
        && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
      suffix++;
    }
    List<Op> ops = new ArrayList<>();
    a.subList(0, prefix).forEach(line -> ops.add(new Op(Kind.SAME, line)));
    middle(a.subList(prefix, a.size() - suffix), b.subList(prefix, b.size() - suffix), ops);
    a.subList(a.size() - suffix, a.size()).forEach(line -> ops.add(new Op(Kind.SAME, line)));
    return ops;
  }

  private static void middle(List<String> a, List<String> b, List<Op> ops) {
    int n = a.size();
    int m = b.size();
    if ((long) n * m > MAX_CELLS) {
      a.forEach(line -> ops.add(new Op(Kind.REMOVED, line)));
      b.forEach(line -> ops.add(new Op(Kind.ADDED, line)));
      return;
    }
    int[][] common = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
            : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.add(new Op(Kind.SAME, a.get(i++)));
        j++;
      } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
        ops.add(new Op(Kind.REMOVED, a.get(i++)));
      } else {
        ops.add(new Op(Kind.ADDED, b.get(j++)));
      }
    }
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
