package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** The plan and run tables over real, migrated databases; run once per database by the subclasses. */
abstract class RunStoreContract {

  static final Instant T0 = Instant.parse("2026-11-28T22:00:00Z");

  PlanStore plans;
  RunStore runs;
  TransactionTemplate tx;

  abstract DataSource database();

  @BeforeEach
  void setUp() {
    DataSource ds = database();
    plans = new PlanStore(ds, JsonMapper.builder().build(), io.lockstep.testing.TestSecrets.SEALER);
    runs = new RunStore(ds, io.lockstep.testing.TestSecrets.SEALER);
    tx = new TransactionTemplate(new JdbcTransactionManager(ds));
  }

  private Plan plan() {
    return tx.execute(s -> {
      Plan plan = new Plan(plans.nextId(), "demo", "A plan", 1, "a".repeat(64), "b".repeat(64),
          Map.of("nodes", List.of("node-1", "node-2"), "word", "hi"), Map.of("rows", List.of(Map.of("ordinal", 0))),
          "op1", T0, "op1", T0);
      plans.insert(plan, java.util.Set.of());
      return plan;
    });
  }

  private Run run(Plan plan) {
    return tx.execute(s -> {
      Run run = Run.request(runs.nextId(), plan, "op1",
          List.of(new Run.PhaseLayout("one", List.of("a", "b")), new Run.PhaseLayout("two", List.of("c"))), T0);
      runs.insert(run);
      return run;
    });
  }

  private Run stored(String id) {
    return runs.run(id).orElseThrow();
  }

  private Approval approved(Run run, String phase, Plan plan) {
    tx.executeWithoutResult(s -> runs.insertApproval(new Approval(0, run.id(), phase, plan.hash(),
        Approval.Decision.APPROVED, "ap1", "ok", T0, null, null)));
    return runs.approvals(run.id()).stream().filter(a -> a.phaseId().equals(phase)).reduce((a, b) -> b).orElseThrow();
  }

  private void save(Run run) {
    tx.executeWithoutResult(s -> runs.save(run));
  }

  static final Run.StepFacts FACTS = new Run.StepFacts("a", "test.echo", 1, true, "PT1M");

  @Test
  void aRunIsStoredWholeAndReadBackWhole() {
    Plan plan = plan();
    Run run = run(plan);
    Run read = stored(run.id());
    assertThat(read.state()).isEqualTo(Run.State.CREATED);
    assertThat(read.phases()).extracting(RunPhase::phaseId).containsExactly("one", "two");
    assertThat(read.phases()).extracting(RunPhase::planVersion).as("not started: no version").containsOnlyNulls();
    assertThat(read.steps()).extracting(RunStep::key).containsExactly("one.a", "one.b", "two.c");
    assertThat(runs.recent(10)).filteredOn(r -> r.id().equals(run.id())).singleElement()
        .satisfies(r -> assertThat(r.steps()).hasSize(3));
  }

  /**
   * A phase switched off by the plan is stored SKIPPED from the request on, read back so (as after a
   * restart), passed by the run, and switched on and off again by a plan edit.
   */
  @Test
  void aPhaseSkippedByThePlanIsStoredReadBackAndSwitched() {
    Plan plan = plan();
    Run run = tx.execute(s -> {
      Run r = Run.request(runs.nextId(), plan, "op1", List.of(new Run.PhaseLayout("one", List.of("a")),
          new Run.PhaseLayout("extra", List.of("x"), true), new Run.PhaseLayout("two", List.of("c"))), T0);
      runs.insert(r);
      return r;
    });
    Run read = stored(run.id());
    assertThat(read.phases()).extracting(RunPhase::state)
        .containsExactly(RunPhase.State.PENDING, RunPhase.State.SKIPPED, RunPhase.State.PENDING);
    read.awaitFirstApproval(T0);
    read.switchPhases(java.util.Set.of(), p -> "${params.extra}", "op2", T0);
    save(read);
    assertThat(stored(run.id()).phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.PENDING);
    Run again = stored(run.id());
    again.switchPhases(java.util.Set.of("extra"), p -> "${params.extra}", "op2", T0);
    save(again);
    Run moving = stored(run.id());
    assertThat(moving.phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.SKIPPED);
    moving.startPhase(plan, approved(run, "one", plan), "One", T0.plusSeconds(1));
    moving.startStep("one.a", 1, 1, FACTS, T0.plusSeconds(1));
    moving.succeedStep("one.a", "ok", "a", T0.plusSeconds(2));
    moving.endPhase(T0.plusSeconds(2));
    save(moving);
    Run after = stored(run.id());
    assertThat(after.phaseId()).as("the run passed the skipped phase").isEqualTo("two");
    assertThat(after.phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.SKIPPED);
  }

