package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.PdfText;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Plans and runs over the REST API and the pages' htmx actions, as scripts and people use them:
 * the same four-eyes rules on every path, refusals as RFC 9457 problems, plan edits voiding
 * approvals, and a planted secret value nowhere to be seen.
 */
class RunApiIT extends LabConsoleTest {

  private static final String PW = DEMO_PASSWORD;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final ConsoleClient console;
  private final ObjectMapper json;

  @Autowired
  RunApiIT(@Value("${local.server.port}") int port, ObjectMapper json) {
    this.console = new ConsoleClient(port);
    this.json = json;
  }

  @BeforeEach
  void gates() {
    TestSteps.reset();
  }

  private JsonNode read(HttpResponse<String> response) {
    return json.readTree(response.body());
  }

  private JsonNode run(String id) {
    return read(console.getAs("op1", PW, "/api/runs/" + id));
  }

  private String planAndRun(String tag, String secret) {
    HttpResponse<String> plan = console.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"engine-test\",\"title\":\"api " + tag + "\",\"values\":{\"tag\":\"" + tag
            + "\",\"password\":\"" + secret + "\"}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    String planId = read(plan).get("id").asText();
    HttpResponse<String> run = console.postAs("op1", PW, "/api/runs", "{\"planId\":\"" + planId + "\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
    String runId = read(run).get("run").get("id").asText();
    await().atMost(WAIT).until(() -> "AWAITING_APPROVAL".equals(run(runId).get("run").get("state").asText()));
    return runId;
  }

  @Test
  void theRequesterCannotApproveOnAnyPath() {
    String id = planAndRun("fouri", "pw-fouri-1234");

    HttpResponse<String> own = console.postAs("op1", PW, "/api/runs/" + id + "/phases/one/approve", "{\"comment\":\"me\"}");
    assertThat(own.statusCode()).isEqualTo(403);
    assertThat(own.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    assertThat(read(own).get("detail").asText()).contains("APPROVER");

    HttpResponse<String> operator = console.postAs("op2", PW, "/api/runs/" + id + "/phases/one/approve", "{}");
    assertThat(operator.statusCode()).isEqualTo(403);
    HttpResponse<String> viewer = console.postAs("viewer", PW, "/api/runs/" + id + "/phases/one/approve", "{}");
    assertThat(viewer.statusCode()).isEqualTo(403);

    // lead holds both roles; as requester of its own run it may still not approve it.
    HttpResponse<String> leadPlan = console.postAs("lead", PW, "/api/plans",
        "{\"procedure\":\"engine-test\",\"values\":{\"tag\":\"lead\",\"password\":\"pw-lead-1234\"}}");
    String leadRun = read(console.postAs("lead", PW, "/api/runs",
        "{\"planId\":\"" + read(leadPlan).get("id").asText() + "\"}")).get("run").get("id").asText();
    HttpResponse<String> self = console.postAs("lead", PW, "/api/runs/" + leadRun + "/phases/one/approve", "{}");
    assertThat(self.statusCode()).isEqualTo(403);
    assertThat(read(self).get("detail").asText()).contains("lead requested " + leadRun).contains("four-eyes");

    console.logIn("lead", PW);
    HttpResponse<String> htmx = console.htmxPost("/runs/" + leadRun, "/runs/" + leadRun + "/phases/one/approve",
        "comment=mine");
    assertThat(htmx.statusCode()).isEqualTo(200);
    assertThat(htmx.body()).contains("run-error").contains("four-eyes");
    assertThat(read(console.getAs("lead", PW, "/api/runs/" + leadRun)).get("phases").get(0).get("approvals")).isEmpty();
    console.postAs("lead", PW, "/api/runs/" + leadRun + "/abort", "{}");

    String hash = run(id).get("plan").get("hash").asText();
    HttpResponse<String> approved = console.postAs("ap1", PW, "/api/runs/" + id + "/phases/one/approve",
        "{\"comment\":\"checked\",\"planHash\":\"" + hash + "\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> "RUNNING".equals(run(id).get("phases").get(0).get("state").asText()));
    // ap2 is left out of the console tests: ConsoleSecurityIT locks it out on purpose.
    assertThat(console.postAs("lead", PW, "/api/runs/" + id + "/phases/one/approve",
        "{\"planHash\":\"" + hash + "\"}").statusCode()).isEqualTo(409);
    console.postAs("op1", PW, "/api/runs/" + id + "/abort", "{\"reason\":\"test over\"}");
    assertThat(run(id).get("run").get("state").asText()).isEqualTo("ABORTED");
  }

  /**
   * Four-eyes as an insider holding two roles tries it, on the API and on the page: lead edits
   * op1's plan and approves; approvals without or with a stale plan hash; a viewer. Every refusal
   * is in the audit trail, read back through the audit API.
   */
  @Test
  void authorsRoleLessUsersAndBlindOrStaleApprovalsAreRefusedAndAudited() {
    String id = planAndRun("author", "pw-author-1234");
    String planId = run(id).get("plan").get("id").asText();
    String v1 = run(id).get("plan").get("hash").asText();
    long before = refusals();
    HttpResponse<String> edit = console.putAs("lead", PW, "/api/plans/" + planId,
        "{\"version\":1,\"values\":{\"tag\":\"author\",\"password\":\"pw-author-1234\",\"word\":\"leads\"}}");
    assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
    String v2 = read(edit).get("hash").asText();

    HttpResponse<String> own = console.postAs("lead", PW, "/api/runs/" + id + "/phases/one/approve",
        "{\"planHash\":\"" + v2 + "\"}");
    assertThat(own.statusCode()).isEqualTo(403);
    assertThat(read(own).get("detail").asText()).contains("lead wrote a version of plan " + planId);
    console.logIn("lead", PW);
    HttpResponse<String> page = console.htmxPost("/runs/" + id, "/runs/" + id + "/phases/one/approve",
        "comment=mine&planHash=" + v2);
    assertThat(page.body()).contains("run-error").contains("four-eyes");
    console.logOut();

    HttpResponse<String> blind = console.postAs("ap1", PW, "/api/runs/" + id + "/phases/one/approve", "{}");
    assertThat(blind.statusCode()).isEqualTo(400);
    assertThat(read(blind).get("detail").asText()).contains("planHash is required");
    HttpResponse<String> replayed = console.postAs("ap1", PW, "/api/runs/" + id + "/phases/one/approve",
        "{\"comment\":\"checked\",\"planHash\":\"" + v1 + "\"}");
    assertThat(replayed.statusCode()).isEqualTo(409);
    HttpResponse<String> viewer = console.postAs("viewer", PW, "/api/runs/" + id + "/phases/one/approve",
        "{\"planHash\":\"" + v2 + "\"}");
    assertThat(viewer.statusCode()).isEqualTo(403);
    assertThat(run(id).get("phases").get(0).get("approvals")).isEmpty();

    assertThat(refusals()).isEqualTo(before + 5);
    JsonNode newest = read(console.getAs("viewer", PW, "/api/audit?type=REFUSED&order=newest&size=5")).get("entries");
    assertThat(newest.get(0).get("actor").asText()).isEqualTo("viewer");
    assertThat(newest.get(0).get("summary").asText()).contains("POST /api/runs/" + id + "/phases/one/approve");
    assertThat(newest.get(1).get("summary").asText()).contains("ap1 was refused: approve phase one")
        .contains("the plan changed since it was reviewed");
    assertThat(newest.get(2).get("summary").asText()).contains("planHash is required");
    assertThat(newest.get(3).get("actor").asText()).isEqualTo("lead");
    assertThat(newest.get(4).get("actor").asText()).isEqualTo("lead");

    HttpResponse<String> approved = console.postAs("ap1", PW, "/api/runs/" + id + "/phases/one/approve",
        "{\"comment\":\"v2 seen\",\"planHash\":\"" + v2 + "\"}");
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    console.postAs("op1", PW, "/api/runs/" + id + "/abort", "{}");
  }

  private long refusals() {
    return read(console.getAs("viewer", PW, "/api/audit?type=REFUSED&size=1")).get("total").asLong();
  }

  @Test
  void editingThePlanVoidsTheApprovalGivenAhead() {
    String id = planAndRun("voids", "pw-voids-1234");
    String planId = run(id).get("plan").get("id").asText();
    String hash = run(id).get("plan").get("hash").asText();
    assertThat(console.postAs("ap1", PW, "/api/runs/" + id + "/phases/two/approve",
        "{\"comment\":\"ahead\",\"planHash\":\"" + hash + "\"}").statusCode()).isEqualTo(200);
    HttpResponse<String> edit = console.putAs("op2", PW, "/api/plans/" + planId,
        "{\"version\":1,\"values\":{\"tag\":\"voids\",\"password\":\"pw-voids-1234\",\"word\":\"changed\"}}");
    assertThat(edit.statusCode()).as(edit.body()).isEqualTo(200);
    assertThat(read(edit).get("version").asInt()).isEqualTo(2);
    JsonNode approval = run(id).get("phases").get(1).get("approvals").get(0);
    assertThat(approval.get("voidedAt").isNull()).isFalse();
    assertThat(run(id).get("phases").get(1).get("approvedForCurrentPlan").asBoolean()).isFalse();
    HttpResponse<String> stale = console.putAs("op2", PW, "/api/plans/" + planId, "{\"version\":1,\"values\":{}}");
    assertThat(stale.statusCode()).isEqualTo(409);
    console.postAs("op1", PW, "/api/runs/" + id + "/abort", "{}");
  }

  @Test
  void refusalsAreProblemsAPersonUnderstands() {
    HttpResponse<String> missing = console.getAs("viewer", PW, "/api/runs/run-999999");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(read(missing).get("detail").asText()).isEqualTo("there is no run run-999999");
    HttpResponse<String> bad = console.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"engine-test\",\"values\":{\"tag\":\"x\",\"nonsense\":\"1\"}}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(read(bad).get("detail").asText()).contains("no parameter 'nonsense'").contains("'password' is required");
    assertThat(console.postAs("viewer", PW, "/api/plans", "{\"procedure\":\"engine-test\"}").statusCode()).isEqualTo(403);
  }

  @Test
  void aPlantedSecretAppearsNowhere() {
    String secret = "Planted-Secret-7731";
    String id = planAndRun("secret", secret);
    console.postAs("ap1", PW, "/api/runs/" + id + "/phases/one/approve",
        "{\"planHash\":\"" + run(id).get("plan").get("hash").asText() + "\"}");
    await().atMost(WAIT).until(() -> "RUNNING".equals(run(id).get("phases").get(0).get("steps").get(1).get("state").asText()));
    console.postAs("op1", PW, "/api/runs/" + id + "/abort", "{}");

    String planId = run(id).get("plan").get("id").asText();
    assertThat(console.getAs("op1", PW, "/api/runs/" + id + "/log?format=json").body())
        .contains("hello ******").doesNotContain(secret);
    assertThat(console.getAs("op1", PW, "/api/runs/" + id + "/log.txt").body()).contains("hello").doesNotContain(secret);
    assertThat(console.getAs("op1", PW, "/api/runs/" + id).body()).doesNotContain(secret);
    assertThat(console.getAs("op1", PW, "/api/plans/" + planId).body()).contains("******").doesNotContain(secret);
    assertThat(console.getAs("op1", PW, "/api/audit?run=" + id).body()).contains("STEP_ACTION").doesNotContain(secret);
    assertThat(console.getAs("op1", PW, "/api/audit").body()).doesNotContain(secret);
    assertThat(console.getAs("op1", PW, "/api/runs/" + id + "/audit.csv").body()).doesNotContain(secret);
    assertThat(console.getAs("op1", PW, "/api/runs/" + id + "/audit.json").body()).doesNotContain(secret);
    PdfText pdf = PdfText.of(console.bytesAs("op1", PW, "/api/runs/" + id + "/audit.pdf").body());
    assertThat(pdf.squeezed()).contains("one.echo").contains("PHASE_APPROVED").contains("ap1")
        .doesNotContain(secret);
    PdfText chinese = PdfText.of(console.bytesAs("op1", PW, "/api/runs/" + id + "/audit.pdf?lang=zh-CN").body());
    assertThat(chinese.squeezed()).contains("引擎测试").contains("第一阶段").contains("审批").doesNotContain(secret);
    console.logIn("op1", PW);
    assertThat(console.page("/runs/" + id).body()).contains("one.echo").doesNotContain(secret);
    assertThat(console.page("/plans/" + planId).body()).doesNotContain(secret);
  }
}
