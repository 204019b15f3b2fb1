package io.lockstep.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which audit rows to show or export; every part is optional and the parts combine with AND.
 *
 * @param runId only rows of this run
 * @param actor only rows of this user (exact name)
 * @param type only rows of this type (upper snake case; lower case is accepted and converted)
 * @param from only rows that occurred at or after this instant
 * @param to only rows that occurred before this instant
 */
public record AuditFilter(String runId, String actor, String type, Instant from, Instant to) {

  /** Every row. */
  public static final AuditFilter ALL = new AuditFilter(null, null, null, null, null);

  static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

  public AuditFilter {
    runId = blankToNull(runId);
    actor = blankToNull(actor);
    type = blankToNull(type) == null ? null : type.trim().toUpperCase(Locale.ROOT);
    if (runId != null && !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("run: '" + runId + "' is not a run id (letters, digits, . _ : -, at most 64)");
    }
    if (type != null && !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("type: '" + type + "' is not an event type (like PHASE_APPROVED)");
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
  }

  /** The rows of one run. */
  public static AuditFilter forRun(String runId) {
    if (blankToNull(runId) == null) {
      throw new IllegalArgumentException("run: a run id is required");
    }
    return new AuditFilter(runId, null, null, null, null);
  }

  /** The filter in words for report headers: {@code run=r-7, type=STEP_FINISHED}, or {@code all events}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    add(parts, "run", runId);
    add(parts, "actor", actor);
    add(parts, "type", type);
    add(parts, "from", from);
    add(parts, "to", to);
    return parts.isEmpty() ? "all events" : String.join(", ", parts);
  }

  private static void add(List<String> parts, String name, Object value) {
    if (value != null) {
      parts.add(name + "=" + value);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
