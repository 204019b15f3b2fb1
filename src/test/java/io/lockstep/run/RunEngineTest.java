package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.logstream.RunLog;
import io.lockstep.logstream.StoredLine;
import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine through its use cases, on the whole console: phases wait for a second person's
 * approval, steps run in order through the SPI, failures stop the run for retry, skip or abort,
 * plan edits void approvals, timeouts stop a step.
 */
class RunEngineTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor OP2 = Actor.of("op2", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Actor AP2 = Actor.of("ap2", Role.APPROVER);
  static final Actor LEAD = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(20);

  private final Plans plans;
  private final Runs runs;
  private final RunViews views;
  private final RunLog log;
  private final AuditLog audit;
  private final RunActions actions;

  @org.springframework.beans.factory.annotation.Autowired
  RunEngineTest(Plans plans, Runs runs, RunViews views, RunLog log, AuditLog audit, RunActions actions) {
    this.actions = actions;
    this.plans = plans;
    this.runs = runs;
    this.views = views;
    this.log = log;
    this.audit = audit;
  }

  @BeforeEach
  void freshGates() {
    TestSteps.reset();
  }

  private Run newRun(Actor requester, String tag) {
    Plan plan = plans.create(requester, "engine-test", "engine " + tag,
        Map.of("password", "s3cret-planted-" + tag, "tag", tag), null);
    return runs.request(requester, plan.id());
  }

  /** The hash of the plan version a run's approvers review now. */
  private String hashOf(String runId) {
    return plans.get(runs.get(runId).planId()).hash();
  }

  private Run awaitState(String runId, Run.State state) {
    await().atMost(WAIT).until(() -> runs.get(runId).state() == state);
    return runs.get(runId);
  }

  private RunStep step(String runId, String key) {
    return runs.steps(runId).stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
  }

  private void awaitStep(String runId, String key, RunStep.State state) {
    await().atMost(WAIT).until(() -> step(runId, key).state() == state);
  }

  private String logText(String runId) {
    List<String> lines = new ArrayList<>();
    for (StoredLine line : log.after(runId, 0, 10_000)) {
      lines.add(line.text());
    }
    return String.join("\n", lines);
  }

  /**
   * An abort given at the moment the approval lets the phase start: whichever commits first, a
   * step that started is stopped (its thread interrupted) and ends ABORTED, and a step the abort
   * came before never starts. Never does a step of an aborted run succeed or keep running.
   */
  @Test
  void anAbortRacingAStepStartCancelsTheStep() throws Exception {
    int started = 0;
    for (int round = 0; round < 12; round++) {
      Run run = newRun(OP1, "race" + round);
      String id = awaitState(run.id(), Run.State.AWAITING_APPROVAL).id();
      String gate = "one-race" + round + "-" + id;
      String hash = hashOf(id);
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
      Thread approver = new Thread(() -> {
        meet(together);
        runs.approve(AP1, id, "one", "go", hash);
      });
      approver.start();
      meet(together);
      if (round % 3 == 1) {
        Thread.sleep(round); // let the start win now and then
      } else if (round % 3 == 2) {
        await().atMost(WAIT).until(() -> TestSteps.starts(gate) > 0);
      }
      runs.abort(OP2, id, "race " + round);
      approver.join();
      await().atMost(WAIT).until(() -> runs.steps(id).stream().noneMatch(RunStep::underWay));
      RunStep gateStep = step(id, "one.gate");
      assertThat(runs.get(id).state()).isEqualTo(Run.State.ABORTED);
      if (TestSteps.starts(gate) > 0) {
        started++;
        await().atMost(WAIT).until(() -> TestSteps.INTERRUPTED.contains(gate));
        assertThat(gateStep.state()).as("round %s", round).isEqualTo(RunStep.State.ABORTED);
      } else {
        assertThat(gateStep.state()).as("round %s", round).isIn(RunStep.State.PENDING, RunStep.State.ABORTED);
      }
      assertThat(runs.steps(id)).noneMatch(s -> s.state() == RunStep.State.RUNNING);
      Thread.sleep(100);
      assertThat(TestSteps.starts(gate)).as("nothing starts after the abort committed").isLessThanOrEqualTo(1);
    }
    assertThat(started).as("some rounds let the step start before the abort").isPositive();
  }

  private static void meet(java.util.concurrent.CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aRunWaitsForASecondPersonAndRunsItsStepsInOrder() {
    Run run = newRun(OP1, "order");
    run = awaitState(run.id(), Run.State.AWAITING_APPROVAL);
    assertThat(run.phaseId()).isEqualTo("one");
    String id = run.id();
    await().atMost(WAIT).untilAsserted(() -> assertThat(TestSteps.NOTIFICATIONS).anySatisfy(n ->
        assertThat(n).isInstanceOfSatisfying(RunNotifications.ApprovalWaiting.class, waiting -> {
          assertThat(waiting.runId()).isEqualTo(id);
          assertThat(waiting.phaseId()).isEqualTo("one");
          assertThat(waiting.requester()).isEqualTo("op1");
        })));

    assertThatThrownBy(() -> runs.approve(OP1, id, "one", "me", hashOf(id)))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("APPROVER");
    assertThatThrownBy(() -> runs.approve(LEAD, newRunBy(LEAD), "one", "mine", null))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("four-eyes");
    assertThat(runs.get(id).state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(runs.steps(id)).allMatch(s -> s.state() == RunStep.State.PENDING);

    runs.approve(AP1, id, "one", "looks right", hashOf(id));
    awaitStep(id, "one.gate", RunStep.State.RUNNING);
    assertThat(step(id, "one.echo").state()).isEqualTo(RunStep.State.SUCCEEDED);
    assertThat(step(id, "one.echo").summary()).isEqualTo("said it");
    assertThat(step(id, "one.echo").lastExit()).isEqualTo("node-1=0");
    assertThat(runs.undoRecords(id)).extracting(UndoRecord::key).containsExactly("echo/one.echo");

    TestSteps.open("one-order-" + id);
    run = awaitState(id, Run.State.AWAITING_APPROVAL);
    assertThat(run.phaseId()).isEqualTo("two");
    assertThat(runs.phases(id).get(0).state()).isEqualTo(RunPhase.State.SUCCEEDED);
    assertThat(TestSteps.starts("two-order-" + id)).isZero();

    String text = logText(id);
    assertThat(text).contains("hello ******").doesNotContain("s3cret-planted-order");
    assertThat(text.indexOf("▶ echo")).isLessThan(text.indexOf("▶ gate"));
    List<String> types = new ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> types.add(e.type()));
    assertThat(types).containsSubsequence("RUN_REQUESTED", "PHASE_APPROVED", "PHASE_STARTED", "STEP_STARTED",
        "STEP_ACTION", "UNDO_RECORDED", "STEP_SUCCEEDED", "STEP_STARTED", "STEP_SUCCEEDED", "PHASE_ENDED");
    List<Map<String, Object>> ends = new ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> {
      if (e.type().equals("STEP_SUCCEEDED")) {
        ends.add(e.details());
      }
    });
    assertThat(ends.get(0)).containsEntry("step", "one.echo").containsEntry("exitStatus", "node-1=0")
        .containsEntry("lastAction", "node-1: echo hello ******");
    runs.abort(OP1, id, "test over");
  }

  /**
   * Issue 14: a summary the executor says as a line is stored keyed with the plan's password masked
   * in its argument; the page reads it in Chinese, the audit trail and the API in English.
   */
  @Test
  void aSummarySaidAsALineReadsInTheReadersLanguageWithItsSecretMasked() {
    Plan plan = plans.create(OP1, "engine-test", "keyed summary", Map.of("password", "s3cret-keyed-sum", "tag",
        "keyed", "word", "keyed"), null);
    String id = runs.request(OP1, plan.id()).id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", "go", hashOf(id));
    awaitStep(id, "one.echo", RunStep.State.SUCCEEDED);

    RunStep echo = step(id, "one.echo");
    assertThat(echo.said().key()).isEqualTo("summary.ssh.exec.many");
    assertThat(echo.said().args()).containsExactly("keyed ******", "0");
    assertThat(echo.summary()).isEqualTo("keyed ****** nodes: exit 0");
    RunDetails.StepView zh = views.details(id, java.util.Locale.SIMPLIFIED_CHINESE).phases().get(0).steps().stream()
        .filter(s -> s.key().equals("one.echo")).findFirst().orElseThrow();
    assertThat(zh.summary()).isEqualTo("keyed ****** 个节点：退出码 0");
    List<String> audited = new ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> audited.add(e.summary() + " " + e.details()));
    assertThat(audited).anySatisfy(a -> assertThat(a).contains("one.echo succeeded").contains("keyed ****** nodes: exit 0"))
        .allSatisfy(a -> assertThat(a).doesNotContain("s3cret-keyed-sum").doesNotContain("summary.ssh"));
    runs.abort(OP1, id, "test over");
  }

  private String newRunBy(Actor lead) {
    return newRun(lead, "lead").id();
  }

  @Test
  void approvalsGivenAheadLetPhasesFollowWithoutWaiting() {
    Run run = newRun(OP1, "ahead");
    String id = awaitState(run.id(), Run.State.AWAITING_APPROVAL).id();
    runs.approve(AP2, id, "two", "ahead of time", hashOf(id));
    runs.approve(AP1, id, "one", "go", hashOf(id));
    TestSteps.open("one-ahead-" + id);
    awaitStep(id, "two.risky", RunStep.State.RUNNING);
    assertThat(runs.get(id).phaseId()).isEqualTo("two");
    runs.abort(OP1, id, null);
    awaitStep(id, "two.risky", RunStep.State.ABORTED);
    assertThat(runs.get(id).state()).isEqualTo(Run.State.ABORTED);
    assertThat(log.isFinished(id)).isTrue();
  }

  @Test
  void editingThePlanVoidsApprovalsAndThePhaseDoesNotStart() {
    Plan plan = plans.create(OP1, "engine-test", "edit", Map.of("password", "pw-edit-1", "tag", "edit"), null);
    String id = runs.request(OP1, plan.id()).id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.pause(OP1, id);
    runs.approve(AP1, id, "one", "ok", plan.hash());

    Plan edited = plans.edit(OP2, plan.id(), 1, null, Map.of("password", "pw-edit-1", "tag", "edit", "word", "bye"), null);
    assertThat(edited.version()).isEqualTo(2);
    assertThat(edited.hash()).isNotEqualTo(plan.hash());
    assertThat(runs.approvals(id)).singleElement().satisfies(a -> {
      assertThat(a.standing()).isFalse();
      assertThat(a.voidedReason()).contains("edited by op2");
    });
    assertThatThrownBy(() -> runs.approve(AP2, id, "one", "stale", plan.hash()))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("changed since it was reviewed");

    runs.resume(OP1, id);
    awaitState(id, Run.State.AWAITING_APPROVAL);
    await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> step(id, "one.echo").state() == RunStep.State.PENDING);
    assertThat(views.details(id, Locale.ENGLISH).phases().get(0).approvedForCurrentPlan()).isFalse();

    runs.approve(AP2, id, "one", "new version seen", edited.hash());
    awaitStep(id, "one.gate", RunStep.State.RUNNING);
    assertThat(logText(id)).contains("bye ******");
    assertThat(runs.phases(id).get(0).planVersion()).isEqualTo(2);
    assertThatThrownBy(() -> plans.edit(OP1, plan.id(), 2, null, Map.of("password", "x1234", "tag", "edit"), null))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("cannot be edited now");
    runs.abort(OP1, id, null);
  }

  /**
   * A wrong value found in the middle of a phase (the gate fails as a wrong password would): the
   * plan is corrected while the run stands failed in the phase, the retry makes the run wait for an
   * approval of the new version, and the rest of the phase runs with it once a second person
   * approved it — never with a version nobody approved.
   */
  @Test
  void aPlanCorrectedWhileTheRunStandsInAPhaseGoesOnWithTheNewVersionOnceApproved() {
    Plan plan = plans.create(OP1, "engine-test", "correct", Map.of("password", "pw-correct-1", "tag", "fix"), null);
    String id = runs.request(OP1, plan.id()).id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", "ok", plan.hash());
    String gate = "one-fix-" + id;
    TestSteps.FAILURES.put(gate, "the password was refused");
    TestSteps.open(gate);
    awaitState(id, Run.State.FAILED);

    Plan corrected = plans.edit(OP1, plan.id(), 1, null, Map.of("password", "pw-correct-2", "tag", "fix",
        "word", "corrected"), null);
    assertThat(corrected.version()).isEqualTo(2);
    assertThat(runs.phases(id).get(0).planVersion()).as("the phase keeps its version until approved").isEqualTo(1);
    TestSteps.FAILURES.remove(gate);
    runs.retry(OP1, id, "one.gate");
    Run held = awaitState(id, Run.State.AWAITING_APPROVAL);
    assertThat(held.phaseId()).isEqualTo("one");
    assertThat(held.message()).contains("version 2");
    assertThat(step(id, "one.gate").state()).isEqualTo(RunStep.State.PENDING);
    assertThat(TestSteps.starts(gate)).as("nothing ran with the new version before its approval").isEqualTo(1);
    assertThat(runs.approvableBy(AP2)).anySatisfy(p -> {
      assertThat(p.run().id()).isEqualTo(id);
      assertThat(p.phaseId()).isEqualTo("one");
      assertThat(p.blocking()).isTrue();
    });
    assertThatThrownBy(() -> runs.approve(AP2, id, "one", "old", plan.hash())).isInstanceOf(RunException.Conflict.class);

    runs.approve(AP2, id, "one", "the corrected password", corrected.hash());
    awaitState(id, Run.State.AWAITING_APPROVAL);
    await().atMost(WAIT).until(() -> "two".equals(runs.get(id).phaseId()));
    assertThat(runs.phases(id).get(0).planVersion()).isEqualTo(2);
    assertThat(runs.phases(id).get(0).state()).isEqualTo(RunPhase.State.SUCCEEDED);
    assertThat(TestSteps.starts(gate)).isEqualTo(2);
    List<String> types = new java.util.ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> types.add(e.type()));
    assertThat(types).containsSubsequence("STEP_FAILED", "STEP_RETRY", "PHASE_AWAITING_APPROVAL",
        "PHASE_APPROVED", "PHASE_CONTINUED", "STEP_STARTED", "STEP_SUCCEEDED", "PHASE_ENDED");
    runs.abort(OP1, id, null);
  }

  @Test
  void aFailedStepWaitsForRetrySkipOrAbort() {
    String id = newRun(OP1, "fail").id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", null, hashOf(id));
    String gate = "one-fail-" + id;
    TestSteps.FAILURES.put(gate, "the gate is broken");
    TestSteps.open(gate);
    Run failed = awaitState(id, Run.State.FAILED);
    assertThat(failed.message()).contains("one.gate").contains("the gate is broken");
    await().atMost(WAIT).untilAsserted(() -> assertThat(TestSteps.NOTIFICATIONS).anySatisfy(n -> assertThat(n).isInstanceOfSatisfying(
        RunNotifications.RunStopped.class, stopped -> {
          assertThat(stopped.runId()).isEqualTo(id);
          assertThat(stopped.state()).isEqualTo("FAILED");
          assertThat(stopped.step()).isEqualTo("one.gate");
        })));
    assertThat(step(id, "one.gate").state()).isEqualTo(RunStep.State.FAILED);

    TestSteps.FAILURES.remove(gate);
    runs.retry(OP2, id, "one.gate");
    awaitState(id, Run.State.AWAITING_APPROVAL);
    assertThat(TestSteps.starts(gate)).isEqualTo(2);
    assertThat(step(id, "one.gate").attempts()).isEqualTo(2);

    runs.approve(AP1, id, "two", null, hashOf(id));
    String risky = "two-fail-" + id;
    TestSteps.FAILURES.put(risky, "risky failed");
    TestSteps.open(risky);
    awaitState(id, Run.State.FAILED);
    assertThatThrownBy(() -> runs.skip(AP1, id, "two.risky", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason");
    assertThatThrownBy(() -> runs.skip(OP1, id, "two.risky", "because"))
        .isInstanceOf(RunException.NotAllowed.class);
    runs.skip(AP2, id, "two.risky", "done by hand");
    awaitStep(id, "two.check", RunStep.State.WAITING);
    assertThat(step(id, "two.risky").summary()).contains("skipped by ap2: done by hand");

    assertThatThrownBy(() -> runs.confirm(OP1, id, "two.check", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checklist");
    runs.confirm(OP1, id, "two.check", 1);
    awaitState(id, Run.State.AWAITING_APPROVAL);
    assertThat(step(id, "two.check").summary()).contains("confirmed by op1");

    runs.approve(AP1, id, "three", null, hashOf(id));
    Run timedOut = awaitState(id, Run.State.FAILED);
    assertThat(timedOut.message()).contains("three.short").contains("did not finish within 300ms");
    runs.abort(OP2, id, "enough");
    assertThat(runs.get(id).state()).isEqualTo(Run.State.ABORTED);
    assertThatThrownBy(() -> runs.retry(OP1, id, "three.short")).isInstanceOf(RunException.Conflict.class);
  }

  @Test
  void aRejectedPhaseWaitsUntilThePlanIsEdited() {
    Plan plan = plans.create(OP1, "engine-test", "reject", Map.of("password", "pw-reject", "tag", "rej"), null);
    String id = runs.request(OP1, plan.id()).id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    assertThatThrownBy(() -> runs.reject(AP1, id, "one", "", hashOf(id))).isInstanceOf(IllegalArgumentException.class);
    runs.reject(AP1, id, "one", "wrong node", hashOf(id));
    assertThatThrownBy(() -> runs.approve(AP2, id, "one", "override", hashOf(id)))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("rejected by ap1");
    await().atMost(WAIT).until(() -> runs.get(id).message().contains("rejected by ap1"));
    plans.edit(OP1, plan.id(), null, null, Map.of("password", "pw-reject", "tag", "rej", "word", "fixed"), null);
    runs.approve(AP2, id, "one", "better", hashOf(id));
    awaitStep(id, "one.gate", RunStep.State.RUNNING);
    runs.abort(OP1, id, null);
  }

  @Test
  void theApproverSeesWhatThePhaseWillDo() {
    String id = newRun(OP1, "preview").id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    PhasePreview preview = views.preview(id, "one", Locale.ENGLISH);
    assertThat(preview.clean()).isTrue();
    assertThat(preview.steps()).extracting(PhasePreview.StepLines::key).containsExactly("one.echo", "one.gate");
    assertThat(preview.steps().get(0).actions()).containsExactly("echo hello ******");
    assertThat(runs.approvableBy(AP1)).anySatisfy(p -> {
      assertThat(p.run().id()).isEqualTo(id);
      assertThat(p.phaseId()).isEqualTo("one");
      assertThat(p.blocking()).isTrue();
    });
    assertThat(runs.approvableBy(OP1)).isEmpty();
    runs.abort(OP1, id, null);
  }

  @Test
  void anOnDemandActionRunsOnlyWhileTheRunIsStoppedAndIsLoggedAndAudited() {
    String id = newRun(OP1, "act").id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", null, hashOf(id));
    awaitStep(id, "one.gate", RunStep.State.RUNNING);
    assertThatThrownBy(() -> actions.run(OP2, id, "say")).isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("only while the run is stopped");
    assertThatThrownBy(() -> actions.run(OP2, id, "nothing")).isInstanceOf(RunException.NotFound.class);

    runs.pause(OP1, id);
    TestSteps.open("one-act-" + id);
    awaitState(id, Run.State.PAUSED);
    assertThatThrownBy(() -> actions.run(AP1, id, "say")).isInstanceOf(RunException.NotAllowed.class);
    assertThatThrownBy(() -> actions.run(OP2, id, "bring-back")).as("phase two has not started")
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("none of the phases it takes back");
    RunActions.ActionResult result = actions.run(OP2, id, "say");
    assertThat(result.summary()).isEqualTo("said it");
    assertThat(logText(id)).as("the answer came after the action ended").contains("action for act");
    List<String> types = new java.util.ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> types.add(e.type()));
    assertThat(types).containsSubsequence("ACTION_REQUESTED", "ACTION_SUCCEEDED");
    assertThat(runs.get(id).state()).as("the action does not move the run").isEqualTo(Run.State.PAUSED);
    assertThat(actions.attempts(id)).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo("SUCCEEDED");
      assertThat(a.actor()).isEqualTo("op2");
      assertThat(a.lastAction()).isEqualTo("node-1: echo action for act");
    });
    runs.abort(OP1, id, "test over");
  }

  /**
   * A run aborted in downtime says what is down (the recovery actions' checks), keeps saying it on
   * the dashboard, and its way back answers an error when it fails and brings the thing back when
   * it works — audited, the run still ABORTED.
   */
  @Test
  void anAbortInDowntimeShowsWhatIsDownAndTheWayBackBringsItBack() {
    String id = newRun(OP1, "down").id();
    awaitState(id, Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", null, hashOf(id));
    runs.approve(AP1, id, "two", null, hashOf(id));
    TestSteps.open("one-down-" + id);
    awaitStep(id, "two.risky", RunStep.State.RUNNING);
    TestSteps.DOWN.add("thing-down");
    runs.abort(OP1, id, "the storage is on fire");

    await().atMost(WAIT).untilAsserted(() -> assertThat(actions.recovery(id, Locale.ROOT))
        .filteredOn(r -> r.action().equals("bring-back")).singleElement().satisfies(r -> {
          assertThat(r.offered()).isTrue();
          assertThat(r.down()).isTrue();
          assertThat(r.downChecks()).singleElement().satisfies(c -> assertThat(c.found()).isEqualTo("thing-down is down"));
        }));
    assertThat(actions.needingRecovery()).extracting(Run::id).contains(id);
    assertThat(views.details(id, Locale.ROOT).somethingDown()).isTrue();

    TestSteps.FAILURES.put("fix-thing-down", "the service would not start: exit 1");
    assertThatThrownBy(() -> actions.run(OP2, id, "bring-back")).isInstanceOf(RunException.ActionFailed.class)
        .hasMessageContaining("fix: the service would not start").hasMessageContaining("done before it: say: said it");
    assertThat(actions.recovery(id, Locale.ROOT)).filteredOn(r -> r.action().equals("bring-back"))
        .singleElement().satisfies(r -> assertThat(r.down()).isTrue());
    assertThat(actions.attempts(id)).last().satisfies(a -> {
      assertThat(a.state()).isEqualTo("FAILED");
      assertThat(a.lastExit()).isEqualTo("node-1=1");
    });

    assertThatThrownBy(() -> actions.run(OP1, id, "second-opinion")).isInstanceOf(RunException.NotAllowed.class);
    assertThatThrownBy(() -> actions.run(LEAD, newRunBy(LEAD), "second-opinion"))
        .isInstanceOf(RunException.class);
    assertThat(actions.needingRecovery()).as("a way back without checks counts until it has run").extracting(Run::id)
        .contains(id);
    assertThat(actions.run(AP2, id, "second-opinion").summary()).isEqualTo("said it");
    TestSteps.FAILURES.remove("fix-thing-down");
    RunActions.ActionResult back = actions.run(OP2, id, "bring-back");
    assertThat(back.summary()).contains("fix: thing-down started");
    assertThat(back.recovery()).filteredOn(r -> r.action().equals("bring-back")).singleElement()
        .satisfies(r -> assertThat(r.down()).isFalse());
    assertThat(actions.needingRecovery()).extracting(Run::id).doesNotContain(id);
    assertThat(runs.get(id).state()).isEqualTo(Run.State.ABORTED);
    assertThat(logText(id)).as("the way back is in the aborted run's log").contains("bringing back down")
        .contains("thing-down started");
    assertThat(log.isFinished(id)).as("and the log ends again after it").isTrue();
    List<String> types = new java.util.ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> types.add(e.type()));
    assertThat(types).containsSubsequence("RUN_ABORTED", "RECOVERY_CHECKED", "ACTION_REQUESTED", "ACTION_FAILED",
        "ACTION_REQUESTED", "ACTION_SUCCEEDED", "RECOVERY_CHECKED");
  }
}
