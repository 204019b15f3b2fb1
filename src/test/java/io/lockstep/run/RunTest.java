package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run aggregate alone: no Spring, no database, no lab. Every move is tried from every run
 * state (and, for a move of a step, every step state): it must succeed exactly where the
 * transition table allows it and be refused, naming the state, everywhere else, changing nothing.
 */
class RunTest {

  static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
  static final Instant T1 = T0.plusSeconds(5);
  static final Plan V1 = plan(1, "1");
  static final Plan V2 = plan(2, "2");
  static final Run.StepFacts FACTS = new Run.StepFacts("a", "test.echo", 2, true, "PT1M");

  static Plan plan(int version, String hashChar) {
    return new Plan("plan-1", "engine-test", "A plan", version, hashChar.repeat(64), "p".repeat(64), Map.of(),
        Map.of(), "op1", T0, "op1", T0);
  }

  static Approval approval(String phase, Plan plan) {
    return new Approval(1, "run-1", phase, plan.hash(), Approval.Decision.APPROVED, "ap1", "", T0, null, null);
  }

  /** One move as a test calls it. */
  record Attempt(Run.Move move, Function<Run, RunEvent> call) {}

  /**
   * Each move, called as its callers call it; the fixture ({@link #fixture}) gives it everything it
   * needs besides the states, so a refusal can come only from the states.
   */
  static final List<Attempt> MOVES = List.of(
      new Attempt(Run.Move.AWAIT_FIRST_APPROVAL, r -> r.awaitFirstApproval(T1)),
      new Attempt(Run.Move.START_PHASE, r -> r.startPhase(V1, approval("one", V1), "One", T1)),
      new Attempt(Run.Move.HOLD_FOR_APPROVAL, r -> r.holdForApproval(V2, T1)),
      new Attempt(Run.Move.CONTINUE_PHASE, r -> r.continuePhase(V2, approval("one", V2), T1)),
      new Attempt(Run.Move.START_STEP, r -> r.startStep("one.a", 1, 1, FACTS, T1)),
      new Attempt(Run.Move.RETRY_ATTEMPT, r -> r.failAttempt("one.a", 1, "boom", "a", T1)),
      new Attempt(Run.Move.AWAIT_CONFIRMATION, r -> r.awaitConfirmation("one.a", "look", List.of("it"), T1)),
      new Attempt(Run.Move.CONFIRM_STEP, r -> r.confirm("one.a", "op2", 1, T1)),
      new Attempt(Run.Move.SUCCEED_STEP, r -> r.succeedStep("one.a", "ok", "a", T1)),
      new Attempt(Run.Move.FAIL_STEP, r -> r.failStep("one.a", "boom", "a", T1)),
      new Attempt(Run.Move.PASS_OVER_STEP, r -> r.passOver("one.a", "${params.x}", T1)),
      new Attempt(Run.Move.END_PHASE, r -> r.endPhase(T1)),
      new Attempt(Run.Move.RESUME_STEP, r -> r.resumeAfterRestart("one.a", T1)),
      new Attempt(Run.Move.INTERRUPT_STEP, r -> r.interruptedByRestart("one.a", T1)),
      new Attempt(Run.Move.REQUEST_PAUSE, r -> r.requestPause("op1", T1)),
      new Attempt(Run.Move.PAUSE, r -> r.pause("paused before step one.b", T1)),
      new Attempt(Run.Move.RESUME, r -> r.resume("op1", T1)),
      new Attempt(Run.Move.RETRY_STEP, r -> r.retry("one.a", "op1", T1)),
      new Attempt(Run.Move.SKIP_STEP, r -> r.skip("one.a", "ap1", "done by hand", T1)),
      new Attempt(Run.Move.ABORT, r -> r.abort("op1", "no", T1)),
      new Attempt(Run.Move.FAIL_RUN, r -> r.fail("procedure gone", T1)),
      new Attempt(Run.Move.SWITCH_PHASES, r -> r.switchPhases(java.util.Set.of("two"), p -> "${params.x}", "op1", T1)
          .get(0)),
      new Attempt(Run.Move.START_ACTION, r -> r.startAction("bring-back", "Bring back", "op2", T1)),
      new Attempt(Run.Move.END_ACTION, r -> r.endAction("bring-back", "op2", "done", null, T1)));

