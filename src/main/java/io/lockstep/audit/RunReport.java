package io.lockstep.audit;

import io.lockstep.run.RunDetails;
import io.lockstep.run.RunException;
import io.lockstep.run.RunViews;
import java.util.List;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The run part of a run's PDF report, read from the run module: procedure and plan, who requested
 * and who decided each phase (voided decisions included), the phases against their budgets, and
 * every step with its result. Fragments in {@code audit/run-sections.html}.
 */
@Component
@Order(0)
class RunReport implements RunReportSections {

  static final String TEMPLATE = "audit/run-sections";

  private final RunViews runs;

  RunReport(RunViews runs) {
    this.runs = runs;
  }

  @Override
  public List<ReportSection> forRun(String runId) {
    RunDetails details;
    try {
      details = runs.details(runId, LocaleContextHolder.getLocale());
    } catch (RunException.NotFound e) {
      return List.of();
    }
    return List.of(
        new ReportSection(TEMPLATE, "run-summary", details),
        new ReportSection(TEMPLATE, "run-phases", details),
        new ReportSection(TEMPLATE, "run-steps", details));
  }
}
