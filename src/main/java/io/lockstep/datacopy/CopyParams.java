package io.lockstep.datacopy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The params of one {@code copy.rsync} step, checked ({@code config/procedures/README.md}). Every
 * message names the param (and the row) and says what is wrong.
 *
 * <p>Besides each row on its own, the rows together must be safe to copy: keys unique, no two
 * moving rows into the same directory, and no target directory equal to, inside or around any
 * row's source directory on that node (it would overwrite live data or copy a tree into itself).
 *
 * @param rows every row of the plan, in table order
 * @param mode pre, final or measure
 * @param bwlimit rsync's {@code --bwlimit} in KB/s; 0 for none (never used by measure)
 * @param verify after the final copy, prove each target equal to its source (final only)
 * @param parallel copy independent node pairs at once
 * @param forecastFor measure only: the phase whose duration the measurement forecasts (the final
 *     copy's), recorded as figure {@code forecast.<phase>.millis} for the window clock; null for none
 */
record CopyParams(List<CopyRow> rows, Mode mode, int bwlimit, boolean verify, boolean parallel, String forecastFor) {

  private static final Set<String> NAMES = Set.of("rows", "mode", "bwlimit", "verify", "parallel", "forecast_for");
  private static final java.util.regex.Pattern SLUG = java.util.regex.Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  CopyParams {
    rows = List.copyOf(rows);
    if (bwlimit < 0) {
      throw new IllegalArgumentException(
          "param 'bwlimit' is negative: give KB/s, or 0 for no limit");
    }
    if (verify && mode != Mode.FINAL) {
      throw new IllegalArgumentException("param 'verify' applies to mode final only");
    }
    checkTogether(rows);
    if (forecastFor != null && (mode != Mode.MEASURE || !SLUG.matcher(forecastFor).matches())) {
      throw new IllegalArgumentException("param 'forecast_for' names the phase a measure forecasts (a phase id"
          + " such as final-copy) and applies to mode measure only");
    }
  }

  /** Reads a step's resolved params. */
  static CopyParams from(Map<String, ?> params) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.removeAll(NAMES);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown param" + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "))
          + "; copy.rsync takes rows, mode, bwlimit, verify, parallel and forecast_for");
    }
    Mode mode = Mode.of(params.get("mode"));
    Object forecast = params.get("forecast_for");
    return new CopyParams(rows(params.get("rows")), mode, bwlimit(params.get("bwlimit")),
        bool(params, "verify", mode == Mode.FINAL), bool(params, "parallel", true),
        forecast == null ? null : String.valueOf(forecast));
  }

  /** The rows that move, in table order. */
  List<CopyRow> moving() {
    return rows.stream().filter(CopyRow::moves).toList();
  }

  /** The rows that stay where they are. */
  List<CopyRow> staying() {
    return rows.stream().filter(r -> !r.moves()).toList();
  }

  private static List<CopyRow> rows(Object rows) {
    if (rows == null) {
      throw new IllegalArgumentException("param 'rows' is missing: give the plan's rows "
          + "(rows: ${plan.rows})");
    }
    if (!(rows instanceof List<?> list)) {
      throw new IllegalArgumentException("param 'rows' must be a list of rows, not "
          + (rows instanceof Map<?, ?> ? "a map" : rows instanceof String ? "text" : rows));
    }
    List<CopyRow> read = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      read.add(CopyRow.from(list.get(i), i));
    }
    return read;
  }

  private static void checkTogether(List<CopyRow> rows) {
    Map<String, CopyRow> byKey = new HashMap<>();
    Map<String, CopyRow> byTarget = new HashMap<>();
    for (CopyRow row : rows) {
      if (byKey.put(row.key(), row) != null) {
        throw new IllegalArgumentException("param 'rows' holds key " + row.key() + " twice");
      }
      if (!row.moves()) {
        continue;
      }
      CopyRow other = byTarget.put(row.target(), row);
      if (other != null) {
        throw new IllegalArgumentException("param 'rows': rows " + other.key() + " and "
            + row.key() + " both copy into " + row.target());
      }
      for (CopyRow source : rows) {
        if (source.sourceNode().equals(row.targetNode())
            && overlap(source.sourcePath(), row.targetPath())) {
          throw new IllegalArgumentException("param 'rows': row " + row.key() + " would copy into "
              + row.target() + ", which "
              + (source.sourcePath().equals(row.targetPath()) ? "is" : "overlaps")
              + " the data directory of row " + source.key() + " (" + source.sourceNode() + ":"
              + source.sourcePath() + ")");
        }
      }
    }
  }

  /** One path is the other or lies inside it. */
  private static boolean overlap(String a, String b) {
    return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
  }

  private static int bwlimit(Object value) {
    if (value == null) {
      return 0;
    }
    if ((value instanceof Integer || value instanceof Long)
        && ((Number) value).longValue() <= Integer.MAX_VALUE) {
      return (int) ((Number) value).longValue();
    }
    if (value instanceof String text && text.matches("[0-9]{1,9}")) {
      return Integer.parseInt(text);
    }
    throw new IllegalArgumentException("param 'bwlimit' must be a whole number of KB/s, not "
        + (value instanceof String ? "'" + value + "'" : value));
  }

  private static boolean bool(Map<String, ?> params, String name, boolean otherwise) {
    Object value = params.get(name);
    if (value == null) {
      return otherwise;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean((String) value);
    }
    throw new IllegalArgumentException("param '" + name + "' must be true or false, not "
        + (value instanceof String ? "'" + value + "'" : value));
  }
}
