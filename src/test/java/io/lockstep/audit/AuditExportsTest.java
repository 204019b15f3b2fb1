package io.lockstep.audit;

import io.lockstep.testing.PdfText;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** CSV, JSON and PDF exports of the trail, each audited before it is written. */
class AuditExportsTest {

  AnAuditTrail trail;

  @BeforeEach
  void setUp() {
    trail = AnAuditTrail.on(TestDatabases.h2());
    trail.log.append("LOGIN_SUCCEEDED", "op1", null, "Logged in from 10.0.0.7", Map.of("remoteAddress", "10.0.0.7"));
    trail.clock.advance(Duration.ofSeconds(3));
    trail.log.append("STEP_STARTED", "system", "r-7", "停止应用服务, \"deploy-service\"\nscale 2 → 0",
        Map.of("command", "kubectl scale --replicas=0 deploy/deploy-service", "step", 1));
    trail.clock.advance(Duration.ofSeconds(3));
    trail.log.append("STEP_FINISHED", "system", "r-7", "=HYPERLINK(\"http://evil\")", Map.of("exit", 0, "ratio", 1.5));
  }

  @Test
  void csvIsRfc4180WithAByteOrderMarkAndDefusedFormulas() {
    String csv = export(ExportFormat.CSV, AuditFilter.forRun("r-7"), true);
    assertThat(csv).startsWith("\uFEFF" + CsvExport.HEADER + "\r\n");
    assertThat(csv).contains(",\"停止应用服务, \"\"deploy-service\"\"\nscale 2 → 0\",");
    assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",");
    assertThat(csv).contains("EXPORT_CREATED");
    String[] lines = csv.split("\r\n");
    assertThat(lines).hasSize(1 + 3 + 1);
    Checkpoint anchored = trail.anchor.latest();
    assertThat(anchored.seq()).as("the export's own row is anchored").isEqualTo(4);
    assertThat(lines[4]).startsWith("," + AuditChain.timestamp(anchored.at()) + ",system,ANCHOR_CHECKPOINT,,")
        .contains("\"\"signature\"\":\"\"" + anchored.signature() + "\"\"").endsWith(",," + anchored.hash());
  }

  @Test
  void everyExportCarriesTheNewestCheckpointAsTheAnchorFileHoldsIt() throws Exception {
    JsonNode doc = JsonMapper.builder().build().readTree(export(ExportFormat.JSON, AuditFilter.ALL, false));
    JsonNode anchor = doc.get("anchor");
    assertThat(anchor.get("seq").asLong()).isEqualTo(doc.get("throughSeq").asLong()).isEqualTo(4);
    assertThat(anchor.get("hash").asString()).isEqualTo(doc.get("entries").get(3).get("hash").asString());
    String line = java.nio.file.Files.readAllLines(trail.anchorFile).get((int) anchor.get("number").asLong() - 1);
    assertThat(line).isEqualTo(AuditAnchor.VERSION + " " + anchor.get("number").asLong() + " 4 " + anchor.get("hash").asString()
        + " " + anchor.get("at").asString() + " " + anchor.get("signature").asString());
    assertThat(doc.get("verification").get("breaks")).isEmpty();

    AuditExports.Export pdf = trail.exports.start(ExportFormat.PDF, AuditFilter.ALL, false, "viewer");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    trail.exports.write(pdf, AnAuditTrail.ENGLISH, out);
    assertThat(PdfText.of(out.toByteArray()).squeezed()).contains("Anchorcheckpoint")
        .contains(pdf.anchor().signature().substring(0, 24));
  }

  @Test
  void jsonHoldsTheVerificationAndEntriesExactEnoughToRecomputeEveryHash() {
    JsonNode doc = JsonMapper.builder().build().readTree(export(ExportFormat.JSON, AuditFilter.ALL, false));
    assertThat(doc.get("verification").get("ok").asBoolean()).isTrue();
    assertThat(doc.get("verification").get("rows").asLong()).isEqualTo(4);
    assertThat(doc.get("generatedBy").asString()).isEqualTo("viewer");
    assertThat(doc.get("entries")).hasSize(4);
    String prev = AuditChain.GENESIS;
    for (JsonNode e : doc.get("entries")) {
      String recomputed = AuditChain.hash(e.get("seq").asLong(), Instant.parse(e.get("occurredAt").asString()),
          e.get("actor").asString(), e.get("type").asString(), e.get("runId").isNull() ? null : e.get("runId").asString(),
          e.get("summary").asString(), e.get("details").toString(), e.get("prevHash").asString());
      assertThat(recomputed).as("row %s", e.get("seq")).isEqualTo(e.get("hash").asString());
      assertThat(e.get("prevHash").asString()).isEqualTo(prev);
      prev = recomputed;
    }
    assertThat(doc.get("verification").get("headHash").asString()).isEqualTo(prev);
  }

  @Test
  void everyExportIsAuditedWithItsFormatAndFilterBeforeItIsWritten() {
    AuditExports.Export export = trail.exports.start(ExportFormat.PDF, new AuditFilter(null, "op1", null, null, null), false, "ap1");
    AuditEntry created = export.created();
    assertThat(created.type()).isEqualTo("EXPORT_CREATED");
    assertThat(created.actor()).isEqualTo("ap1");
    assertThat(created.details()).containsEntry("format", "pdf").containsEntry("filter", "actor=op1");
    assertThat(export.filename()).startsWith("lockstep-audit-").endsWith(".pdf");
    AuditExports.Export run = trail.exports.start(ExportFormat.CSV, AuditFilter.forRun("r-7"), true, "ap1");
    assertThat(run.created().runId()).isEqualTo("r-7");
    assertThat(run.filename()).startsWith("lockstep-run-r-7-audit-").endsWith(".csv");
  }

  @Test
  void aRunReportPdfShowsTheRunItsVerificationAndASummaryByType() {
    AuditExports.Export export = trail.exports.start(ExportFormat.PDF, AuditFilter.forRun("r-7"), true, "viewer");
    AuditReport report = trail.exports.report(export);
    assertThat(report.runId()).isEqualTo("r-7");
    assertThat(report.verification().ok()).isTrue();
    assertThat(report.entries()).extracting(AuditEntry::type).containsExactly("STEP_STARTED", "STEP_FINISHED", "EXPORT_CREATED");
    assertThat(report.sections()).singleElement().satisfies(s -> assertThat(s.fragment()).isEqualTo("type-summary"));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    trail.exports.write(export, AnAuditTrail.ENGLISH, out);
    String text = PdfText.of(out.toByteArray()).squeezed();
    assertThat(text).contains("r-7").contains("停止应用服务").contains("STEP_FINISHED").contains("EXPORT_CREATED")
        .contains(report.verification().headHash().substring(0, 32));
  }

  @Test
  void aPdfLargerThanAllowedIsRefusedBeforeAnythingIsAudited() {
    AnAuditTrail small = trail;
    AuditExports strict = new AuditExports(small.log, AnAuditTrail.pdf(), JsonMapper.builder().build(),
        new org.springframework.beans.factory.support.StaticListableBeanFactory().getBeanProvider(RunReportSections.class),
        new AuditProperties(50, 500, 2, null, null, null), small.clock);
    assertThatThrownBy(() -> strict.start(ExportFormat.PDF, AuditFilter.ALL, false, "op1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 2 events");
    assertThat(small.log.count(AuditFilter.ALL)).isEqualTo(3);
  }

  private String export(ExportFormat format, AuditFilter filter, boolean runReport) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    trail.exports.write(trail.exports.start(format, filter, runReport, "viewer"), AnAuditTrail.ENGLISH, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