  @Test
  void aChangeIsWrittenOnlyIfNobodyMovedTheRunSinceItWasRead() {
    Plan plan = plan();
    Run run = run(plan);
    Run mine = stored(run.id());
    Run theirs = stored(run.id());
    mine.awaitFirstApproval(T0);
    save(mine);
    theirs.abort("op2", "changed my mind", T0);
    assertThatThrownBy(() -> save(theirs)).isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("changed meanwhile");
    assertThat(stored(run.id()).state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    java.util.Optional<Run> locked = tx.execute(s -> runs.lock(run.id()));
    assertThat(locked).isPresent();
    assertThat(runs.inStates(List.of(Run.State.AWAITING_APPROVAL))).extracting(Run::id).contains(run.id());
  }

  @Test
  void stepsKeepTheFactsTheirExecutorWroteUntilANewAttemptStarts() {
    Plan plan = plan();
    Run run = run(plan);
    Run moving = stored(run.id());
    moving.awaitFirstApproval(T0);
    save(moving);
    moving = stored(run.id());
    moving.startPhase(plan, approved(run, "one", plan), "One", T0.plusSeconds(1));
    moving.startStep("one.a", 1, 1, FACTS, T0.plusSeconds(1));
    save(moving);
    assertThat(stored(run.id()).startedAt()).isEqualTo(T0.plusSeconds(1));
    runs.lastAction(run.id(), "one", "a", "node-1: systemctl stop kubelet");
    runs.lastExit(run.id(), "one", "a", "node-1=0");
    moving = stored(run.id());
    moving.succeedStep("one.a", "ok", "a", T0.plusSeconds(3));
    save(moving);
    RunStep step = stored(run.id()).step("one.a").orElseThrow();
    assertThat(step.state()).isEqualTo(RunStep.State.SUCCEEDED);
    assertThat(step.attempts()).isEqualTo(1);
    assertThat(step.lastAction()).as("kept through the step's end").isEqualTo("node-1: systemctl stop kubelet");
    assertThat(step.lastExit()).isEqualTo("node-1=0");
    assertThat(step.took(T0)).hasSeconds(2);

    moving = stored(run.id());
    moving.awaitConfirmation("one.b", "look", List.of("the disks", "the logs"), T0.plusSeconds(4));
    save(moving);
    assertThat(stored(run.id()).step("one.b").orElseThrow().checklist()).containsExactly("the disks", "the logs");
  }

  /** Issue 14: an executor's summary said as a line, nested lines included, is stored keyed and read back whole. */
  @Test
  void aStepSummarySaidAsALineIsStoredKeyedAndReadBackWhole() {
    Plan plan = plan();
    Run run = run(plan);
    Run moving = stored(run.id());
    moving.awaitFirstApproval(T0);
    moving.startPhase(plan, approved(run, "one", plan), "One", T0);
    moving.startStep("one.a", 1, 1, FACTS, T0);
    save(moving);
    StepPreview.Line line = StepPreview.Line.of("summary.ssh.exec.manyStatuses", "{0} nodes: {1}", 3,
        StepPreview.Line.of("summary.list", "{0}; {1}",
            StepPreview.Line.of("summary.ssh.exec.exitOn", "exit {0} on {1}", 0, "node-1, \"node-2\""),
            StepPreview.Line.of("summary.ssh.exec.exitOn", "exit {0} on {1}", 3, "n\u00f6de-3 '{0}'")));
    RunMessage said = RunMessage.of(line, text -> text);
    moving = stored(run.id());
    RunEvent.StepSucceeded event = moving.succeedStep("one.a", RunMessage.encode(said), "a", T0.plusSeconds(1));
    save(moving);

    RunStep step = stored(run.id()).step("one.a").orElseThrow();
    assertThat(step.said()).isEqualTo(said);
    assertThat(step.summary()).isEqualTo(line.english()).isEqualTo(event.result())
        .isEqualTo("3 nodes: exit 0 on node-1, \"node-2\"; exit 3 on n\u00f6de-3 '{0}'");
  }

  /** A wait between attempts and a guard's first override signature live in the database, not in a thread. */
  @Test
  void aWaitBetweenAttemptsAndAnOverrideSignatureAreStoredWithTheStep() {
    Plan plan = plan();
    Run run = run(plan);
    Run moving = stored(run.id());
    moving.awaitFirstApproval(T0);
    moving.startPhase(plan, approved(run, "one", plan), "One", T0);
    moving.startStep("one.a", 1, 1, FACTS, T0.plusSeconds(1));
    save(moving);
    moving = stored(run.id());
    moving.failAttempt("one.a", 1, 3, "unhealthy", "a", T0.plusSeconds(2), T0.plusSeconds(5));
    save(moving);
    RunStep waiting = stored(run.id()).step("one.a").orElseThrow();
    assertThat(waiting.waitingForNextAttempt()).isTrue();
    assertThat(waiting.attempt()).isEqualTo(1);
    assertThat(waiting.seriesStartedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(waiting.nextAttemptAt()).isEqualTo(T0.plusSeconds(5));

    moving = stored(run.id());
    moving.startStep("one.a", 1, 2, FACTS, T0.plusSeconds(5));
    save(moving);
    moving = stored(run.id());
    moving.failStep("one.a", "still unhealthy", "a", T0.plusSeconds(6));
    save(moving);
    RunStep failed = stored(run.id()).step("one.a").orElseThrow();
    assertThat(failed.attempt()).isEqualTo(2);
    assertThat(failed.seriesStartedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(failed.nextAttemptAt()).isNull();

    moving = stored(run.id());
    moving.signOverride("one.a", "ap1", "checked by hand", T0.plusSeconds(7));
    save(moving);
    RunStep signed = stored(run.id()).step("one.a").orElseThrow();
    assertThat(signed.overrideBy()).isEqualTo("ap1");
    assertThat(signed.overrideReason()).isEqualTo("checked by hand");
    moving = stored(run.id());
    moving.retry("one.a", "op2", T0.plusSeconds(8));
    save(moving);
    assertThat(stored(run.id()).step("one.a").orElseThrow().overrideBy()).isNull();
  }

  /** Who asked for a pause and when the run stopped are kept with the run; a resume forgets them. */
  @Test
  void whoPausedAndWhenAreStoredWithTheRunAndClearedOnResume() {
    Plan plan = plan();
    Run run = run(plan);
    Run locked = tx.execute(s -> {
      Run r = runs.lock(run.id()).orElseThrow();
      r.awaitFirstApproval(T0);
      runs.save(r);
      return r;
    });
    assertThat(locked.pausedBy()).isNull();
    Instant at = T0.plusSeconds(61);
    String who = "op-\u202e<b>'\"x";
    tx.executeWithoutResult(s -> {
      Run r = runs.lock(run.id()).orElseThrow();
      r.requestPause(who, at);
      runs.save(r);
    });
    Run paused = stored(run.id());
    assertThat(paused.state()).isEqualTo(Run.State.PAUSED);
    assertThat(paused.pausedBy()).as("a name stored as given, whatever it holds").isEqualTo(who);
    assertThat(paused.pausedAt()).isEqualTo(at);
    tx.executeWithoutResult(s -> {
      Run r = runs.lock(run.id()).orElseThrow();
      r.resume("op2", at.plusSeconds(5));
      runs.save(r);
    });
    Run resumed = stored(run.id());
    assertThat(resumed.state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(resumed.pausedBy()).isNull();
    assertThat(resumed.pausedAt()).isNull();
  }

  @Test
  void aPlanHasOneActiveRunAtATimeByConstraint() {
    Plan plan = plan();
    Run first = run(plan);
    Run second = Run.request(runs.nextId(), plan, "op2", List.of(new Run.PhaseLayout("one", List.of("a"))), T0);
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> runs.insert(second)))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("runs once at a time");
    assertThat(runs.run(second.id())).isEmpty();
    Run aborting = stored(first.id());
    aborting.abort("op1", null, T0);
    save(aborting);
    Run third = run(plan);
    assertThat(stored(third.id()).state()).isEqualTo(Run.State.CREATED);
  }

  @Test
  void anOverlongMessageOrSummaryIsCutToItsColumnInsteadOfStoppingTheRun() {
    Plan plan = plan();
    Run run = run(plan);
    String pages = "cannot read the address of node 'node-2': " + "x".repeat(5000);
    Run moving = stored(run.id());
    moving.awaitFirstApproval(T0);
    moving.startPhase(plan, approved(run, "one", plan), "One", T0);
    moving.startStep("one.a", 1, 1, FACTS, T0);
    save(moving);
    runs.lastExit(run.id(), "one", "a", "node-1=0 ".repeat(200));
    moving = stored(run.id());
    moving.failStep("one.a", pages, "a", T0.plusSeconds(1));
    save(moving);

    assertThat(stored(run.id()).message()).startsWith("Step one.a failed: cannot read the address").endsWith(" …")
        .hasSizeLessThan(4000);
    RunStep step = stored(run.id()).step("one.a").orElseThrow();
    assertThat(step.summary()).startsWith("cannot read the address").hasSizeLessThan(4000);
    assertThat(step.lastExit()).hasSizeLessThan(1000);
  }

  @Test
  void approvalsOfOlderPlanVersionsAreVoidedOnlyForPhasesNotStarted() {
    Plan plan = plan();
    Run run = run(plan);
    Approval first = approved(run, "one", plan);
    approved(run, "two", plan);
    Run moving = stored(run.id());
    moving.awaitFirstApproval(T0);
    moving.startPhase(plan, first, "One", T0);
    save(moving);
    List<Approval> voided = tx.execute(s -> runs.voidOtherThan(run.id(), "c".repeat(64), "plan edited",
        T0.plusSeconds(5)));
    assertThat(voided).as("phase one started with its approval: that is history").extracting(Approval::phaseId)
        .containsExactly("two");
    Approval after = runs.approvals(run.id()).stream().filter(a -> a.phaseId().equals("two")).findFirst().orElseThrow();
    assertThat(after.standing()).isFalse();
    assertThat(after.voidedReason()).isEqualTo("plan edited");
    List<Approval> again = tx.execute(s -> runs.voidOtherThan(run.id(), "c".repeat(64), "again", T0));
    assertThat(again).isEmpty();

    // an approval for the rest of phase one, of a version it has not taken up, is voided by a newer edit
    tx.executeWithoutResult(s -> runs.insertApproval(new Approval(0, run.id(), "one", "c".repeat(64),
        Approval.Decision.APPROVED, "ap2", "go on with c", T0, null, null)));
    List<Approval> newer = tx.execute(s -> runs.voidOtherThan(run.id(), "d".repeat(64), "edited again", T0));
    assertThat(newer).extracting(Approval::planHash).containsExactly("c".repeat(64));
  }

  /**
   * An edit switches phases off before it voids approvals: the approval of a phase it switched off
   * is voided too. Kept, it stood again when an edit back to the approved version switched the
   * phase on (found by SkippedPhaseCrashIT: no APPROVAL_VOIDED at the switch-off edit).
   */
  @Test
  void anApprovalOfAPhaseTheEditSwitchedOffIsVoided() {
    Plan plan = plan();
    Run run = tx.execute(s -> {
      Run r = Run.request(runs.nextId(), plan, "op1", List.of(new Run.PhaseLayout("one", List.of("a")),
          new Run.PhaseLayout("extra", List.of("x")), new Run.PhaseLayout("two", List.of("c"))), T0);
      runs.insert(r);
      return r;
    });
    approved(run, "extra", plan);
    Run switching = stored(run.id());
    switching.awaitFirstApproval(T0);
    switching.switchPhases(java.util.Set.of("extra"), p -> "${params.extra}", "op1", T0);
    save(switching);
    List<Approval> voided = tx.execute(s -> runs.voidOtherThan(run.id(), "c".repeat(64), "switched off", T0));
    assertThat(voided).extracting(Approval::phaseId).containsExactly("extra");
    assertThat(runs.approvals(run.id())).filteredOn(a -> a.phaseId().equals("extra")).singleElement()
        .satisfies(a -> assertThat(a.standing()).isFalse());
  }

  @Test
  void undoRecordsAreKeptOnceAndSettled() {
    Run run = run(plan());
    assertThat(runs.insertUndo(run.id(), "replicas/anyshare/Deployment/web_1", "one.a", "3", false, T0)).isTrue();
    assertThat(runs.insertUndo(run.id(), "replicas/anyshare/Deployment/web_1", "one.a", "0", false, T0)).isFalse();
    assertThat(runs.insertUndo(run.id(), "replicasXanyshare", "one.a", "9", false, T0)).isTrue();
    assertThat(runs.undo(run.id(), "replicas/anyshare/Deployment/web_1")).contains("3");
    assertThat(runs.undos(run.id(), "replicas/")).containsOnlyKeys("replicas/anyshare/Deployment/web_1");
    assertThat(runs.undos(run.id(), "replicas_")).as("_ is not a wildcard").isEmpty();
    assertThat(runs.settleUndo(run.id(), "replicas/anyshare/Deployment/web_1", T0)).isTrue();
    assertThat(runs.undo(run.id(), "replicas/anyshare/Deployment/web_1")).isEmpty();
    assertThat(runs.undoRecords(run.id())).hasSize(2).anySatisfy(u -> assertThat(u.settledAt()).isNotNull());
    assertThat(runs.undoEvenSettled(run.id(), "replicas/anyshare/Deployment/web_1")).contains("3");
    assertThat(runs.insertUndo(run.id(), "replicas/anyshare/Deployment/web_1", "two.b", "5", false, T0.plusSeconds(9)))
        .as("a settled record is replaced: the original is back").isTrue();
    assertThat(runs.undo(run.id(), "replicas/anyshare/Deployment/web_1")).contains("5");
  }

  @Test
  void secretUndoRecordsAreKeptForRestoreButNeverListedWithTheirValue() {
    Run run = run(plan());
    assertThat(runs.insertUndo(run.id(), "secret/resource/s", "one.a", "{\"data\":{\"k\":\"czNjcjN0\"}}", true, T0)).isTrue();
    assertThat(runs.undoEvenSettled(run.id(), "secret/resource/s")).contains("{\"data\":{\"k\":\"czNjcjN0\"}}");
    assertThat(runs.undoRecords(run.id())).singleElement()
        .satisfies(u -> assertThat(u.value()).isEqualTo(UndoRecord.SECRET_VALUE));
  }

  @Test
  void figuresAreReplacedByName() {
    Run run = run(plan());
    runs.putFigure(run.id(), "copy.pre.kafka-0.bytes", 100, "pre.copy", T0);
    runs.putFigure(run.id(), "copy.pre.kafka-0.bytes", 250, "pre.copy", T0.plusSeconds(1));
    runs.putFigure(run.id(), "copy.pre.kafka-0.millis", 2000, "pre.copy", T0);
    assertThat(runs.figures(run.id())).containsExactly(
        java.util.Map.entry("copy.pre.kafka-0.bytes", 250L), java.util.Map.entry("copy.pre.kafka-0.millis", 2000L));
  }
}
