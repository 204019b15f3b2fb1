package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.run.Actor;
import io.lockstep.run.Plan;
import io.lockstep.run.Plans;
import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 14: P1's optional pre-warm, switched off by the plan (prewarm=false), is SKIPPED from the
 * request on — never approvable, not counted in ap1's badge, audited once, passed by the run — and
 * a plan edit switches it on (it asks for approval as any phase) and off again. P1 planned in the
 * planner on the lab, as an operator plans it; the lab is reset before and after.
 */
class PrewarmSkippedByPlanIT extends LabConsoleTest {

  static final String PW = ProcedureRun.PW;
  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Pattern NOW = Pattern.compile("id=\"approval-badge\"[^>]*>(\\d+)<");
  static final Pattern AHEAD = Pattern.compile("id=\"approval-badge-ahead\"[^>]*>\\+(\\d+)<");

  private final ConsoleClient console;
  private final ObjectMapper json;
  private final Plans plans;

  @Autowired
  PrewarmSkippedByPlanIT(@Value("${local.server.port}") int port, ObjectMapper json, Plans plans) {
    this.console = new ConsoleClient(port);
    this.json = json;
    this.plans = plans;
  }

  @BeforeEach
  void freshLab() {
    MigrationPlans.abortUnfinishedRuns(console);
    MigrationPlans.resetLab(console);
  }

  @AfterEach
  void labForTheOthers() {
    MigrationPlans.resetLab(console);
  }

  private static String phaseState(JsonNode details, String phase) {
    for (JsonNode p : details.get("phases")) {
      if (p.get("id").asText().equals(phase)) {
        return p.get("state").asText();
      }
    }
    throw new AssertionError("no phase " + phase);
  }

  private int badge(Pattern pattern) {
    String body = console.getAs("ap1", PW, "/approvals/badge").body();
    Matcher m = pattern.matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private long audited(String runId, String type) {
    JsonNode page = json.readTree(console.getAs("op1", PW, "/api/audit?run=" + runId + "&type=" + type
        + "&size=500").body());
    return page.get("entries").size();
  }

  private Plan editPrewarm(String planId, boolean prewarm) {
    Map<String, Object> values = new LinkedHashMap<>(plans.get(planId).values());
    values.put("prewarm", prewarm);
    values.put("ssh_password", "lab-root-secret");
    return plans.edit(OP1, planId, null, null, values, null);
  }

  @Test
  void p1WithoutPrewarmSkipsItByPlanPassesItAndAPlanEditSwitchesItBothWays() {
    String planId = MigrationPlans.retireOldMasters(console, "P1 without prewarm");
    ProcedureRun run = ProcedureRun.request(console, json, planId);
    await().atMost(Duration.ofSeconds(30)).until(() -> run.state().equals("AWAITING_APPROVAL"));
    try {
      JsonNode d = run.details();
      int phases = d.get("phases").size();
      assertThat(d.get("run").get("phaseId").asText()).isEqualTo("prepare");
      assertThat(phaseState(d, "prewarm")).isEqualTo("SKIPPED");
      assertThat(audited(run.runId, "PHASE_SKIPPED_BY_PLAN")).as("audited once, at the request").isEqualTo(1);

      // ap1: the phase the run waits at blocks it now; the others may be approved ahead, prewarm not among them
      assertThat(badge(NOW)).isEqualTo(1);
      assertThat(badge(AHEAD)).isEqualTo(phases - 2);
      String hash = d.get("plan").get("hash").asText();
      HttpResponse<String> refused = console.postAs("ap1", PW, "/api/runs/" + run.runId + "/phases/prewarm/approve",
          "{\"comment\":\"ok\",\"planHash\":\"" + hash + "\"}");
      assertThat(refused.statusCode()).isEqualTo(409);
      assertThat(refused.body()).contains("skipped by the plan");
      assertThat(console.getAs("ap1", PW, "/").body()).doesNotContain("data-phase=\"prewarm\"");

      // switched on by an edit: it waits for approval as any phase; off again: skipped again
      editPrewarm(planId, true);
      assertThat(phaseState(run.details(), "prewarm")).isEqualTo("PENDING");
      assertThat(badge(AHEAD)).isEqualTo(phases - 1);
      assertThat(console.getAs("ap1", PW, "/").body()).contains("data-phase=\"prewarm\"");
      assertThat(audited(run.runId, "PHASE_SWITCHED_ON")).isEqualTo(1);
      editPrewarm(planId, false);
      assertThat(phaseState(run.details(), "prewarm")).isEqualTo("SKIPPED");
      assertThat(badge(AHEAD)).isEqualTo(phases - 2);
      assertThat(audited(run.runId, "PHASE_SKIPPED_BY_PLAN")).isEqualTo(2);

      // the run passes it: after prepare it waits at the phase after prewarm
      run.approveUpTo("prepare");
      run.until(ProcedureRun.PHASE_WAIT, () -> {
        JsonNode now = run.details().get("run");
        return now.get("state").asText().equals("AWAITING_APPROVAL") && !now.get("phaseId").asText().equals("prepare");
      }, "the run waits at the phase after prepare");
      JsonNode after = run.details();
      assertThat(after.get("run").get("state").asText()).isEqualTo("AWAITING_APPROVAL");
      assertThat(after.get("run").get("phaseId").asText()).isEqualTo("export-secrets");
      assertThat(phaseState(after, "prepare")).isEqualTo("SUCCEEDED");
      assertThat(phaseState(after, "prewarm")).isEqualTo("SKIPPED");
    } finally {
      run.abort();
    }
  }
}
