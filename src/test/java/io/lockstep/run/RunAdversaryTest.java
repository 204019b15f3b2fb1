package io.lockstep.run;

import static io.lockstep.run.RunTest.FACTS;
import static io.lockstep.run.RunTest.T0;
import static io.lockstep.run.RunTest.T1;
import static io.lockstep.run.RunTest.V1;
import static io.lockstep.run.RunTest.approval;
import static io.lockstep.run.RunTest.fresh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Adversarial tests of the run aggregate alone (no Spring, no database): the promises of ADR 4 as a
 * tired operator or an insider would test them, move by move.
 */
class RunAdversaryTest {

  /** RunTest's fixture, with an on-demand action under way. */
  static Run withActionUnderWay(Run.Move move, Run.State state, RunStep.State stepState) {
    Run r = RunTest.fixture(move, state, stepState);
    return new Run(r.id(), r.planId(), r.procedureId(), r.requester(), r.state(), r.phaseId(), r.stepId(), r.message(),
        r.pauseRequested(), r.createdAt(), r.startedAt(), r.endedAt(), r.updatedAt(), "bring-back", r.version(),
        r.phases(), r.steps());
  }

  static Stream<Arguments> everyMoveWhileAnActionRuns() {
    List<Arguments> cases = new ArrayList<>();
    for (RunTest.Attempt attempt : RunTest.MOVES) {
      if (attempt.move() == Run.Move.END_ACTION || attempt.move() == Run.Move.ABORT) {
        continue; // END_ACTION is how the action ends; ABORT during an action is allowed on purpose (RunTest)
      }
      for (Run.State state : Run.ACTION_STATES) {
        for (RunStep.State stepState : RunTest.stepStatesFor(attempt.move())) {
          cases.add(Arguments.of(attempt.move(), state, stepState));
        }
      }
    }
    return cases.stream();
  }

  private static String where(Run run) {
    return run.state() + "|" + run.phaseId() + "|" + run.stepId() + "|" + run.pauseRequested() + "|" + run.phases()
        + "|" + run.steps();
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version): "an action is a move of the run; the run does not move meanwhile" (ADR 4, Run.startAction javadoc).
  // REQUEST_PAUSE, PAUSE and FAIL_RUN do not call requireNoAction (Run.java requestPause/pause/fail), so a
  // run AWAITING_APPROVAL with an action under way goes to PAUSED (or FAILED). REQUEST_PAUSE is reachable by any
  // operator through Runs.pause / POST /api/runs/{id}/pause while the action runs.
  @ParameterizedTest(name = "{0} from {1}, step {2}, an action under way")
  @MethodSource("everyMoveWhileAnActionRuns")
  void noMoveButTheActionsEndMovesTheRunWhileAnActionRuns(Run.Move move, Run.State state, RunStep.State stepState) {
    RunTest.Attempt attempt = RunTest.MOVES.stream().filter(a -> a.move() == move).findFirst().orElseThrow();
    Run run = withActionUnderWay(move, state, stepState);
    String before = where(run);
    Throwable thrown = catchThrowable(() -> attempt.call().apply(run));
    assertThat(where(run)).as("%s from %s/%s while action bring-back runs (refused with: %s)", move, state, stepState,
        thrown == null ? "nothing" : thrown.getMessage()).isEqualTo(before);
  }

  // BROKE (fixed: a way back holds the run still, checks never wait on their own pool, ways back and checks use the approved plan version): the same promise, the way an operator meets it: the action runs on a run waiting for approval and a
  // pause asked for meanwhile moves the run to PAUSED (Run.requestPause has no requireNoAction).
  @Test
  void aPauseAskedForWhileAnActionRunsIsRefused() {
    Run run = fresh();
    run.awaitFirstApproval(T0);
    run.startAction("say", "Say the tag", "op2", T1);
    Throwable thrown = catchThrowable(() -> run.requestPause("op1", T1));
    assertThat(run.state()).as("the run does not move while an action runs").isEqualTo(Run.State.AWAITING_APPROVAL);
    assertThat(thrown).isInstanceOf(RunException.Conflict.class).hasMessageContaining("action say is under way");
  }

  // HOLDS (regression): a double-click on a checkpoint's confirmation: the second one is refused and changes
  // nothing; a confirmation after an abort is refused too.
  @Test
  void aCheckpointIsConfirmedOnceAndNotAfterAnAbort() {
    Run run = fresh();
    run.awaitFirstApproval(T0);
    run.startPhase(V1, approval("one", V1), "One", T0);
    run.startStep("one.a", 1, 1, FACTS, T0);
    run.succeedStep("one.a", "ok", "a", T0);
    run.awaitConfirmation("one.b", "look", List.of("x"), T0);
    run.confirm("one.b", "op2", 1, T1);
    String after = where(run);
    assertThatThrownBy(() -> run.confirm("one.b", "op1", 1, T1)).isInstanceOf(RunException.Conflict.class);
    assertThat(where(run)).isEqualTo(after);
    assertThat(run.step("one.b").orElseThrow().summary()).isEqualTo("confirmed by op2 (1 items checked)");

    Run aborted = fresh();
    aborted.awaitFirstApproval(T0);
    aborted.startPhase(V1, approval("one", V1), "One", T0);
    aborted.startStep("one.a", 1, 1, FACTS, T0);
    aborted.succeedStep("one.a", "ok", "a", T0);
    aborted.awaitConfirmation("one.b", "look", List.of("x"), T0);
    aborted.abort("op1", "enough", T1);
    assertThatThrownBy(() -> aborted.confirm("one.b", "op2", 1, T1)).isInstanceOf(RunException.Conflict.class);
    assertThat(aborted.step("one.b").orElseThrow().state()).isEqualTo(RunStep.State.ABORTED);
  }

  // HOLDS (regression): a refused move leaves nothing for the store to write, so a save after it is a no-op
  // (RunStore.save returns early) and cannot bump the version or write half a move.
  @Test
  void aRefusedMoveLeavesNothingToSave() {
    Run run = fresh();
    run.awaitFirstApproval(T0);
    Run stored = new Run(run.id(), run.planId(), run.procedureId(), run.requester(), run.state(), run.phaseId(),
        run.stepId(), run.message(), false, T0, null, null, T0, null, 4, run.phases(), run.steps());
    assertThatThrownBy(() -> stored.startStep("one.a", 1, 1, FACTS, T1)).isInstanceOf(RunException.Conflict.class);
    assertThatThrownBy(() -> stored.confirm("one.a", "op2", 0, T1)).isInstanceOf(RunException.Conflict.class);
    assertThatThrownBy(() -> stored.endAction("say", "op2", "", null, T1)).isInstanceOf(RunException.Conflict.class);
    assertThat(stored.rowChanged()).isFalse();
    assertThat(stored.changedPhases()).isEmpty();
    assertThat(stored.changedSteps()).isEmpty();
    assertThat(stored.actionStarted()).isNull();
    assertThat(stored.actionEnded()).isNull();
  }
}
