package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.lockstep.procedure.Action;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.Role;
import io.lockstep.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recovery checks of {@link RunActions} without Spring: a real, migrated H2 for the runs and
 * what the checks found; the catalogue ({@link Plans}) and the engine's {@code check} stubbed, so
 * that only RunActions' own scheduling of the looks is under test.
 */
class RunActionsAdversaryTest {

  static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
  static final Actor OP2 = Actor.of("op2", Role.OPERATOR);

  static final Action BRING_BACK = new Action("bring-back", "Bring the thing back", null, null, null,
      List.of(new Step("fix", "test.fix", Map.of(), true)),
      List.of(new Step("thing", "test.check", Map.of(), true), new Step("other", "test.check", Map.of(), true)),
      List.of("two"), List.of(), false);
  static final Procedure PROCEDURE = new Procedure("engine-test", "Engine test", null, null, null, List.of(),
      List.of(new Phase("one", "One", null, null, null, false, null,
              List.of(new Step("a", "test.echo", Map.of(), true))),
          new Phase("two", "Two", null, null, null, true, null, List.of(new Step("c", "test.gate", Map.of(), false)))),
      List.of(BRING_BACK));

  DataSource ds;
  RunStore runs;
  PlanStore plans;
  TransactionTemplate tx;
  Plans catalogue;
  RunEngine engine;
  RunActions actions;

  @BeforeEach
  void setUp() {
    ds = TestDatabases.h2();
    runs = new RunStore(ds, io.lockstep.testing.TestSecrets.SEALER);
    plans = new PlanStore(ds, JsonMapper.builder().build(), io.lockstep.testing.TestSecrets.SEALER);
    tx = new TransactionTemplate(new JdbcTransactionManager(ds));
    catalogue = mock(Plans.class);
    engine = mock(RunEngine.class);
    when(catalogue.get(any())).thenAnswer(i -> plans.current(i.getArgument(0)).orElseThrow());
    when(catalogue.version(any(), org.mockito.ArgumentMatchers.anyInt()))
        .thenAnswer(i -> plans.version(i.getArgument(0), i.getArgument(1)).orElseThrow());
    when(engine.check(any(), any(), any(), any(), any())).thenReturn("the thing is down");
    actions = new RunActions(runs, new RunMoves(runs, e -> { }, tx), catalogue, engine,
          mock(io.lockstep.logstream.RunLog.class), e -> { }, tx,
        Clock.fixed(T0, ZoneOffset.UTC), new Refusals(e -> { }, tx.getTransactionManager()));
  }

  @AfterEach
  void tearDown() {
    actions.destroy();
  }

