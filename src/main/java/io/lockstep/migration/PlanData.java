package io.lockstep.migration;

import io.lockstep.ssh.NodeNames;
import io.lockstep.ssh.RemotePaths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the rows of a plan's data as the plan stores them (from the planner, or from anyone
 * through the REST API): every malformed field is a problem naming its row; a row with any is left
 * out of the other rules. Numbers may arrive as Integer or Long.
 */
final class PlanData {

  static final String ROWS = "rows";

  private PlanData() {}

  /** The rows read and the problems found reading them. */
  record Read(List<Row> rows, List<Problem> problems) {}

  static Read rows(Map<String, Object> data) {
    List<Row> rows = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    Object value = data == null ? null : data.get(ROWS);
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      problems.add(Problem.general("noRows"));
      return new Read(rows, problems);
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) instanceof Map<?, ?> map) {
        Fields fields = new Fields(map, i);
        Row row = fields.row();
        if (fields.problems.isEmpty()) {
          rows.add(row);
        }
        problems.addAll(fields.problems);
      } else {
        problems.add(Problem.of("row " + (i + 1), "notAMap"));
      }
    }
    return new Read(rows, problems);
  }

  /** The fields of one row, each checked as it is taken. */
  private static final class Fields {

    private final Map<?, ?> map;
    private final String name;
    private final List<Problem> problems = new ArrayList<>();

    Fields(Map<?, ?> map, int index) {
      this.map = map;
      this.name = map.get("key") instanceof String k && !k.isBlank() ? k : "row " + (index + 1);
    }

    Row row() {
      String kind = text("kind");
      boolean host = Replica.HOST.equals(kind);
      return new Row(text("key"), text("component"), kind, host ? null : text("conf_key"),
          (int) number("ordinal", 1000), node("source_node"), path("source_path"), node("target_node"),
          path("target_path"), number("bytes", Long.MAX_VALUE));
    }

    private String text(String field) {
      Object value = map.get(field);
      if (value instanceof String s && !s.isBlank()) {
        return s;
      }
      problems.add(Problem.of(name, value == null ? "fieldMissing" : "fieldText", field));
      return "";
    }

    private long number(String field, long max) {
      Object value = map.get(field);
      if (value instanceof Integer || value instanceof Long) {
        long n = ((Number) value).longValue();
        if (n >= 0 && n <= max) {
          return n;
        }
      }
      problems.add(Problem.of(name, value == null ? "fieldMissing" : "fieldNumber", field));
      return 0;
    }

    private String node(String field) {
      String node = text(field);
      if (!node.isEmpty()) {
        try {
          NodeNames.require(node);
        } catch (IllegalArgumentException e) {
          problems.add(Problem.of(name, "invalid", field, e.getMessage()));
        }
      }
      return node;
    }

    private String path(String field) {
      String path = text(field);
      if (!path.isEmpty()) {
        try {
          RemotePaths.requireAbsolute(path);
        } catch (IllegalArgumentException e) {
          problems.add(Problem.of(name, "invalid", field, e.getMessage()));
        }
      }
      return path;
    }
  }
}
