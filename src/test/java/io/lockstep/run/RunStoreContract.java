package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

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
    plans = new PlanStore(ds, JsonMapper.builder().build());
    runs = new RunStore(ds);
    tx = new TransactionTemplate(new JdbcTransactionManager(ds));
  }

  private Plan plan() {
    return tx.execute(s -> {
      Plan plan = new Plan(plans.nextId(), "demo", "A plan", 1, "a".repeat(64), "b".repeat(64),
          Map.of("nodes", List.of("node-1", "node-2"), "word", "hi"), Map.of("rows", List.of(Map.of("ordinal", 0))),
          "op1", T0, "op1", T0);
      plans.insert(plan);
      return plan;
    });
  }

  private Run run(Plan plan) {
    return tx.execute(s -> {
      Run run = new Run(runs.nextId(), plan.id(), "demo", "op1", Run.State.CREATED, null, null, null, false, T0, null,
          null, T0);
      runs.insert(run);
      runs.insertPhase(new RunPhase(run.id(), "one", 0, RunPhase.State.PENDING, "op1", null, null, null, null));
      runs.insertStep(new RunStep(run.id(), "one", "a", 0, RunStep.State.PENDING, 0, null, null, null, null, null));
      return run;
    });
  }

  @Test
  void plansKeepEveryVersionAndIdsCountUp() {
    Plan first = plan();
    Plan second = plan();
    assertThat(Long.parseLong(second.id().substring(5))).isEqualTo(Long.parseLong(first.id().substring(5)) + 1);
    Plan edited = new Plan(first.id(), "demo", "Renamed", 2, "c".repeat(64), "b".repeat(64), Map.of("word", "bye"),
        Map.of(), "op1", T0, "op2", T0.plusSeconds(60));
    Boolean stored = tx.execute(s -> plans.update(edited));
    Boolean again = tx.execute(s -> plans.update(edited));
    assertThat(stored).isTrue();
    assertThat(again).as("the same version twice").isFalse();
    assertThat(plans.current(first.id()).orElseThrow()).isEqualTo(edited);
    Plan v1 = plans.version(first.id(), 1).orElseThrow();
    assertThat(v1.values()).containsEntry("nodes", List.of("node-1", "node-2"));
    assertThat(v1.data()).containsKey("rows");
    assertThat(plans.recent(10)).extracting(Plan::id).contains(first.id(), second.id());
  }

  @Test
  void runsMoveOnlyFromTheStateTheCallerSaw() {
    Run run = run(plan());
    assertThat(runs.move(run.id(), Run.State.CREATED, Run.State.AWAITING_APPROVAL, "one", null, "waits", T0)).isTrue();
    assertThat(runs.move(run.id(), Run.State.CREATED, Run.State.RUNNING, "one", null, null, T0)).isFalse();
    assertThat(runs.move(run.id(), Run.State.AWAITING_APPROVAL, Run.State.RUNNING, "one", "a", null, T0.plusSeconds(1)))
        .isTrue();
    Run running = runs.run(run.id()).orElseThrow();
    assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(running.stepId()).isEqualTo("a");
    java.util.Optional<Run> locked = tx.execute(s -> runs.lock(run.id()));
    assertThat(locked).isPresent();
    assertThat(runs.inStates(List.of(Run.State.RUNNING))).extracting(Run::id).contains(run.id());

    runs.startStep(run.id(), "one", "a", T0);
    runs.lastAction(run.id(), "one", "a", "node-1: systemctl stop kubelet");
    runs.lastExit(run.id(), "one", "a", "node-1=0");
    assertThat(runs.stepState(run.id(), "one", "a", List.of(RunStep.State.PENDING), RunStep.State.FAILED, "x", T0))
        .isFalse();
    assertThat(runs.stepState(run.id(), "one", "a", List.of(RunStep.State.RUNNING), RunStep.State.SUCCEEDED, "ok",
        T0.plusSeconds(2))).isTrue();
    RunStep step = runs.step(run.id(), "one", "a").orElseThrow();
    assertThat(step.attempts()).isEqualTo(1);
    assertThat(step.lastAction()).isEqualTo("node-1: systemctl stop kubelet");
    assertThat(step.took(T0)).hasSeconds(2);

    assertThat(runs.move(run.id(), Run.State.RUNNING, Run.State.SUCCEEDED, null, null, null, T0.plusSeconds(3))).isTrue();
    assertThat(runs.run(run.id()).orElseThrow().endedAt()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void anOverlongMessageOrSummaryIsCutToItsColumnInsteadOfStoppingTheRun() {
    Run run = run(plan());
    String pages = "cannot read the address of node 'node-2': " + "x".repeat(5000);
    assertThat(runs.move(run.id(), Run.State.CREATED, Run.State.FAILED, "one", "a", pages, T0)).isTrue();
    runs.startStep(run.id(), "one", "a", T0);
    assertThat(runs.stepState(run.id(), "one", "a", List.of(RunStep.State.RUNNING), RunStep.State.FAILED, pages,
        T0.plusSeconds(1))).isTrue();
    runs.lastExit(run.id(), "one", "a", "node-1=0 ".repeat(200));

    assertThat(runs.run(run.id()).orElseThrow().message()).startsWith("cannot read the address").endsWith(" …")
        .hasSizeLessThan(4000);
    RunStep step = runs.step(run.id(), "one", "a").orElseThrow();
    assertThat(step.summary()).startsWith("cannot read the address").hasSizeLessThan(4000);
    assertThat(step.lastExit()).hasSizeLessThan(1000);
  }

  @Test
  void approvalsOfOlderPlanVersionsAreVoidedOnlyForPhasesNotStarted() {
    Run run = run(plan());
    runs.insertApproval(new Approval(0, run.id(), "one", "a".repeat(64), Approval.Decision.APPROVED, "ap1", "ok", T0,
        null, null));
    List<Approval> voided = runs.voidOtherThan(run.id(), "c".repeat(64), "plan edited", T0.plusSeconds(5));
    assertThat(voided).hasSize(1);
    Approval after = runs.approvals(run.id()).get(0);
    assertThat(after.standing()).isFalse();
    assertThat(after.voidedReason()).isEqualTo("plan edited");
    assertThat(runs.voidOtherThan(run.id(), "c".repeat(64), "again", T0)).isEmpty();
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
