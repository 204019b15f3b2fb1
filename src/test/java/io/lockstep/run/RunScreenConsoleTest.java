package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.ObjectMapper;

/**
 * The run page's live parts as the console answers them: the progress bars alone (which answered
 * 500 before), every part marked for an out-of-band swap, and the header's words for each viewer.
 */
class RunScreenConsoleTest extends LabConsoleTest {

  private static final String PW = DEMO_PASSWORD;
  private final int port;
  private final ObjectMapper json;
  private final RunProgress progress;
  private final Runs runs;
  private final Plans plans;
  private String runId;

  @Autowired
  RunScreenConsoleTest(@Value("${local.server.port}") int port, ObjectMapper json, RunProgress progress, Runs runs,
      Plans plans) {
    this.runs = runs;
    this.plans = plans;
    this.port = port;
    this.json = json;
    this.progress = progress;
  }

  @BeforeEach
  void aDemoRunWaitingForItsFirstApproval() {
    ConsoleClient api = new ConsoleClient(port);
    HttpResponse<String> plan = api.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"demo-node-check\",\"title\":\"screen\",\"values\":{}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    HttpResponse<String> run = api.postAs("op1", PW, "/api/runs",
        "{\"planId\":\"" + json.readTree(plan.body()).get("id").asText() + "\"}");
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

  @Test
  void theProgressBarsAnswer200WithEveryBar() {
    progress.report(runId, "check-nodes.kubelet-active", new StepProgress("row-1", "kafka #0 node-1 → node-4", 512, 1024, 64, false));
    progress.report(runId, "check-nodes.kubelet-active", new StepProgress("row-2", "kafka #1 node-2 → node-5", 2048, 2048, 0, true));

    HttpResponse<String> bars = session("op1").page("/runs/" + runId + "/progress");

    assertThat(bars.statusCode()).as(bars.body()).isEqualTo(200);
    assertThat(bars.body()).contains("id=\"run-progress\"").contains("hx-swap-oob=\"true\"")
        .contains("kafka #0 node-1 → node-4").contains("data-done=\"512\"")
        .contains("id=\"progress-finished\"").contains("kafka #1 node-2 → node-5");
  }

  @Test
  void theProgressOfAnUnknownRunIsNotFound() {
    assertThat(session("op1").page("/runs/no-such-run/progress").statusCode()).isNotEqualTo(200);
  }

  @Test
  void aRefreshAnswersEveryPartForAnOutOfBandSwap() {
    String parts = session("ap1").page("/runs/" + runId + "/status").body();

    for (String part : new String[] {"run-headline", "run-clock", "run-controls", "run-notices", "run-overview",
        "run-window", "run-progress", "phase-check-nodes", "step-check-nodes--kubelet-active", "run-undo"}) {
      assertThat(parts).as(part).containsPattern("id=\"" + part + "\"[^>]*hx-swap-oob=\"true\"|hx-swap-oob=\"true\"[^>]*id=\"" + part + "\"");
    }
    assertThat(parts).as("the approval form survives swaps around it").containsPattern("<form[^>]*approve-form[^>]*hx-preserve");
  }

  @Test
  void theHeaderNamesWhoTheRunWaitsForToEachViewer() {
    String approver = session("ap1").page("/runs/" + runId).body();
    assertThat(approver).contains("data-waiting-for=\"you\"")
        .contains("Waiting for your approval of phase 1 — Check the nodes").contains("Phase 1 of 4")
        .contains("href=\"#phase-check-nodes\"");

    String requester = session("op1").page("/runs/" + runId).body();
    assertThat(requester).contains("data-waiting-for=\"ap1, ap2 or lead\"")
        .contains("Waiting for ap1, ap2 or lead to approve phase 1 — Check the nodes").doesNotContain("run-next");

    HttpResponse<String> paused = new ConsoleClient(port).postAs("op2", PW, "/api/runs/" + runId + "/pause", "{}");
    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
    assertThat(session("ap1").page("/runs/" + runId).body())
        .contains("Paused by op2: waiting for op1, lead or op2 to resume");
    assertThat(session("op1").page("/runs/" + runId).body()).contains("Paused by op2: waiting for you to resume")
        .contains("data-waiting-for=\"you\"");

    ConsoleClient zh = session("op1");
    zh.page("/runs/" + runId + "?lang=zh-CN");
    assertThat(zh.page("/runs/" + runId).body()).contains("已由 op2 暂停：等待你恢复运行");
  }

  @Test
  void aFailedRunNamesWhoDecides() {
    Actor op1 = Actor.of("op1", Role.OPERATOR);
    Plan plan = plans.create(op1, "engine-test", "screen failed", Map.of("password", "pw-screen-1234", "tag", "scr"), null);
    String id = runs.request(op1, plan.id()).id();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
      runs.approve(Actor.of("ap1", Role.APPROVER), id, "one", "ok", plan.hash());
      TestSteps.FAILURES.put("one-scr-" + id, "the gate broke");
      TestSteps.open("one-scr-" + id);
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.get(id).state().isStoppedOnStep());

      // ap1 may skip (neither requested the run nor wrote the plan), not retry or abort (no operator)
      String approver = session("ap1").page("/runs/" + id).body();
      assertThat(approver).contains("data-kind=\"DECISION\"").contains("data-waiting-for=\"you\"")
          .contains("you may skip it, with a reason; retrying or aborting it is for op1, lead or op2")
          .contains("Skip it, with a reason").doesNotContain("retry, skip or abort");
      // op1 requested it and is no approver: retry or abort, never "skip" as his own decision
      String operator = session("op1").page("/runs/" + id).body();
      assertThat(operator).contains("data-waiting-for=\"you\"")
          .contains("you may retry or abort it; skipping it is for ap1, ap2 or lead")
          .contains("Decide: retry or abort").doesNotContain("needs your decision").doesNotContain("retry, skip or abort")
          .contains("href=\"#step-one--gate\"").contains("id=\"step-one--gate\"");
      ConsoleClient zh = session("op1");
      zh.page("/?lang=zh-CN");
      assertThat(zh.page("/runs/" + id).body()).contains("你可以重试或中止；跳过它须由 ap1、ap2或lead 来做")
          .doesNotContain("需要你决定");
      // lead operates and may skip: the whole decision is his
      assertThat(session("lead").page("/runs/" + id).body()).contains("needs your decision (retry, skip or abort)");
      // a viewer may do nothing: whom the run waits for, for which deed
      assertThat(session("viewer").page("/runs/" + id).body())
          .contains("waiting for op1, lead or op2 to retry or abort it, or for ap1, ap2 or lead to skip it");
    } finally {
      TestSteps.reset();
      new ConsoleClient(port).postAs("op1", PW, "/api/runs/" + id + "/abort", "{\"reason\":\"test over\"}");
    }
  }

  @Test
  void aRefusedActionAnswersItsRefusalForThePlaceItWasTried() {
    ConsoleClient op1 = session("op1");
    HttpResponse<String> refused = op1.htmxPost("/runs/" + runId, "/runs/" + runId + "/phases/check-nodes/approve",
        "comment=mine&planHash=x");

    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).startsWith("<span class=\"refusal-text run-error\">").contains("id=\"run-headline\"");
  }
}
