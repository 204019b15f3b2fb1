package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Adversarial tests on the whole console (engine-test procedure, TestSteps executors): plan edits
 * after a stop against the way back and the dashboard, concurrent run requests, the four-eyes of
 * actions over the REST API, a failing action's answer and audit trail, hostile action ids, a
 * double-clicked confirmation.
 *
 * <p>Each test waits until the recovery checks of one stop have looked before the next stop:
 * two stops at once deadlock the checks' pool (see RunActionsAdversaryTest) and would hang the rest.
 */
class RunAdversaryConsoleTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor OP2 = Actor.of("op2", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String PW = DEMO_PASSWORD;

  private final Plans plans;
  private final Runs runs;
  private final RunActions actions;
  private final AuditLog audit;
  private final ConsoleClient console;
  private final ObjectMapper json;

  @Autowired
  RunAdversaryConsoleTest(Plans plans, Runs runs, RunActions actions, AuditLog audit,
      @Value("${local.server.port}") int port, ObjectMapper json) {
    this.plans = plans;
    this.runs = runs;
    this.actions = actions;
    this.audit = audit;
    this.console = new ConsoleClient(port);
    this.json = json;
  }

  @BeforeEach
  void freshGates() {
    TestSteps.reset();
  }

  private RunStep step(String runId, String key) {
    return runs.steps(runId).stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
  }

  private void awaitState(String runId, Run.State state) {
    await().atMost(WAIT).until(() -> runs.get(runId).state() == state);
  }

  private List<String> auditTypes(String runId) {
    List<String> types = new ArrayList<>();
    audit.forEach(AuditFilter.forRun(runId), Long.MAX_VALUE, e -> types.add(e.type()));
    return types;
  }

  /** The recovery checks of bring-back looked after the stop and found {@code thing-<tag>} down (or not). */
  private void awaitBringBackChecked(String runId, boolean down) {
    await().atMost(WAIT).untilAsserted(() -> assertThat(actions.recovery(runId, Locale.ROOT))
        .filteredOn(r -> r.action().equals("bring-back")).singleElement().satisfies(r -> {
          assertThat(r.unchecked()).isFalse();
          assertThat(r.down()).isEqualTo(down);
        }));
  }

  /** A run of {@code tag} by {@code requester}, with phase two (downtime) under way: two.risky RUNNING. */
  private String inDowntime(Actor requester, String tag) {
    Plan plan = plans.create(requester, "engine-test", "adversary " + tag, Map.of("password", "pw-" + tag + "-1234",
        "tag", tag), null);
    String id = runs.request(requester, plan.id()).id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", "ok", plan.hash());
    runs.approve(AP1, id, "two", "ok", plan.hash());
    TestSteps.open("one-" + tag + "-" + id);
    await().atMost(WAIT).until(() -> step(id, "two.risky").state() == RunStep.State.RUNNING);
    return id;
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version): "a plan edited while the run is stopped in a phase must never let the rest of that phase run with a
  // version nobody approved" — the way back is part of that phase's effects on the platform. The run fails in
  // downtime with plan version 1 (tag p7a: thing-p7a is down); an operator corrects the plan (version 2, tag p7b,
  // approved by nobody) and any operator's bring-back then runs with version 2: it starts thing-p7b and leaves
  // thing-p7a down. RunActions.run resolves the action with plans.get(started.planId()) — the plan's current
  // version (RunActions.java:200 → RunEngine.executeAction, RunScope.of) — not the version the phase ran with
  // (RunPhase.planVersion), and nothing asks for an approval of the new version first.
  @Test
  void aPlanCorrectedAfterAFailureInDowntimeDoesNotSteerTheWayBack() {
    String id = inDowntime(OP1, "p7a");
    String planId = runs.get(id).planId();
    TestSteps.DOWN.add("thing-p7a");
    TestSteps.FAILURES.put("two-p7a-" + id, "the password was refused");
    TestSteps.open("two-p7a-" + id);
    awaitState(id, Run.State.FAILED);
    awaitBringBackChecked(id, true);

    Plan corrected = plans.edit(OP2, planId, 1, null, Map.of("password", "pw-p7a-1234", "tag", "p7b"), null);
    assertThat(corrected.version()).isEqualTo(2);
    assertThat(runs.phases(id).get(1).planVersion()).as("phase two still runs with version 1").isEqualTo(1);
    RunActions.ActionResult back = actions.run(OP2, id, "bring-back");

    assertThat(back.summary()).as("what the way back did, with a plan version nobody approved")
        .contains("thing-p7a started");
    assertThat(TestSteps.DOWN).as("still down after the way back answered 200").doesNotContain("thing-p7a");
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version): "needingRecovery (dashboard) must never show an aborted-in-downtime run as healthy". The run is
  // aborted in downtime with thing-p6a down and listed; the operator then prepares the next attempt by editing the
  // plan (tag p6b; allowed, the run is final) and anybody presses "check now": the checks resolve their params
  // with the plan's current version (RunActions.look, RunActions.java:242 → RunEngine.check), look at thing-p6b,
  // find it UP, and the aborted run drops off the dashboard while thing-p6a is still down. Seen with the shipped
  // procedures too: restart-master-node's checks are systemd.active on ${params.node}.
  @Test
  void aPlanEditedAfterAnAbortInDowntimeDoesNotMakeTheAbortedRunLookHealthy() {
    String id = inDowntime(OP1, "p6a");
    String planId = runs.get(id).planId();
    TestSteps.DOWN.add("thing-p6a");
    runs.abort(OP1, id, "the storage is on fire");
    awaitBringBackChecked(id, true);
    assertThat(actions.needingRecovery()).extracting(Run::id).contains(id);

    plans.edit(OP1, planId, 1, null, Map.of("password", "pw-p6a-1234", "tag", "p6b"), null);
    List<RunActions.Recovery> now = actions.checkNow(OP2, id, Locale.ROOT);

    assertThat(TestSteps.DOWN).contains("thing-p6a");
    assertThat(now).filteredOn(r -> r.action().equals("bring-back")).singleElement()
        .satisfies(r -> assertThat(r.down()).as("bring-back's check, with thing-p6a down").isTrue());
    assertThat(actions.needingRecovery()).extracting(Run::id).as("the dashboard, with thing-p6a down").contains(id);
  }

  // HOLDS (regression): one active run per plan under eight simultaneous requests through the use case: exactly
  // one run, every other request refused with the Conflict people understand (409), none with a lock or SQL error.
  @Test
  void simultaneousRequestsOfOnePlanStartOneRun() throws Exception {
    Plan plan = plans.create(OP1, "engine-test", "adversary race", Map.of("password", "pw-race-1234", "tag", "race"),
        null);
    int n = 8;
    CyclicBarrier together = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Actor who = i % 2 == 0 ? OP1 : OP2;
        all.add(pool.submit(() -> {
          together.await();
          try {
            outcomes.add(runs.request(who, plan.id()));
          } catch (RuntimeException e) {
            outcomes.add(e);
          }
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Run> started = outcomes.stream().filter(Run.class::isInstance).map(Run.class::cast).toList();
    assertThat(started).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !(o instanceof Run)).hasSize(n - 1)
        .allSatisfy(o -> assertThat(o).isInstanceOf(RunException.Conflict.class));
    assertThat(runs.active()).filteredOn(r -> r.planId().equals(plan.id())).hasSize(1);
    runs.abort(OP1, started.get(0).id(), "test over");
  }

  // HOLDS (regression): four-eyes on actions over the REST API. An approver-only action (second-opinion) is
  // refused to the requester (op1), to an operator (op2), to the viewer and to lead (OPERATOR+APPROVER) on a run lead
  // requested; ap1 may run it. An ordinary action (say) needs OPERATOR: refused to the viewer and to ap1. A
  // role-less user is refused both through the use case.
  @Test
  void fourEyesOnActionsHoldsOverTheApi() {
    String id = inDowntime(OP1, "4eyes");
    runs.abort(OP1, id, "to the way back");
    awaitBringBackChecked(id, false);
    String second = "/api/runs/" + id + "/actions/second-opinion";
    assertThat(console.postAs("op1", PW, second, "").statusCode()).as("requester").isEqualTo(403);
    assertThat(console.postAs("op2", PW, second, "").statusCode()).as("operator").isEqualTo(403);
    assertThat(console.postAs("viewer", PW, second, "").statusCode()).as("viewer").isEqualTo(403);
    assertThat(console.postAs("viewer", PW, "/api/runs/" + id + "/actions/say", "").statusCode()).isEqualTo(403);
    assertThat(console.postAs("ap1", PW, "/api/runs/" + id + "/actions/say", "").statusCode()).isEqualTo(403);
    assertThatThrownBy(() -> actions.run(Actor.of("nobody"), id, "say")).isInstanceOf(RunException.NotAllowed.class);
    assertThatThrownBy(() -> actions.run(Actor.of("nobody"), id, "second-opinion"))
        .isInstanceOf(RunException.NotAllowed.class);

    Plan leads = plans.create(Actor.of("lead", Role.OPERATOR, Role.APPROVER), "engine-test", "lead's",
        Map.of("password", "pw-lead-1234", "tag", "lead4"), null);
    String leadRun = runs.request(Actor.of("lead", Role.OPERATOR, Role.APPROVER), leads.id()).id();
    HttpResponse<String> own = console.postAs("lead", PW, "/api/runs/" + leadRun + "/actions/second-opinion", "");
    assertThat(own.statusCode()).as(own.body()).isEqualTo(403);
    assertThat(own.body()).contains("four-eyes");
    runs.abort(OP1, leadRun, "test over");

    HttpResponse<String> ok = console.postAs("ap1", PW, second, "");
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(actions.attempts(id)).extracting(ActionRecord::actor).containsExactly("ap1");
  }

  // HOLDS (regression): a failed action answers 502 with a problem, never 200; the audit trail and run_action say
  // it; hostile action ids get a clean 4xx and start nothing.
  @Test
  void aFailedActionAnswers502AndHostileIdsStartNothing() throws Exception {
    String id = inDowntime(OP1, "fails");
    TestSteps.DOWN.add("thing-fails");
    runs.abort(OP1, id, "to the way back");
    awaitBringBackChecked(id, true);
    TestSteps.FAILURES.put("fix-thing-fails", "the service would not start: exit 1");

    HttpResponse<String> failed = console.postAs("op2", PW, "/api/runs/" + id + "/actions/bring-back", "");
    assertThat(failed.statusCode()).as(failed.body()).isEqualTo(502);
    assertThat(failed.headers().firstValue("Content-Type").orElse("")).contains("application/problem+json");
    JsonNode problem = json.readTree(failed.body());
    assertThat(problem.get("detail").asText()).contains("the service would not start");
    assertThat(actions.attempts(id)).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo("FAILED");
      assertThat(a.actor()).isEqualTo("op2");
      assertThat(a.endedAt()).isNotNull();
      assertThat(a.summary()).contains("the service would not start");
    });
    assertThat(auditTypes(id)).containsSubsequence("ACTION_REQUESTED", "ACTION_FAILED");
    assertThat(runs.get(id).actionId()).isNull();

    List<String> hostile = List.of("..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2fbring-back", "bring-back%00",
        "bring-back;x=1", "BRING-BACK", "bring-back%20", "%E8%A1%8C%E5%8A%A8", "a".repeat(3000),
        "%27%20OR%201%3D1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E");
    Map<String, String> answers = new java.util.LinkedHashMap<>();
    for (String action : hostile) {
      HttpResponse<String> answer = console.postAs("op2", PW, "/api/runs/" + id + "/actions/" + action, "");
      answers.put(action.length() > 40 ? action.substring(0, 10) + "…(" + action.length() + ")" : action,
          answer.statusCode() + " " + answer.headers().firstValue("Content-Type").orElse("-") + " "
              + answer.body().replaceAll("\\s+", " ").substring(0, Math.min(160, answer.body().length())));
      assertThat(answer.body()).as(action).doesNotContain("Exception").doesNotContain("<script>")
          .doesNotContain("at io.lockstep");
    }
    // 404 (a problem naming the missing action) where the id reaches the use case; 400 where Spring Security's
    // StrictHttpFirewall rejects the path first (.., encoded / or ., NUL, ;) — clean too, nothing runs.
    assertThat(answers).as("hostile action ids").allSatisfy((action, answer) -> assertThat(answer).matches(
        "404 application/problem\\+json .*has no action.*|400 .*"));
    assertThat(actions.attempts(id)).as("no hostile id started anything").hasSize(1);
    assertThat(auditTypes(id).stream().filter(t -> t.equals("ACTION_REQUESTED")).count()).isEqualTo(1);
    System.out.println("hostile action ids: " + answers);
  }

  // HOLDS (regression): two operators confirm the same checkpoint at the same moment: one confirmation, the other a
  // Conflict; a confirmation after an abort is a Conflict and changes nothing.
  @Test
  void aDoubleClickedConfirmationConfirmsOnce() throws Exception {
    String id = inDowntime(OP1, "click");
    TestSteps.open("two-click-" + id);
    await().atMost(WAIT).until(() -> step(id, "two.check").state() == RunStep.State.WAITING);
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Object> outcomes = new CopyOnWriteArrayList<>();
    try {
      for (Actor who : List.of(OP1, OP2)) {
        pool.submit(() -> {
          together.await();
          try {
            outcomes.add(runs.confirm(who, id, "two.check", 1));
          } catch (RuntimeException e) {
            outcomes.add(e);
          }
          return null;
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    assertThat(outcomes).hasSize(2).filteredOn(Run.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(o -> !(o instanceof Run)).singleElement()
        .isInstanceOf(RunException.Conflict.class);
    assertThat(auditTypes(id).stream().filter(t -> t.equals("STEP_CONFIRMED")).count()).isEqualTo(1);
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.abort(OP1, id, "test over");
    assertThatThrownBy(() -> runs.confirm(OP2, id, "two.check", 1)).isInstanceOf(RunException.Conflict.class);
  }

  /** A run of {@code tag} by {@code requester}, FAILED at one.gate in phase one (plan version 1). */
  private String failedInPhaseOne(Actor requester, String tag) {
    Plan plan = plans.create(requester, "engine-test", "adversary " + tag, Map.of("password", "pw-" + tag + "-1234",
        "tag", tag), null);
    String id = runs.request(requester, plan.id()).id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", "ok", plan.hash());
    TestSteps.FAILURES.put("one-" + tag + "-" + id, "the password was refused");
    TestSteps.open("one-" + tag + "-" + id);
    awaitState(id, Run.State.FAILED);
    TestSteps.FAILURES.remove("one-" + tag + "-" + id);
    return id;
  }

  // HOLDS (regression): a plan corrected twice while the run stands failed in phase one: the approval given for the
  // intermediate version 2 is voided by the edit to version 3, the retry holds the rest of the phase (nothing runs
  // with version 3), the requester (lead, who holds APPROVER too) may not approve it, and a second person's
  // approval of version 3 lets it go on with version 3.
  @Test
  void anApprovalOfAnIntermediateCorrectionIsVoidedAndTheRequesterMayNotApproveTheLastOne() {
    Actor lead = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
    String id = failedInPhaseOne(lead, "mid");
    String planId = runs.get(id).planId();
    String gate = "one-mid-" + id;
    Plan v2 = plans.edit(OP2, planId, 1, null, Map.of("password", "pw-mid-1234", "tag", "mid", "word", "two"), null);
    runs.approve(AP1, id, "one", "v2 is right", v2.hash());
    Plan v3 = plans.edit(OP2, planId, 2, null, Map.of("password", "pw-mid-1234", "tag", "mid", "word", "three"), null);
    assertThat(runs.approvals(id)).filteredOn(a -> a.planHash().equals(v2.hash())).singleElement()
        .satisfies(a -> assertThat(a.standing()).as("approval of the intermediate version").isFalse());

    runs.retry(OP2, id, "one.gate");
    awaitState(id, Run.State.AWAITING_APPROVAL);
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> TestSteps.starts(gate) == 1);
    assertThat(runs.phases(id).get(0).planVersion()).isEqualTo(1);
    assertThatThrownBy(() -> runs.approve(lead, id, "one", "mine", v3.hash()))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("four-eyes");

    runs.approve(AP1, id, "one", "v3 is right", v3.hash());
    await().atMost(WAIT).until(() -> "two".equals(runs.get(id).phaseId()));
    assertThat(runs.phases(id).get(0).planVersion()).isEqualTo(3);
    assertThat(TestSteps.starts(gate)).isEqualTo(2);
    runs.abort(OP1, id, "test over");
  }

  /**
   * Four-eyes by authorship: lead (OPERATOR and APPROVER) corrects the plan of op1's run while it
   * stands failed, then tries to approve the rest of the phase for his own correction.
   */
  @Test
  void theEditorMayNotApproveHisOwnCorrection() {
    Actor lead = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
    String id = failedInPhaseOne(OP1, "editor");
    String planId = runs.get(id).planId();
    Plan mine = plans.edit(lead, planId, 1, null, Map.of("password", "pw-editor-1234", "tag", "editor",
        "word", "leads"), null);
    runs.retry(OP1, id, "one.gate");
    awaitState(id, Run.State.AWAITING_APPROVAL);
    Throwable approved = org.assertj.core.api.Assertions.catchThrowable(
        () -> runs.approve(lead, id, "one", "my own correction", mine.hash()));
    runs.abort(OP1, id, "test over");
    assertThat(approved).as("lead approving the version lead wrote").isInstanceOf(RunException.NotAllowed.class);
  }
}
