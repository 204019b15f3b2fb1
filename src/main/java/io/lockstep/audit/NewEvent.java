package io.lockstep.audit;

import java.util.regex.Pattern;

/**
 * An event about to be appended, already masked: summary clipped to the column, details as
 * canonical JSON text. Refuses what would make an unreadable trail.
 */
record NewEvent(String type, String actor, String runId, String summary, String details) {

  static final int ACTOR_MAX = 128;
  static final int SUMMARY_MAX = 2000;
  private static final Pattern TYPE = AuditFilter.TYPE;

  NewEvent {
    if (type == null || !TYPE.matcher(type).matches()) {
      throw new IllegalArgumentException("audit type '" + type + "' must be upper snake case, like PHASE_APPROVED");
    }
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("an audit event of type " + type + " needs an actor (a user name or 'system')");
    }
    if (runId != null && !AuditFilter.RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException("audit run id '" + runId + "' is not a run id");
    }
    actor = clip(actor.strip(), ACTOR_MAX);
    summary = clip(summary == null ? "" : summary, SUMMARY_MAX);
    details = details == null ? "{}" : details;
  }

  /** At most {@code max} characters, ending in an ellipsis when cut; never splits a surrogate pair. */
  static String clip(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "…";
  }
}