  /**
   * A run of two phases (one: steps a, b; two: step c) in {@code state}, at phase one, with step
   * one.a in {@code stepState} and the rest laid out the way {@code move} needs it.
   */
  static Run fixture(Run.Move move, Run.State state, RunStep.State stepState) {
    boolean phaseStarted = move != Run.Move.AWAIT_FIRST_APPROVAL && move != Run.Move.START_PHASE;
    RunPhase one = new RunPhase("run-1", "one", 0, phaseStarted ? RunPhase.State.RUNNING : RunPhase.State.PENDING,
        "op1", phaseStarted ? 1 : null, phaseStarted ? V1.hash() : null, phaseStarted ? T0 : null, null);
    RunPhase two = new RunPhase("run-1", "two", 1, RunPhase.State.PENDING, "op1", null, null, null, null);
    RunStep.State b = move == Run.Move.END_PHASE ? RunStep.State.SUCCEEDED : RunStep.State.PENDING;
    List<RunStep> steps = List.of(
        step("one", "a", 0, stepState, move == Run.Move.CONFIRM_STEP ? List.of("it") : List.of()),
        step("one", "b", 1, b, List.of()),
        step("two", "c", 2, RunStep.State.PENDING, List.of()));
    boolean pauseAsked = move == Run.Move.PAUSE || move == Run.Move.RESUME && state == Run.State.RUNNING;
    String stepId = move == Run.Move.RETRY_STEP || move == Run.Move.SKIP_STEP ? "a" : null;
    String phaseId = state == Run.State.CREATED && move == Run.Move.AWAIT_FIRST_APPROVAL ? null : "one";
    String action = move == Run.Move.END_ACTION ? "bring-back" : null;
    return new Run("run-1", "plan-1", "engine-test", "op1", state, phaseId, stepId, null, pauseAsked, T0,
        phaseStarted ? T0 : null, null, T0, action, 3, List.of(one, two), steps);
  }

  static RunStep step(String phase, String id, int ordinal, RunStep.State state, List<String> checklist) {
    boolean begun = state != RunStep.State.PENDING;
    return new RunStep("run-1", phase, id, ordinal, state, begun ? 1 : 0, begun ? T0 : null, null, null,
        begun ? "node-1: systemctl stop docker" : null, begun ? "node-1=0" : null, checklist);
  }

  /** The step states a move is tried from: every one for a move of a step, the quiet fixture's otherwise. */
  static List<RunStep.State> stepStatesFor(Run.Move move) {
    if (!move.stepFrom.isEmpty()) {
      return List.of(RunStep.State.values());
    }
    return List.of(move == Run.Move.END_PHASE ? RunStep.State.SUCCEEDED : RunStep.State.PENDING);
  }

  static Stream<Arguments> everyMoveFromEveryState() {
    List<Arguments> cases = new ArrayList<>();
    for (Attempt attempt : MOVES) {
      for (Run.State state : Run.State.values()) {
        for (RunStep.State stepState : stepStatesFor(attempt.move())) {
          cases.add(Arguments.of(attempt.move(), state, stepState));
        }
      }
    }
    return cases.stream();
  }