  /** A run of a plan of its own, aborted while phase two (downtime) ran. */
  private String abortedInDowntime() {
    return tx.execute(s -> {
      Plan plan = new Plan(plans.nextId(), "engine-test", "A plan", 1, "a".repeat(64), "b".repeat(64), Map.of(),
          Map.of(), "op1", T0, "op1", T0);
      plans.insert(plan, java.util.Set.of());
      Run run = Run.request(runs.nextId(), plan, "op1", List.of(new Run.PhaseLayout("one", List.of("a")),
          new Run.PhaseLayout("two", List.of("c"))), T0);
      runs.insert(run);
      Run moving = runs.run(run.id()).orElseThrow();
      moving.awaitFirstApproval(T0);
      Approval one = new Approval(0, run.id(), "one", plan.hash(), Approval.Decision.APPROVED, "ap1", "", T0, null,
          null);
      moving.startPhase(plan, one, "One", T0);
      moving.startStep("one.a", 1, 1, RunStoreAdversaryContract.FACTS, T0);
      moving.succeedStep("one.a", "ok", "a", T0);
      moving.endPhase(T0);
      Approval two = new Approval(0, run.id(), "two", plan.hash(), Approval.Decision.APPROVED, "ap1", "", T0, null,
          null);
      moving.startPhase(plan, two, "Two", T0);
      moving.startStep("two.c", 1, 1, RunStoreAdversaryContract.FACTS, T0);
      moving.abort("op1", "the storage is on fire", T0);
      runs.save(moving);
      return run.id();
    });
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version): "after every stop the checks that apply look, and what they found is kept" / the dashboard never shows
  // an aborted-in-downtime run as healthy, and an action "runs to its end before the request is answered".
  // RunActions.checkSoon (RunActions.java:271) runs look() on the two-thread pool `checking` (RunActions.java:54),
  // and look() submits every check to that same pool and joins them (RunActions.java:251-257). Two stops at once
  // (two runs aborted together, or a restart whose recover() interrupts actions/steps of two runs: each
  // ActionInterrupted/StepInterrupted calls checkSoon) put both pool threads in look(), each waiting for checks
  // queued behind it: the pool deadlocks for good. From then on nothing is ever checked again, stale UP rows stay,
  // and every "check now" (POST /api/runs/{id}/recovery/check) and every action's answer (RunActions.run calls
  // look() after the action, RunActions.java:215) hangs forever.
  @Test
  void twoStopsAtOnceDoNotDeadlockTheRecoveryChecks() throws Exception {
    String a = abortedInDowntime();
    String b = abortedInDowntime();
    CountDownLatch bothLooking = new CountDownLatch(2);
    when(catalogue.procedure("engine-test")).thenAnswer(i -> {
      if (Thread.currentThread().getName().equals("run-recovery-look")) {
        bothLooking.countDown(); // the interleaving two simultaneous stops can take: both looks begin before
        bothLooking.await(2, TimeUnit.SECONDS); // either has queued its checks
      }
      return PROCEDURE;
    });
    actions.checkSoon(a);
    actions.checkSoon(b);

    CompletableFuture<List<RunActions.Recovery>> checkNow = CompletableFuture.supplyAsync(
        () -> actions.checkNow(OP2, a, Locale.ROOT));
    List<RunActions.Recovery> found = null;
    Throwable hung = null;
    try {
      found = checkNow.get(15, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      hung = e;
    }
    assertThat(hung).as("'check now' answers (it waited 15 s on the deadlocked pool)").isNull();
    assertThat(found).filteredOn(r -> r.action().equals("bring-back")).singleElement()
        .satisfies(r -> assertThat(r.down()).isTrue());
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(runs.checks(b))
        .as("the looks after the two stops kept what they found").hasSize(2));
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version): the same deadlock without any forced interleaving: a restart finds three runs whose actions were cut
  // off (recover() → ActionInterrupted → RunActions.stopped → checkSoon, one per run, in a burst), as after a
  // console crash during a night with several runs stopped in downtime. Repeated a few rounds; each round is a
  // fresh RunActions (a fresh pool).
  @Test
  void aBurstOfStopsAfterARestartDoesNotDeadlockTheRecoveryChecks() throws Exception {
    when(catalogue.procedure("engine-test")).thenReturn(PROCEDURE);
    int hung = 0;
    for (int round = 0; round < 5; round++) {
      RunActions fresh = new RunActions(runs, new RunMoves(runs, e -> { }, tx), catalogue, engine,
          mock(io.lockstep.logstream.RunLog.class), e -> { }, tx,
          Clock.fixed(T0, ZoneOffset.UTC), new Refusals(e -> { }, tx.getTransactionManager()));
      try {
        List<String> ids = List.of(abortedInDowntime(), abortedInDowntime(), abortedInDowntime());
        for (String id : ids) {
          fresh.stopped(new RunEvent.ActionInterrupted(id, "bring-back"));
        }
        CompletableFuture<?> look = CompletableFuture.runAsync(() -> fresh.checkNow(OP2, ids.get(0), Locale.ROOT));
        try {
          look.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          hung++;
        }
      } finally {
        fresh.destroy();
      }
    }
    assertThat(hung).as("rounds in which 'check now' never answered (of 5)").isZero();
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version): "the run does not move while an action runs" (ADR 4), through the use cases: an action that takes its
  // time (a reinstall: minutes) runs on a run waiting for approval, and an operator's pause meanwhile moves the run
  // to PAUSED. Runs.pause → Run.requestPause (Run.java:432) checks no action under way, unlike resume, retry, skip,
  // startPhase and continuePhase (the test action blocks in a stubbed RunEngine.executeAction).
  @Test
  void theRunDoesNotMoveWhileABlockingActionRuns() throws Exception {
    Action say = new Action("say", "Say", null, null, null, List.of(new Step("say", "test.echo", Map.of(), true)),
        List.of(), List.of(), List.of(), false);
    Procedure procedure = new Procedure("engine-test", "Engine test", null, null, null, List.of(), PROCEDURE.phases(),
        List.of(say, BRING_BACK));
    when(catalogue.procedure("engine-test")).thenReturn(procedure);
    String id = tx.execute(s -> {
      Plan plan = new Plan(plans.nextId(), "engine-test", "A plan", 1, "a".repeat(64), "b".repeat(64), Map.of(),
          Map.of(), "op1", T0, "op1", T0);
      plans.insert(plan, java.util.Set.of());
      Run run = Run.request(runs.nextId(), plan, "op1", List.of(new Run.PhaseLayout("one", List.of("a")),
          new Run.PhaseLayout("two", List.of("c"))), T0);
      runs.insert(run);
      Run moving = runs.run(run.id()).orElseThrow();
      moving.awaitFirstApproval(T0);
      runs.save(moving);
      return run.id();
    });
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(engine.executeAction(any(), any(), any(), any())).thenAnswer(i -> {
      running.countDown();
      release.await(20, TimeUnit.SECONDS);
      return new RunEngine.ActionOutcome("said it", null);
    });
    Runs useCases = new Runs(runs, new RunMoves(runs, e -> { }, tx), catalogue, engine, null, e -> { },
        Clock.fixed(T0, ZoneOffset.UTC), new Refusals(e -> { }, tx.getTransactionManager()), mock(PhasePreviews.class),
        new io.lockstep.system.SecretMasker());
    CompletableFuture<RunActions.ActionResult> action =
        CompletableFuture.supplyAsync(() -> actions.run(OP2, id, "say"));
    assertThat(running.await(10, TimeUnit.SECONDS)).as(() -> action.isDone() ? String.valueOf(
        org.assertj.core.api.Assertions.catchThrowable(action::join)) : "still running").isTrue();

    Throwable pause = org.assertj.core.api.Assertions.catchThrowable(
        () -> useCases.pause(Actor.of("op1", Role.OPERATOR), id));
    Run meanwhile = runs.run(id).orElseThrow();
    release.countDown();
    assertThat(action.get(20, TimeUnit.SECONDS).summary()).isEqualTo("said it");
    assertThat(meanwhile.actionId()).isEqualTo("say");
    assertThat(meanwhile.state()).as("the run while action say ran (pause answered: %s)",
        pause == null ? "ok" : pause.getMessage()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(pause).isInstanceOf(RunException.Conflict.class);
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version):
  // "one active run per plan" and "only one action at a time / the run does not move while one runs". An abort
  // while a way back runs makes the run final at once (Run.abort has no requireNoAction, Run.java:492), which clears
  // run.active_plan (RunStore.save, RunStore.java:130), so a new run of the same plan can be requested and started
  // while the old run's action is still starting or stopping things on the same platform; and the abort does not
  // stop the action (Runs.abort → RunEngine.cancelStep(runId) looks up runningSteps[runId], but the action's task is
  // registered under runId + "/actions", RunEngine.java executeAction).
  @Test
  void anAbortWhileAWayBackRunsDoesNotFreeThePlanForANewRun() throws Exception {
    Action say = new Action("say", "Say", null, null, null, List.of(new Step("say", "test.echo", Map.of(), true)),
        List.of(), List.of(), List.of(), false);
    when(catalogue.procedure("engine-test")).thenReturn(new Procedure("engine-test", "Engine test", null, null, null,
        List.of(), PROCEDURE.phases(), List.of(say, BRING_BACK)));
    Plan plan = tx.execute(s -> {
      Plan p = new Plan(plans.nextId(), "engine-test", "A plan", 1, "a".repeat(64), "b".repeat(64), Map.of(),
          Map.of(), "op1", T0, "op1", T0);
      plans.insert(p, java.util.Set.of());
      return p;
    });
    String id = tx.execute(s -> {
      Run run = Run.request(runs.nextId(), plan, "op1", List.of(new Run.PhaseLayout("one", List.of("a")),
          new Run.PhaseLayout("two", List.of("c"))), T0);
      runs.insert(run);
      Run moving = runs.run(run.id()).orElseThrow();
      moving.awaitFirstApproval(T0);
      runs.save(moving);
      return run.id();
    });
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    when(engine.executeAction(any(), any(), any(), any())).thenAnswer(i -> {
      running.countDown();
      release.await(20, TimeUnit.SECONDS);
      return new RunEngine.ActionOutcome("said it", null);
    });
    Runs useCases = new Runs(runs, new RunMoves(runs, e -> { }, tx), catalogue, engine, null, e -> { },
        Clock.fixed(T0, ZoneOffset.UTC), new Refusals(e -> { }, tx.getTransactionManager()), mock(PhasePreviews.class),
        new io.lockstep.system.SecretMasker());
    CompletableFuture<RunActions.ActionResult> action =
        CompletableFuture.supplyAsync(() -> actions.run(OP2, id, "say"));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    Throwable abort = org.assertj.core.api.Assertions.catchThrowable(
        () -> useCases.abort(Actor.of("op1", Role.OPERATOR), id, "enough"));
    Throwable second = org.assertj.core.api.Assertions.catchThrowable(() -> tx.executeWithoutResult(s -> runs.insert(
        Run.request(runs.nextId(), plan, "op2", List.of(new Run.PhaseLayout("one", List.of("a"))), T0))));
    List<ActionRecord> meanwhile = runs.actionAttempts(id);
    release.countDown();
    action.get(20, TimeUnit.SECONDS);

    assertThat(meanwhile).singleElement().satisfies(a -> assertThat(a.state()).isEqualTo("RUNNING"));
    assertThat(second).as("a second run of the plan while the aborted run's way back still runs (abort: %s)",
        abort == null ? "accepted" : abort.getMessage()).isInstanceOf(RunException.Conflict.class);
  }
}
