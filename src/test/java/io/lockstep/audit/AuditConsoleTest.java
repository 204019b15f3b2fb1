package io.lockstep.audit;

import io.lockstep.testing.PdfText;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.system.Auditable;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The audit module in the running console: listeners, page, API and exports over HTTP. */
class AuditConsoleTest extends LabConsoleTest {

  @LocalServerPort
  int port;

  @Autowired
  ApplicationEventPublisher events;

  @Autowired
  PlatformTransactionManager transactions;

  final JsonMapper json = JsonMapper.builder().build();
  ConsoleClient console;

  record StepStopped(String runId, String summary) implements Auditable {
    @Override
    public String auditType() {
      return "STEP_FINISHED";
    }

    @Override
    public String actor() {
      return "system";
    }

    @Override
    public Map<String, Object> details() {
      return Map.of("command", "systemctl stop proton-app", "exit", 0);
    }
  }

  @BeforeEach
  void client() {
    console = new ConsoleClient(port);
  }

  @Test
  void anAuditableEventCommitsWithItsTransactionAndVanishesWithItsRollback() {
    String kept = run();
    String dropped = run();
    TransactionTemplate tx = new TransactionTemplate(transactions);
    tx.executeWithoutResult(status -> events.publishEvent(new StepStopped(kept, "停止应用服务")));
    tx.executeWithoutResult(status -> {
      events.publishEvent(new StepStopped(dropped, "never happened"));
      status.setRollbackOnly();
    });

    JsonNode page = api("/api/audit?run=" + kept);
    assertThat(page.get("total").asLong()).isEqualTo(1);
    assertThat(page.get("entries").get(0).get("summary").asString()).isEqualTo("停止应用服务");
    assertThat(page.get("entries").get(0).get("details").get("exit").asInt()).isZero();
    assertThat(api("/api/audit?run=" + dropped).get("total").asLong()).isZero();
    assertThat(api("/api/audit/verify").get("ok").asBoolean()).isTrue();
  }

  @Test
  void formLoginsAndLogoutsAreRecordedButApiSuccessesAreNot() {
    long logins = api("/api/audit?actor=lead&type=LOGIN_SUCCEEDED").get("total").asLong();
    long logouts = api("/api/audit?actor=lead&type=LOGOUT").get("total").asLong();
    console.logIn("lead", DEMO_PASSWORD);
    console.logOut();

    JsonNode login = api("/api/audit?actor=lead&type=LOGIN_SUCCEEDED");
    assertThat(login.get("total").asLong()).isEqualTo(logins + 1);
    assertThat(login.get("entries").get(0).get("details").get("remoteAddress").asString()).isEqualTo("127.0.0.1");
    assertThat(api("/api/audit?actor=lead&type=LOGOUT").get("total").asLong()).isEqualTo(logouts + 1);
    assertThat(api("/api/audit?actor=viewer&type=LOGIN_SUCCEEDED").get("total").asLong())
        .as("HTTP Basic successes are not recorded").isZero();
  }

  @Test
  void failedLoginsAreRecordedWithTheNameAsTypedAndTheAddress() {
    String stranger = "nobody-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(console.getAs(stranger, "guess", "/api/audit").statusCode()).isEqualTo(401);

    JsonNode failed = api("/api/audit?type=LOGIN_FAILED&actor=" + stranger).get("entries");
    assertThat(failed).as("LOGIN_FAILED needs the AuthenticationManager to publish its events").hasSize(1);
    assertThat(failed.get(0).get("details").get("username").asString()).isEqualTo(stranger);
    assertThat(failed.get(0).get("details").get("remoteAddress").asString()).isEqualTo("127.0.0.1");
  }

  @Test
  void theAuditPageFiltersWithHtmxAndVerifiesTheChain() {
    String runId = run();
    publish(runId, "停止应用服务");
    HttpResponse<String> full = console.getAs("viewer", DEMO_PASSWORD, "/audit?run=" + runId);
    assertThat(full.statusCode()).isEqualTo(200);
    assertThat(full.body()).contains("<html").contains("id=\"audit-filter\"").contains("停止应用服务");

    HttpResponse<String> rows = console.getAs("viewer", DEMO_PASSWORD, "/audit?run=" + runId, "HX-Request", "true");
    assertThat(rows.body()).doesNotContain("<html").startsWith("<div id=\"audit-results\"")
        .contains("data-seq=").contains("停止应用服务").contains("/audit/export.pdf?run=" + runId);

    HttpResponse<String> verified = console.getAs("viewer", DEMO_PASSWORD, "/audit/verify", "HX-Request", "true");
    assertThat(verified.body()).contains("id=\"verification\"").contains("data-ok=\"true\"").contains("id=\"head-hash\"");

    HttpResponse<String> bad = console.getAs("viewer", DEMO_PASSWORD, "/audit?from=yesterday");
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(bad.body()).contains("id=\"filter-error\"").contains("from: &#39;yesterday&#39; is not a time");
  }

  @Test
  void exportsAreAuditedAndOpenToViewers() {
    String runId = run();
    publish(runId, "停止应用服务");
    HttpResponse<byte[]> csv = console.bytesAs("viewer", DEMO_PASSWORD, "/audit/export.csv?run=" + runId);
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition").orElse("")).contains("attachment").contains(".csv");
    assertThat(new String(csv.body(), StandardCharsets.UTF_8)).startsWith("\uFEFFseq,").contains("停止应用服务");

    JsonNode report = api("/api/runs/" + runId + "/audit.json");
    assertThat(report.get("verification").get("ok").asBoolean()).isTrue();
    assertThat(report.get("entries")).extracting(e -> e.get("type").asString())
        .containsExactly("STEP_FINISHED", "EXPORT_CREATED", "EXPORT_CREATED");

    HttpResponse<byte[]> pdf = console.bytesAs("viewer", DEMO_PASSWORD, "/api/runs/" + runId + "/audit.pdf");
    assertThat(pdf.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/pdf");
    assertThat(PdfText.of(pdf.body()).squeezed()).contains("停止应用服务").contains(runId);

    JsonNode exports = api("/api/audit?type=EXPORT_CREATED&run=" + runId + "&order=oldest");
    assertThat(exports.get("entries")).extracting(e -> e.get("details").get("format").asString())
        .containsExactly("csv", "json", "pdf");
    assertThat(exports.get("entries").get(0).get("actor").asString()).isEqualTo("viewer");
  }

  @Test
  void unknownRunsAndBadFiltersAnswerWithProblemDetails() {
    HttpResponse<String> missing = console.getAs("viewer", DEMO_PASSWORD, "/api/runs/no-such-run/audit.pdf");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).contains("no events of run 'no-such-run'");
    HttpResponse<String> bad = console.getAs("viewer", DEMO_PASSWORD, "/api/audit?to=2026-13-45");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(json.readTree(bad.body()).get("detail").asString()).startsWith("to: '2026-13-45' is not");
    assertThat(console.anonymous("/api/audit").statusCode()).isEqualTo(401);
  }

  private void publish(String runId, String summary) {
    new TransactionTemplate(transactions).executeWithoutResult(s -> events.publishEvent(new StepStopped(runId, summary)));
  }

  private static String run() {
    return "r-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private JsonNode api(String path) {
    HttpResponse<String> res = console.getAs("viewer", DEMO_PASSWORD, path);
    assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
    return json.readTree(res.body());
  }
}