  /** The transition table as the design says it, written out independently of the code's. */
  static final Map<Run.Move, String> EXPECTED = Map.ofEntries(
      Map.entry(Run.Move.AWAIT_FIRST_APPROVAL, "CREATED"),
      Map.entry(Run.Move.START_PHASE, "AWAITING_APPROVAL"),
      Map.entry(Run.Move.HOLD_FOR_APPROVAL, "RUNNING"),
      Map.entry(Run.Move.CONTINUE_PHASE, "AWAITING_APPROVAL RUNNING"),
      Map.entry(Run.Move.START_STEP, "RUNNING / PENDING"),
      Map.entry(Run.Move.RETRY_ATTEMPT, "RUNNING / RUNNING"),
      Map.entry(Run.Move.AWAIT_CONFIRMATION, "RUNNING / PENDING"),
      Map.entry(Run.Move.CONFIRM_STEP, "RUNNING / WAITING"),
      Map.entry(Run.Move.SUCCEED_STEP, "RUNNING / RUNNING"),
      Map.entry(Run.Move.FAIL_STEP, "RUNNING / PENDING RUNNING WAITING"),
      Map.entry(Run.Move.PASS_OVER_STEP, "RUNNING / PENDING"),
      Map.entry(Run.Move.END_PHASE, "RUNNING"),
      Map.entry(Run.Move.RESUME_STEP, "RUNNING / RUNNING"),
      Map.entry(Run.Move.INTERRUPT_STEP, "RUNNING / RUNNING"),
      Map.entry(Run.Move.REQUEST_PAUSE, "AWAITING_APPROVAL CREATED RUNNING"),
      Map.entry(Run.Move.PAUSE, "AWAITING_APPROVAL RUNNING"),
      Map.entry(Run.Move.RESUME, "PAUSED RUNNING"),
      Map.entry(Run.Move.RETRY_STEP, "FAILED NEEDS_DECISION / FAILED INTERRUPTED"),
      Map.entry(Run.Move.SKIP_STEP, "FAILED NEEDS_DECISION / FAILED INTERRUPTED"),
      Map.entry(Run.Move.ABORT, "AWAITING_APPROVAL CREATED FAILED NEEDS_DECISION PAUSED RUNNING"),
      Map.entry(Run.Move.FAIL_RUN, "AWAITING_APPROVAL CREATED RUNNING"),
      Map.entry(Run.Move.SWITCH_PHASES, "AWAITING_APPROVAL CREATED FAILED NEEDS_DECISION PAUSED RUNNING"),
      Map.entry(Run.Move.START_ACTION, "ABORTED AWAITING_APPROVAL FAILED NEEDS_DECISION PAUSED"),
      Map.entry(Run.Move.END_ACTION, "ABORTED AWAITING_APPROVAL FAILED NEEDS_DECISION PAUSED"));

  @Test
  void theTableIsTheOneDesigned() {
    for (Run.Move move : Run.Move.values()) {
      String runs = move.from.stream().map(Enum::name).sorted().collect(java.util.stream.Collectors.joining(" "));
      String steps = move.stepFrom.stream().map(Enum::name).sorted().collect(java.util.stream.Collectors.joining(" "));
      assertThat(runs + (steps.isEmpty() ? "" : " / " + steps)).as(move.name()).isEqualTo(EXPECTED.get(move));
    }
  }

  @Test
  void everyMoveIsTried() {
    assertThat(MOVES).extracting(Attempt::move).containsExactlyInAnyOrder(Run.Move.values());
  }

  @ParameterizedTest(name = "{0} from {1}, step {2}")
  @MethodSource("everyMoveFromEveryState")
  void aMoveSucceedsExactlyWhereTheTableAllowsIt(Run.Move move, Run.State state, RunStep.State stepState) {
    Attempt attempt = MOVES.stream().filter(a -> a.move() == move).findFirst().orElseThrow();
    Run run = fixture(move, state, stepState);
    String before = snapshot(run);
    boolean allowed = move.allows(state, move.stepFrom.isEmpty() ? null : stepState)
        && !(move == Run.Move.RESUME && state == Run.State.RUNNING && !run.pauseRequested());
    Throwable thrown = catchThrowable(() -> attempt.call().apply(run));
    if (allowed) {
      assertThat(thrown).as("%s from %s / %s", move, state, stepState).isNull();
      assertThat(run.rowChanged() || !run.changedSteps().isEmpty()).isTrue();
    } else {
      assertThat(thrown).as("%s from %s / %s", move, state, stepState).isInstanceOf(RunException.Conflict.class);
      assertThat(thrown.getMessage()).startsWith("cannot " + move.verb + " of run-1: ")
          .containsAnyOf(state.name(), stepState.name());
      assertThat(snapshot(run)).as("a refused move changes nothing").isEqualTo(before);
      assertThat(run.rowChanged()).isFalse();
    }
  }

  private static String snapshot(Run run) {
    return run.state() + "|" + run.phaseId() + "|" + run.stepId() + "|" + run.message() + "|" + run.pauseRequested()
        + "|" + run.phases() + "|" + run.steps();
  }

  // ---- a whole run, move by move, with the events it returns

  static Run fresh() {
    return Run.request("run-1", V1, "op1", List.of(new Run.PhaseLayout("one", List.of("a", "b")),
        new Run.PhaseLayout("two", List.of("c"))), T0);
  }

