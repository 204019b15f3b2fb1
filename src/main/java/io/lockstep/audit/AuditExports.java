package io.lockstep.audit;

import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Exports the audit trail as CSV, JSON or PDF. Every export is itself audited: {@link #start}
 * appends {@code EXPORT_CREATED} (who, format, filter) before a byte is written, and the export
 * covers the chain up to and including that row, so it shows its own creation when the filter
 * matches it. CSV and JSON stream any number of rows; a PDF is refused above {@code
 * lockstep.audit.pdf-max-rows}. Every export carries the anchor file's newest checkpoint (seq, hash,
 * signature), so a copy of the chain's head leaves with it.
 */
@Component
class AuditExports {

  static final String EXPORT_CREATED = "EXPORT_CREATED";
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final AuditLog log;
  private final PdfReport pdf;
  private final ObjectMapper json;
  private final ObjectProvider<RunReportSections> runSections;
  private final AuditProperties properties;
  private final Clock clock;

  AuditExports(AuditLog log, PdfReport pdf, ObjectMapper json, ObjectProvider<RunReportSections> runSections,
      AuditProperties properties, Clock clock) {
    this.log = log;
    this.pdf = pdf;
    this.json = json;
    this.runSections = runSections;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * An export that has been audited and may now be written.
   *
   * @param anchor the anchor file's newest checkpoint once {@code created} was anchored (normally
   *     {@code created} itself), which the export carries; null without an anchor file
   */
  record Export(ExportFormat format, AuditFilter filter, boolean runReport, String user, AuditEntry created,
      Checkpoint anchor) {

    String filename() {
      String time = FILE_TIME.format(created.occurredAt());
      return (runReport ? "lockstep-run-" + filter.runId() + "-audit-" : "lockstep-audit-") + time + "." + format.extension();
    }
  }

  /**
   * Checks the export can be made and records it in the trail.
   *
   * @param runReport whether this is the report of the run named by {@code filter.runId()}
   * @throws IllegalArgumentException when a PDF would hold more rows than allowed
   */
  Export start(ExportFormat format, AuditFilter filter, boolean runReport, String user) {
    if (format == ExportFormat.PDF) {
      long rows = log.count(filter);
      if (rows >= properties.pdfMaxRows()) {
        throw new IllegalArgumentException("a PDF holds at most %d events and this selection has %d; narrow the filter or export CSV or JSON"
            .formatted(properties.pdfMaxRows(), rows));
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("format", format.extension());
    details.put("filter", filter.describe());
    details.put("runReport", runReport);
    String what = runReport ? "the audit report of run " + filter.runId() : "the audit trail (" + filter.describe() + ")";
    AuditEntry created = log.append(EXPORT_CREATED, user, filter.runId(),
        "Exported " + what + " as " + format.name(), details);
    return new Export(format, filter, runReport, user, created, log.anchored());
  }

  void write(Export export, Locale locale, OutputStream out) {
    AuditEntry created = export.created();
    switch (export.format()) {
      case CSV -> CsvExport.write(log, export.filter(), created.seq(), export.anchor(), out);
      case JSON -> JsonExport.write(json, log, export.filter(), created.seq(),
          log.verifyUpTo(created.seq(), created.hash()), export.anchor(), export.user(), clock.instant(), out);
      case PDF -> pdf.write(report(export), locale, out);
    }
  }

  AuditReport report(Export export) {
    AuditEntry created = export.created();
    Verification verification = log.verifyUpTo(created.seq(), created.hash());
    List<ReportSection> sections = new ArrayList<>();
    if (export.runReport()) {
      runSections.orderedStream().forEach(contributor -> sections.addAll(contributor.forRun(export.filter().runId())));
    }
    sections.add(new ReportSection(PdfReport.TEMPLATE, "type-summary", log.typeCounts(export.filter(), created.seq())));
    List<AuditEntry> entries = new ArrayList<>();
    log.forEach(export.filter(), created.seq(), entries::add);
    Instant now = clock.instant();
    return new AuditReport(export.runReport() ? export.filter().runId() : null, export.filter().describe(), now,
        export.user(), created.seq(), verification, export.anchor(), sections, entries);
  }
}
