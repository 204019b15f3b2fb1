package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.SecretMasker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Adversarial tests of the run tables on real, migrated databases (H2 and PostgreSQL through the
 * subclasses): two transactions racing on stale copies, two active runs of one plan inserted at
 * the same moment, a double-clicked confirmation, and a restart (a new store, and the engine's
 * {@link RunEngine#recover()}) on the stored rows.
 */
abstract class RunStoreAdversaryContract {

  static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
  static final Run.StepFacts FACTS = new Run.StepFacts("a", "test.echo", 1, true, "PT1M");
  static final List<Run.PhaseLayout> LAYOUT = List.of(new Run.PhaseLayout("one", List.of("a", "b")),
      new Run.PhaseLayout("two", List.of("c")));

  DataSource ds;
  PlanStore plans;
  RunStore runs;
  TransactionTemplate tx;
  ExecutorService pool;

  abstract DataSource database();

  @BeforeEach
  void setUp() {
    ds = database();
    plans = new PlanStore(ds, JsonMapper.builder().build(), io.lockstep.testing.TestSecrets.SEALER);
    runs = new RunStore(ds, io.lockstep.testing.TestSecrets.SEALER);
    tx = new TransactionTemplate(new JdbcTransactionManager(ds));
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  private Plan plan() {
    return tx.execute(s -> {
      Plan plan = new Plan(plans.nextId(), "engine-test", "A plan", 1, "a".repeat(64), "b".repeat(64),
          Map.of("tag", "x"), Map.of(), "op1", T0, "op1", T0);
      plans.insert(plan, java.util.Set.of());
      return plan;
    });
  }

  private Run run(Plan plan) {
    return tx.execute(s -> {
      Run run = Run.request(runs.nextId(), plan, "op1", LAYOUT, T0);
      runs.insert(run);
      return run;
    });
  }

  private Run stored(String id) {
    return runs.run(id).orElseThrow();
  }

  private void save(Run run) {
    tx.executeWithoutResult(s -> runs.save(run));
  }

  private Approval approved(Run run, String phase, Plan plan) {
    tx.executeWithoutResult(s -> runs.insertApproval(new Approval(0, run.id(), phase, plan.hash(),
        Approval.Decision.APPROVED, "ap1", "ok", T0, null, null)));
    return runs.approvals(run.id()).stream().filter(a -> a.phaseId().equals(phase)).reduce((a, b) -> b).orElseThrow();
  }

  /** A run of its own plan, inside phase one, with {@code one.a} done and nothing under way. */
  private Run inPhaseOne() {
    Plan plan = plan();
    Run run = run(plan);
    Run moving = stored(run.id());
    moving.awaitFirstApproval(T0);
    save(moving);
    moving = stored(run.id());
    moving.startPhase(plan, approved(run, "one", plan), "One", T0);
    moving.startStep("one.a", 1, 1, FACTS, T0);
    save(moving);
    moving = stored(run.id());
    moving.succeedStep("one.a", "ok", "a", T0);
    save(moving);
    return stored(run.id());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // HOLDS (regression): compare-and-set under a real race, not one save after another. Two transactions hold
  // stale copies of the same version; the first writes and keeps its transaction open while the second writes
  // (it waits on the row), then commits. The second must be refused as a Conflict, and nothing of it — not its
  // phases, not its steps — may be written.
  @Test
  void twoMovesOnStaleCopiesRacingInTheDatabaseWriteOnlyOne() throws Exception {
    Plan plan = plan();
    Run run = run(plan);
    Run moving = stored(run.id());
    moving.awaitFirstApproval(T0);
    save(moving);
    Approval ok = approved(run, "one", plan);
    Run mine = stored(run.id());
    Run theirs = stored(run.id());
    mine.startPhase(plan, ok, "One", T0);
    mine.startStep("one.a", 1, 1, FACTS, T0);
    theirs.abort("op2", "not tonight", T0);

    CountDownLatch firstWrote = new CountDownLatch(1);
    Future<?> first = pool.submit(() -> tx.executeWithoutResult(s -> {
      runs.save(mine);
      firstWrote.countDown();
      sleep(400); // the second save waits on the row meanwhile
    }));
    assertThat(firstWrote.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Throwable> second = pool.submit(() -> catchThrowable(() -> save(theirs)));
    first.get(20, TimeUnit.SECONDS);
    Throwable refused = second.get(20, TimeUnit.SECONDS);

    assertThat(refused).as("the stale abort").isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("changed meanwhile");
    Run now = stored(run.id());
    assertThat(now.state()).isEqualTo(Run.State.RUNNING);
    assertThat(now.phase("one").orElseThrow().state()).isEqualTo(RunPhase.State.RUNNING);
    assertThat(now.step("one.a").orElseThrow().state()).isEqualTo(RunStep.State.RUNNING);
    assertThat(now.version()).isEqualTo(2);
  }

  // HOLDS (regression): one active run per plan is the unique index even when two inserts race, the first
  // transaction still open when the second inserts; the loser gets the clean Conflict, not a lock or SQL error.
  @Test
  void twoActiveRunsOfOnePlanInsertedAtTheSameMomentOneIsRefused() throws Exception {
    Plan plan = plan();
    String idA = tx.execute(s -> runs.nextId());
    String idB = tx.execute(s -> runs.nextId());
    Run a = Run.request(idA, plan, "op1", LAYOUT, T0);
    Run b = Run.request(idB, plan, "op2", LAYOUT, T0);
    CountDownLatch firstInserted = new CountDownLatch(1);
    Future<?> first = pool.submit(() -> tx.executeWithoutResult(s -> {
      runs.insert(a);
      firstInserted.countDown();
      sleep(400);
    }));
    assertThat(firstInserted.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Throwable> second = pool.submit(() -> catchThrowable(() -> tx.executeWithoutResult(s -> runs.insert(b))));
    first.get(20, TimeUnit.SECONDS);
    Throwable refused = second.get(20, TimeUnit.SECONDS);

    assertThat(refused).isInstanceOf(RunException.Conflict.class).hasMessageContaining("runs once at a time");
    assertThat(runs.ofPlan(plan.id())).extracting(Run::id).containsExactly(idA);
  }

  // HOLDS (regression): a manual checkpoint waits in the database: a new store (a restarted console) reads it
  // WAITING with its checklist, a double-click confirms it once (the second copy is refused by the
  // compare-and-set), and a confirmation from a copy read before an abort is refused.
  @Test
  void aWaitingCheckpointSurvivesARestartAndIsConfirmedOnceAndNeverAfterAnAbort() {
    Run run = inPhaseOne();
    run.awaitConfirmation("one.b", "look", List.of("the disks", "the logs"), T0);
    save(run);

    RunStore restarted = new RunStore(ds, io.lockstep.testing.TestSecrets.SEALER);
    Run click1 = restarted.run(run.id()).orElseThrow();
    Run click2 = restarted.run(run.id()).orElseThrow();
    assertThat(click1.step("one.b").orElseThrow().state()).isEqualTo(RunStep.State.WAITING);
    assertThat(click1.step("one.b").orElseThrow().checklist()).containsExactly("the disks", "the logs");
    click1.confirm("one.b", "op1", 2, T0.plusSeconds(1));
    click2.confirm("one.b", "op2", 2, T0.plusSeconds(1));
    tx.executeWithoutResult(s -> restarted.save(click1));
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> restarted.save(click2)))
        .isInstanceOf(RunException.Conflict.class);
    assertThat(stored(run.id()).step("one.b").orElseThrow().summary()).isEqualTo("confirmed by op1 (2 items checked)");

    Run other = inPhaseOne();
    other.awaitConfirmation("one.b", "look", List.of("it"), T0);
    save(other);
    Run late = stored(other.id());
    Run aborting = stored(other.id());
    aborting.abort("op1", "enough", T0.plusSeconds(2));
    save(aborting);
    late.confirm("one.b", "op2", 1, T0.plusSeconds(3));
    assertThatThrownBy(() -> save(late)).isInstanceOf(RunException.Conflict.class);
    assertThatThrownBy(() -> stored(other.id()).confirm("one.b", "op2", 1, T0.plusSeconds(3)))
        .isInstanceOf(RunException.Conflict.class);
    assertThat(stored(other.id()).step("one.b").orElseThrow().state()).isEqualTo(RunStep.State.ABORTED);
  }

  // HOLDS (regression): a restart (RunEngine.recover on the stored rows) ends an action that was RUNNING as
  // INTERRUPTED — row, run and event — after which the run moves again; a waiting checkpoint stays WAITING and
  // takes its confirmation; a non-repeatable step that was RUNNING waits for a decision.
  @Test
  void aRestartInterruptsTheActionUnderWayAndKeepsTheCheckpointWaiting() {
    Run failed = inPhaseOne();
    failed.awaitConfirmation("one.b", "look", List.of("it"), T0);
    save(failed);
    failed = stored(failed.id());
    failed.failStep("one.b", "not confirmed", "b", T0);
    save(failed);
    Run acting = stored(failed.id());
    acting.startAction("say", "Say", "op2", T0.plusSeconds(1));
    save(acting);

    Run waiting = inPhaseOne();
    waiting.awaitConfirmation("one.b", "look", List.of("the disks"), T0);
    save(waiting);

    Run cut = inPhaseOne();
    cut.awaitConfirmation("one.b", "look", List.of(), T0);
    save(cut);
    cut = stored(cut.id());
    cut.confirm("one.b", "op1", 0, T0);
    save(cut);
    cut = stored(cut.id());
    cut.endPhase(T0);
    save(cut);
    cut = stored(cut.id());
    cut.startPhase(runsPlan(cut), approved(cut, "two", runsPlan(cut)), "Two", T0);
    cut.startStep("two.c", 1, 1, FACTS, T0);
    save(cut);

    List<Object> published = new CopyOnWriteArrayList<>();
    RunStore restarted = new RunStore(ds, io.lockstep.testing.TestSecrets.SEALER);
    RunMoves moves = new RunMoves(restarted, published::add, tx);
    Plans catalogue = mock(Plans.class);
    when(catalogue.procedure("engine-test")).thenReturn(procedure());
    RunEngine engine = new RunEngine(restarted, moves, catalogue, new StepExecutors(List.of()), null,
        new SecretMasker(), published::add, tx, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC), null);
    engine.recover();

    Run afterAction = stored(acting.id());
    assertThat(afterAction.actionId()).isNull();
    assertThat(afterAction.state()).isEqualTo(Run.State.FAILED);
    assertThat(restarted.actionAttempts(acting.id())).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo("INTERRUPTED");
      assertThat(a.endedAt()).isNotNull();
    });
    assertThat(published).anySatisfy(e -> assertThat(e).isEqualTo(new RunEvent.ActionInterrupted(acting.id(), "say")));
    afterAction.retry("one.b", "op1", T0.plusSeconds(61));
    save(afterAction);
    assertThat(stored(acting.id()).state()).isEqualTo(Run.State.RUNNING);

    Run stillWaiting = stored(waiting.id());
    assertThat(stillWaiting.state()).isEqualTo(Run.State.RUNNING);
    assertThat(stillWaiting.step("one.b").orElseThrow().state()).isEqualTo(RunStep.State.WAITING);
    stillWaiting.confirm("one.b", "op2", 1, T0.plusSeconds(61));
    save(stillWaiting);

    Run decided = stored(cut.id());
    assertThat(decided.state()).isEqualTo(Run.State.NEEDS_DECISION);
    assertThat(decided.step("two.c").orElseThrow().state()).isEqualTo(RunStep.State.INTERRUPTED);
  }

  private Plan runsPlan(Run run) {
    return plans.current(run.planId()).orElseThrow();
  }

  /** engine-test's layout: one.a repeatable, one.b a manual checkpoint, two.c not repeatable. */
  static Procedure procedure() {
    return new Procedure("engine-test", "Engine test", null, null, null, List.of(),
        List.of(new Phase("one", "One", null, null, null, false, null,
                List.of(new Step("a", "test.echo", Map.of(), true), new Step("b", "manual", Map.of(), true))),
            new Phase("two", "Two", null, null, null, true, null,
                List.of(new Step("c", "test.gate", Map.of(), false)))));
  }
}
