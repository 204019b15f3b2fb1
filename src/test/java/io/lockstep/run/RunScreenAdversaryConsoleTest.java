package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.ObjectMapper;

/**
 * Adversary tests of the run screen (issue 14): what the header claims and what live updates keep
 * when another person acts meanwhile.
 */
class RunScreenAdversaryConsoleTest extends LabConsoleTest {

  private static final String PW = DEMO_PASSWORD;
  private final int port;
  private final ObjectMapper json;
  private final Runs runs;
  private final Plans plans;
  private String runId;
  private String planId;

  @Autowired
  RunScreenAdversaryConsoleTest(@Value("${local.server.port}") int port, ObjectMapper json, Runs runs, Plans plans) {
    this.port = port;
    this.json = json;
    this.runs = runs;
    this.plans = plans;
  }

  @BeforeEach
  void aDemoRunWaitingForItsFirstApproval() {
    ConsoleClient api = new ConsoleClient(port);
    HttpResponse<String> plan = api.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"demo-node-check\",\"title\":\"adversary\",\"values\":{}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    planId = json.readTree(plan.body()).get("id").asText();
    HttpResponse<String> run = api.postAs("op1", PW, "/api/runs", "{\"planId\":\"" + planId + "\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
    runId = json.readTree(run.body()).get("run").get("id").asText();
  }

  @AfterEach
  void abort() {
    new ConsoleClient(port).postAs("op1", PW, "/api/runs/" + runId + "/abort", "{\"reason\":\"test over\"}");
  }

  private ConsoleClient session(String user) {
    ConsoleClient client = new ConsoleClient(port);
    client.logIn(user, PW);
    return client;
  }

  /**
   * ap1 rejects the phase the run waits at: no approver may approve it for this plan version any
   * more (the run waits for an edit of the plan or an abort), so the header must not tell ap2 or the
   * requester that the run waits for an approver to approve it.
   */
  @Test
  void afterARejectionTheHeaderDoesNotSayTheRunWaitsForAnApproval() {
    runs.reject(Actor.of("ap1", Role.APPROVER), runId, "check-nodes", "wrong nodes", plans.get(planId).hash());

    String ap2 = session("ap2").page("/runs/" + runId).body();
    assertThat(ap2).as("ap2 cannot approve a phase ap1 rejected for this plan version")
        .doesNotContain("to approve phase 1").doesNotContain("Waiting for your approval")
        .contains("data-kind=\"REJECTED\"").contains("rejected by ap1");
    String op1 = session("op1").page("/runs/" + runId).body();
    assertThat(op1).doesNotContain("to approve phase 1").contains("data-kind=\"REJECTED\"")
        .contains("data-waiting-for=\"you\"").contains("rejected by ap1");
  }

  /**
   * ap1 opened the preview of phase 1 (hx-preserve keeps it across live updates), then op1 edits the
   * plan: the approval form is for the new version (its id carries the plan hash, so the old form
   * goes), and the preview ap1 reads must go with it; a preview kept under the same id across
   * versions shows the old plan's commands next to a form that approves the new one.
   */
  @Test
  void aPlanEditReplacesTheOpenedPreviewWithTheApprovalForm() {
    Plan before = plans.get(planId);
    ConsoleClient ap1 = session("ap1");
    String page = ap1.page("/runs/" + runId).body();
    assertThat(page).contains("approve-check-nodes-" + before.shortHash());

    Plan after = plans.edit(Actor.of("op1", Role.OPERATOR), planId, before.version(), "adversary",
        java.util.Map.of("nodes", java.util.List.of("node-1", "node-2")), null);
    assertThat(after.hash()).isNotEqualTo(before.hash());

    String parts = ap1.page("/runs/" + runId + "/status").body();
    assertThat(parts).contains("id=\"approve-check-nodes-" + after.shortHash() + "\"")
        .as("the preserved preview is keyed to the plan version, like the approval form")
        .containsPattern("id=\"preview-check-nodes-" + after.shortHash() + "\"[^>]*hx-preserve")
        .contains("hx-target=\"#preview-check-nodes-" + after.shortHash() + "\"")
        .doesNotContain("id=\"preview-check-nodes\"");
  }

  /**
   * A plan edited while the run stood failed inside phase one: when the run goes on, it holds the
   * phase for a new approval of the rest of it (the phase stays RUNNING). The header tells ap1
   * "Waiting for your approval of phase 1" with "Review and approve" pointing at the phase, so the
   * phase must offer the approval form there (the API accepts that approval).
   */
  @Test
  void aPhaseHeldForApprovalMidwayOffersTheApprovalItsHeaderAsksFor() {
    Actor op1 = Actor.of("op1", Role.OPERATOR);
    Plan v1 = plans.create(op1, "engine-test", "held midway", java.util.Map.of("password", "pw-held-1234", "tag", "held"),
        null);
    String id = runs.request(op1, v1.id()).id();
    try {
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
      runs.approve(Actor.of("ap1", Role.APPROVER), id, "one", "ok", v1.hash());
      TestSteps.FAILURES.put("one-held-" + id, "the gate broke");
      TestSteps.open("one-held-" + id);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .until(() -> runs.get(id).state().isStoppedOnStep());
      Plan v2 = plans.edit(op1, v1.id(), v1.version(), null,
          java.util.Map.of("password", "pw-held-1234", "tag", "held", "word", "again"), null);
      runs.skip(Actor.of("ap2", Role.APPROVER), id, "one.gate", "checked by hand");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
          .until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
      assertThat(runs.get(id).phase("one").orElseThrow().state()).isEqualTo(RunPhase.State.RUNNING);

      String ap1 = session("ap1").page("/runs/" + id).body();
      assertThat(ap1).contains("Waiting for your approval of phase 1").contains("href=\"#phase-one\"")
          .as("the approval the header asks for can be given on the page")
          .contains("id=\"approve-one-" + v2.shortHash() + "\"");
    } finally {
      TestSteps.reset();
      new ConsoleClient(port).postAs("op1", PW, "/api/runs/" + id + "/abort", "{\"reason\":\"test over\"}");
    }
  }
}