  @Test
  void aRunGoesFromRequestToSuccessThroughItsMovesAndSaysSoInItsEvents() {
    Run run = fresh();
    assertThat(run.state()).isEqualTo(Run.State.CREATED);
    assertThat(run.awaitFirstApproval(T0)).isEqualTo(new RunEvent.PhaseAwaitingApproval("run-1", "one"));
    RunEvent.PhaseStarted started = run.startPhase(V1, approval("one", V1), "One", T1);
    assertThat(started.approvedBy()).isEqualTo("ap1");
    assertThat(run.phase("one").orElseThrow().planHash()).isEqualTo(V1.hash());
    assertThat(run.startedAt()).isEqualTo(T1);

    RunEvent.StepStarted step = run.startStep("one.a", 1, 1, FACTS, T1);
    assertThat(step.logLine().text()).isEqualTo("▶ a (test.echo, attempt 1 of 2)");
    assertThat(run.factsCleared("one.a")).as("a new attempt forgets the last one's action and exits").isTrue();
    RunEvent.StepAttemptFailed failed = run.failAttempt("one.a", 1, "boom", "a", T1);
    assertThat(failed.auditType()).isEqualTo("STEP_ATTEMPT_FAILED");
    assertThat(run.step("one.a").orElseThrow().state()).isEqualTo(RunStep.State.PENDING);
    run.startStep("one.a", 1, 2, FACTS, T1);
    assertThat(run.step("one.a").orElseThrow().attempts()).isEqualTo(2);
    RunEvent.StepSucceeded ok = run.succeedStep("one.a", "said it", "a", T1.plusMillis(250));
    assertThat(ok.durationMs()).isEqualTo(250);

    RunEvent.StepAwaitingConfirmation waiting = run.awaitConfirmation("one.b", "look", List.of("x", "y"), T1);
    assertThat(waiting.checklist()).containsExactly("x", "y");
    assertThatThrownBy(() -> run.confirm("one.b", "op2", 1, T1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 of 2 ticked");
    assertThat(run.confirm("one.b", "op2", 2, T1).actor()).isEqualTo("op2");
    assertThat(run.step("one.b").orElseThrow().summary()).isEqualTo("confirmed by op2 (2 items checked)");

    assertThat(run.endPhase(T1)).isEqualTo(new RunEvent.PhaseSucceeded("run-1", "one"));
    assertThat(run.state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(run.phaseId()).isEqualTo("two");
    run.startPhase(V1, approval("two", V1), "Two", T1);
    run.startStep("two.c", 1, 1, FACTS, T1);
    run.succeedStep("two.c", "ok", "c", T1);
    assertThat(run.endPhase(T1)).isInstanceOf(RunEvent.RunSucceeded.class);
    assertThat(run.state()).isEqualTo(Run.State.SUCCEEDED);
    assertThat(run.endedAt()).isEqualTo(T1);
    assertThatThrownBy(() -> run.abort("op1", null, T1)).isInstanceOf(RunException.Conflict.class)
        .hasMessage("cannot abort of run-1: run-1 is SUCCEEDED");
  }

  @Test
  void aStepStartsOnlyInOrderWithTheApprovedVersionAndNotWhenAPauseWasAskedFor() {
    Run run = fresh();
    run.awaitFirstApproval(T0);
    assertThatThrownBy(() -> run.startPhase(V1, approval("one", V2), "One", T1))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("not approved for plan version 1");
    assertThatThrownBy(() -> run.startPhase(V1, approval("two", V1), "One", T1))
        .isInstanceOf(RunException.Conflict.class);
    run.startPhase(V1, approval("one", V1), "One", T1);
    assertThatThrownBy(() -> run.startStep("one.b", 1, 1, FACTS, T1)).hasMessageContaining("one.a comes first");
    assertThatThrownBy(() -> run.startStep("two.c", 1, 1, FACTS, T1)).hasMessageContaining("not in phase one");
    assertThatThrownBy(() -> run.startStep("one.a", 2, 1, FACTS, T1))
        .hasMessageContaining("runs with plan version 1, not 2");
    run.requestPause("op1", T1);
    assertThatThrownBy(() -> run.startStep("one.a", 1, 1, FACTS, T1)).hasMessageContaining("a pause was asked for");
    assertThat(run.pause("paused before step one.a", T1).why()).isEqualTo("paused before step one.a");
    assertThat(run.resume("op1", T1)).isNotNull();
    assertThat(run.state()).as("inside its phase").isEqualTo(Run.State.RUNNING);
    run.startStep("one.a", 1, 1, FACTS, T1);
    assertThatThrownBy(() -> run.startStep("one.b", 1, 1, FACTS, T1)).hasMessageContaining("one.a is RUNNING");
    assertThatThrownBy(() -> run.pause("x", T1)).isInstanceOf(RunException.Conflict.class);
  }

  @Test
  void anAbortThatCommitsFirstMakesTheStepStartRefuseAndOneAfterEndsTheStepUnderWay() {
    Run before = fresh();
    before.awaitFirstApproval(T0);
    before.startPhase(V1, approval("one", V1), "One", T0);
    before.abort("op2", "wrong night", T1);
    assertThatThrownBy(() -> before.startStep("one.a", 1, 1, FACTS, T1)).isInstanceOf(RunException.Conflict.class)
        .hasMessage("cannot start a step of run-1: run-1 is ABORTED");

    Run after = fresh();
    after.awaitFirstApproval(T0);
    after.startPhase(V1, approval("one", V1), "One", T0);
    after.startStep("one.a", 1, 1, FACTS, T0);
    RunEvent.RunAborted aborted = after.abort("op2", "wrong night", T1);
    assertThat(aborted.step()).isEqualTo("one.a");
    assertThat(aborted.previousState()).isEqualTo("RUNNING");
    assertThat(after.step("one.a").orElseThrow().state()).isEqualTo(RunStep.State.ABORTED);
    assertThat(after.phase("one").orElseThrow().state()).isEqualTo(RunPhase.State.ABORTED);
    assertThatThrownBy(() -> after.succeedStep("one.a", "done anyway", "a", T1))
        .as("the step's late end cannot undo the abort").isInstanceOf(RunException.Conflict.class);
  }

  @Test
  void aPlanCorrectedWhileTheRunStandsInAPhaseHoldsTheRestOfItForApprovalOfTheNewVersion() {
    Run run = fresh();
    run.awaitFirstApproval(T0);
    run.startPhase(V1, approval("one", V1), "One", T0);
    run.startStep("one.a", 1, 1, FACTS, T0);
    run.failStep("one.a", "the root password was refused", "a", T1);
    assertThat(run.state()).isEqualTo(Run.State.FAILED);
    assertThat(run.message()).isEqualTo("Step one.a failed: the root password was refused");
    run.retry("one.a", "op1", T1);
    assertThatThrownBy(() -> run.startStep("one.a", 2, 1, FACTS, T1)).hasMessageContaining("plan version 1, not 2");
    RunEvent.PhaseHeldForApproval held = run.holdForApproval(V2, T1);
    assertThat(held.runningVersion()).isEqualTo(1);
    assertThat(run.state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(run.phase("one").orElseThrow().state()).as("still under way").isEqualTo(RunPhase.State.RUNNING);
    assertThatThrownBy(() -> run.continuePhase(V2, approval("one", V1), T1)).isInstanceOf(RunException.Conflict.class);
    RunEvent.PhaseContinued continued = run.continuePhase(V2, approval("one", V2), T1);
    assertThat(continued.previousVersion()).isEqualTo(1);
    assertThat(continued.planVersion()).isEqualTo(2);
    run.startStep("one.a", 2, 1, FACTS, T1);
    assertThat(run.step("one.a").orElseThrow().attempts()).isEqualTo(2);
  }

  @Test
  void anActionHoldsTheRunWhileItRunsAndEndsAsItWent() {
    Run run = fresh();
    run.awaitFirstApproval(T0);
    run.startPhase(V1, approval("one", V1), "One", T0);
    run.startStep("one.a", 1, 1, FACTS, T0);
    run.failStep("one.a", "boom", "a", T1);
    RunEvent.ActionStarted started = run.startAction("bring-back", "Bring back", "op2", T1);
    assertThat(started.runState()).isEqualTo("FAILED");
    assertThat(run.actionStarted().actor()).isEqualTo("op2");
    assertThatThrownBy(() -> run.retry("one.a", "op1", T1)).hasMessageContaining("action bring-back is under way");
    assertThatThrownBy(() -> run.startAction("other", "Other", "op2", T1)).hasMessageContaining("under way");
    assertThatThrownBy(() -> run.abort("op1", "stop", T1)).as("the run stands still while its way back runs")
        .hasMessageContaining("action bring-back is under way");
    assertThat(run.endAction("bring-back", "op2", "", "exit 1", T1)).isInstanceOf(RunEvent.ActionFailed.class);
    assertThat(run.actionEnded().state()).isEqualTo(Run.ActionAttempt.State.FAILED);
    assertThat(run.actionId()).isNull();
    assertThatThrownBy(() -> run.endAction("bring-back", "op2", "", null, T1)).hasMessageContaining("no action");
    run.startAction("bring-back", "Bring back", "op2", T1);
    assertThat(run.interruptAction(T1).action()).isEqualTo("bring-back");
  }

  @Test
  void aRestartResumesARepeatableStepAndStopsANonRepeatableOneNamingWhatItDid() {
    Run run = fresh();
    run.awaitFirstApproval(T0);
    run.startPhase(V1, approval("one", V1), "One", T0);
    run.startStep("one.a", 1, 1, FACTS, T0);
    Run crashed = new Run("run-1", "plan-1", "engine-test", "op1", run.state(), run.phaseId(), run.stepId(), null,
        false, T0, T0, null, T0, 7, run.phases(), run.steps().stream().map(s -> s.key().equals("one.a")
        ? new RunStep(s.runId(), s.phaseId(), s.stepId(), s.ordinal(), s.state(), s.attempts(), s.startedAt(), null,
            null, "node-2: helm3 -n resource delete kafka", "node-2=0", List.of()) : s).toList());
    RunEvent.StepInterrupted interrupted = crashed.interruptedByRestart("one.a", T1);
    assertThat(crashed.state()).isEqualTo(Run.State.NEEDS_DECISION);
    assertThat(interrupted.message()).contains("Last action: node-2: helm3 -n resource delete kafka")
        .contains("last exit status: node-2=0");
    assertThat(crashed.step("one.a").orElseThrow().state()).isEqualTo(RunStep.State.INTERRUPTED);
    assertThatThrownBy(() -> crashed.retry("one.b", "op1", T1)).isInstanceOf(RunException.Conflict.class);
    crashed.retry("one.a", "op1", T1);
    assertThat(crashed.step("one.a").orElseThrow().state()).isEqualTo(RunStep.State.PENDING);

    Run other = fresh();
    other.awaitFirstApproval(T0);
    other.startPhase(V1, approval("one", V1), "One", T0);
    other.startStep("one.a", 1, 1, FACTS, T0);
    assertThat(other.resumeAfterRestart("one.a", T1).attempts()).isEqualTo(1);
    assertThat(other.state()).isEqualTo(Run.State.RUNNING);
  }

  @Test
  void theTableCoversEveryStateAndNoMoveLeavesAFinalRun() {
    for (Run.Move move : Run.Move.values()) {
      assertThat(move.from).as(move.name()).doesNotContain(Run.State.SUCCEEDED);
      if (move != Run.Move.START_ACTION && move != Run.Move.END_ACTION) {
        assertThat(move.from).as("only a way back runs on an aborted run: " + move.name())
            .doesNotContain(Run.State.ABORTED);
      }
    }
    EnumSet<Run.State> reachable = EnumSet.noneOf(Run.State.class);
    for (Run.Move move : Run.Move.values()) {
      reachable.addAll(move.from);
    }
    assertThat(reachable).as("every state but the final ones has a way out")
        .containsAll(EnumSet.complementOf(EnumSet.of(Run.State.SUCCEEDED, Run.State.ABORTED)));
  }

  // ---- phases switched off by the plan

  /** Three phases: one, extra (switched off when {@code extraOff}), two. */
  static Run withExtra(boolean extraOff) {
    return Run.request("run-1", V1, "op1", List.of(new Run.PhaseLayout("one", List.of("a")),
        new Run.PhaseLayout("extra", List.of("x"), extraOff), new Run.PhaseLayout("two", List.of("c"))), T0);
  }

  static final Function<String, String> WHEN = p -> "${params.extra}";

  private static void runPhase(Run run, String phase, String step) {
    run.startPhase(V1, approval(phase, V1), phase, T1);
    run.startStep(phase + "." + step, 1, 1, FACTS, T1);
    run.succeedStep(phase + "." + step, "ok", step, T1);
  }

  @Test
  void aPhaseSwitchedOffByThePlanIsSkippedFromTheStartAndTheRunPassesIt() {
    Run run = withExtra(true);
    assertThat(run.phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.SKIPPED);
    assertThat(run.skippedAtRequest(WHEN)).containsExactly(
        new RunEvent.PhaseSkippedByPlan(RunEvent.SYSTEM, "run-1", "extra", "${params.extra}"));
    run.awaitFirstApproval(T0);
    runPhase(run, "one", "a");
    assertThat(run.endPhase(T1)).isEqualTo(new RunEvent.PhaseSucceeded("run-1", "one"));
    assertThat(run.state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(run.phaseId()).as("the run passes the skipped phase").isEqualTo("two");
    assertThatThrownBy(() -> run.startPhase(V1, approval("extra", V1), "extra", T1))
        .isInstanceOf(RunException.Conflict.class);
    runPhase(run, "two", "c");
    assertThat(run.endPhase(T1)).isInstanceOf(RunEvent.RunSucceeded.class);
    assertThat(run.phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.SKIPPED);
    assertThat(run.stepsOf("extra")).allSatisfy(s -> assertThat(s.state()).isEqualTo(RunStep.State.PENDING));
  }

  @Test
  void aSkippedFirstPhaseIsNotWaitedAt() {
    Run run = Run.request("run-1", V1, "op1", List.of(new Run.PhaseLayout("extra", List.of("x"), true),
        new Run.PhaseLayout("one", List.of("a"))), T0);
    assertThat(run.awaitFirstApproval(T0)).isEqualTo(new RunEvent.PhaseAwaitingApproval("run-1", "one"));
  }

  @Test
  void aPlanThatSwitchesEveryPhaseOffRunsNothing() {
    assertThatThrownBy(() -> Run.request("run-1", V1, "op1",
        List.of(new Run.PhaseLayout("extra", List.of("x"), true)), T0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every phase off");
  }

  @Test
  void aPlanEditSwitchesAPhaseAheadOnAndOffAgain() {
    Run run = withExtra(true);
    run.awaitFirstApproval(T0);
    List<RunEvent> on = run.switchPhases(java.util.Set.of(), WHEN, "op1", T1);
    assertThat(on).containsExactly(new RunEvent.PhaseSwitchedOn("op1", "run-1", "extra", "${params.extra}"));
    assertThat(run.phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.PENDING);
    assertThat(run.phaseId()).isEqualTo("one");
    assertThat(run.switchPhases(java.util.Set.of(), WHEN, "op1", T1)).as("nothing changes twice").isEmpty();
    List<RunEvent> off = run.switchPhases(java.util.Set.of("extra"), WHEN, "op2", T1);
    assertThat(off).containsExactly(new RunEvent.PhaseSkippedByPlan("op2", "run-1", "extra", "${params.extra}"));
    assertThat(run.phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.SKIPPED);
  }

  @Test
  void thePhaseTheRunWaitsAtSwitchedOffMakesItWaitAtTheNextOne() {
    Run run = withExtra(false);
    run.awaitFirstApproval(T0);
    runPhase(run, "one", "a");
    run.endPhase(T1);
    assertThat(run.phaseId()).isEqualTo("extra");
    List<RunEvent> off = run.switchPhases(java.util.Set.of("extra"), WHEN, "op1", T1);
    assertThat(off).containsExactly(new RunEvent.PhaseSkippedByPlan("op1", "run-1", "extra", "${params.extra}"),
        new RunEvent.PhaseAwaitingApproval("run-1", "two"));
    assertThat(run.state()).isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(run.phaseId()).isEqualTo("two");
    assertThat(run.message()).contains("phase two waits for approval");
    assertThat(run.switchPhases(java.util.Set.of(), WHEN, "op1", T1))
        .as("a phase the run has passed stays as it is: the run does not go back").isEmpty();
    assertThat(run.phase("extra").orElseThrow().state()).isEqualTo(RunPhase.State.SKIPPED);
    assertThat(run.phaseId()).isEqualTo("two");
  }

  @Test
  void anEditCannotSwitchOffEveryPhaseLeft() {
    Run run = withExtra(false);
    run.awaitFirstApproval(T0);
    runPhase(run, "one", "a");
    run.endPhase(T1);
    String before = snapshot(run);
    assertThatThrownBy(() -> run.switchPhases(java.util.Set.of("extra", "two"), WHEN, "op1", T1))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("every phase left");
    assertThat(snapshot(run)).isEqualTo(before);
  }
}
