package io.lockstep.audit;

import io.lockstep.testing.PdfText;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PDF report opens in a PDF reader, shows Chinese text and holds large trails. */
class PdfReportTest {

  private static final Logger log = LoggerFactory.getLogger(PdfReportTest.class);
  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");

  @Test
  void rendersChineseSummariesAndEveryEntry() {
    List<AuditEntry> entries = List.of(
        entry(1, "op1", "RUN_REQUESTED", "Requested run r-7 of procedure move-data"),
        entry(2, "ap1", "PHASE_APPROVED", "批准阶段 1:停止应用服务"),
        entry(3, "system", "STEP_FINISHED", "停止应用服务 (exit 0, 2.4 s)"));
    PdfText pdf = render(report("r-7", entries), Locale.SIMPLIFIED_CHINESE);

    assertThat(pdf.squeezed()).contains("停止应用服务").contains("批准阶段1:停止应用服务").contains("RUN_REQUESTED")
        .contains("PHASE_APPROVED").contains("ap1").contains("r-7").contains("2026-11-2520:00:03Z");
  }

  @Test
  void rendersTenThousandEvents() {
    List<AuditEntry> entries = new ArrayList<>();
    for (int i = 1; i <= 10_000; i++) {
      entries.add(entry(i, i % 2 == 0 ? "op1" : "system", i % 3 == 0 ? "STEP_FINISHED" : "STEP_STARTED",
          "节点 node-" + (i % 6 + 1) + " 上的步骤 " + i + ": systemctl stop proton-app-" + i));
    }
    AuditReport report = report(null, entries);
    AnAuditTrail.pdf();
    long start = System.nanoTime();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnAuditTrail.pdf().write(report, Locale.ENGLISH, out);
    long millis = (System.nanoTime() - start) / 1_000_000;
    PdfText pdf = PdfText.of(out.toByteArray());
    log.info("PDF of 10,000 events: {} pages, {} KiB, rendered in {} ms", pdf.pages(), out.size() / 1024, millis);
    System.out.printf("PDF of 10,000 events: %d pages, %d KiB, rendered in %d ms%n", pdf.pages(), out.size() / 1024, millis);

    assertThat(pdf.pages()).isGreaterThan(1);
    assertThat(pdf.squeezed()).contains(PdfText.squeeze("node-5 上的步骤 10000: systemctl stop proton-app-10000"));
  }

  static PdfText render(AuditReport report, Locale locale) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AnAuditTrail.pdf().write(report, locale, out);
    return PdfText.of(out.toByteArray());
  }

  static AuditReport report(String runId, List<AuditEntry> entries) {
    AuditEntry last = entries.get(entries.size() - 1);
    Verification ok = Verification.intact(last.seq(), last.hash(), T0.plusSeconds(3600));
    List<TypeCount> types = List.of(new TypeCount("STEP_FINISHED", 1, T0, T0));
    return new AuditReport(runId, runId == null ? "all events" : "run=" + runId, T0.plusSeconds(3600), "viewer",
        last.seq(), ok, null, List.of(new ReportSection(PdfReport.TEMPLATE, "type-summary", types)), entries);
  }

  static AuditEntry entry(long seq, String actor, String type, String summary) {
    String hash = String.format("%064x", seq);
    String prev = String.format("%064x", seq - 1);
    return new AuditEntry(seq, T0.plusSeconds(seq), actor, type, "r-7", summary, Map.of(), prev, hash);
  }
}
