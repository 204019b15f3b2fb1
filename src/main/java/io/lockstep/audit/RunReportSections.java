package io.lockstep.audit;

import java.util.List;

/**
 * Contributes sections to the PDF report of one run (procedure and plan, who requested and
 * approved each phase, phases against their budgets, every step with its result). Beans of this
 * type are placed, in their {@code @Order}, after the cover and before the summary by type.
 *
 * <p>Since nothing may depend on the audit module, an implementation lives here in the audit
 * package as an adapter that reads the run module's public API, and its fragment sits in {@code
 * audit/report.html} or a template of its own.
 */
interface RunReportSections {

  /** The sections for {@code runId}; empty when the run is unknown to the contributor. */
  List<ReportSection> forRun(String runId);
}
