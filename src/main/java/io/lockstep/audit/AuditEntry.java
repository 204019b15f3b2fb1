package io.lockstep.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the audit trail, as stored: already masked, sealed by its hash and linked to the row
 * before it. Entries are never changed once written.
 *
 * @param seq position in the chain, gapless from 1
 * @param occurredAt when the event was appended (microsecond precision, UTC)
 * @param actor the user name, or {@code system} for the engine's own actions
 * @param type upper snake case, e.g. {@code PHASE_APPROVED}
 * @param runId the run the event concerns, or null
 * @param summary one line a person reads; secrets masked
 * @param details structured facts; every string masked
 * @param prevHash the hash of row {@code seq - 1} (64 zeros for row 1)
 * @param hash SHA-256 (hex) of the row's canonical encoding, see {@link AuditChain}
 */
public record AuditEntry(
    long seq,
    Instant occurredAt,
    String actor,
    String type,
    String runId,
    String summary,
    Map<String, Object> details,
    String prevHash,
    String hash) {

  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  public AuditEntry {
    details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** The time as people read it in tables: {@code 2026-11-25 20:00:01Z}. */
  public String occurredAtUtc() {
    return utc(occurredAt);
  }

  static String utc(Instant instant) {
    return instant == null ? "" : SHOWN.format(instant);
  }
}
