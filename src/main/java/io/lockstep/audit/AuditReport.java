package io.lockstep.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the PDF report shows.
 *
 * @param runId the run the report is about, or null for a report over a filter
 * @param filter the filter in words
 * @param generatedAt when the report was made
 * @param generatedBy who asked for it
 * @param throughSeq the last chain row the report takes into account (its own export event)
 * @param verification the chain checked up to {@code throughSeq}
 * @param anchor the anchor file's newest checkpoint when the report was made, or null
 * @param sections the parts between the cover and the events table
 * @param entries the events, oldest first
 */
record AuditReport(
    String runId,
    String filter,
    Instant generatedAt,
    String generatedBy,
    long throughSeq,
    Verification verification,
    Checkpoint anchor,
    List<ReportSection> sections,
    List<AuditEntry> entries) {

  AuditReport {
    sections = List.copyOf(sections);
    entries = List.copyOf(entries);
  }

  /** Rows per events table: several short tables lay out much faster than one long one. */
  static final int TABLE_ROWS = 500;

  public String generatedAtUtc() {
    return AuditEntry.utc(generatedAt);
  }

  public long rowCount() {
    return entries.size();
  }

  /** The entries in consecutive slices of {@value #TABLE_ROWS}, one events table each. */
  public List<List<AuditEntry>> entryTables() {
    List<List<AuditEntry>> tables = new ArrayList<>();
    for (int from = 0; from < entries.size(); from += TABLE_ROWS) {
      tables.add(entries.subList(from, Math.min(entries.size(), from + TABLE_ROWS)));
    }
    return tables;
  }
}
