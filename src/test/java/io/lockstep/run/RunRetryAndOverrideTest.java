package io.lockstep.run;

import static io.lockstep.run.RunTest.FACTS;
import static io.lockstep.run.RunTest.T0;
import static io.lockstep.run.RunTest.T1;
import static io.lockstep.run.RunTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The run aggregate alone on the two things issue 13 added: a step waits between its attempts in
 * the run (not in a thread), and a failed guard is skipped only with two signatures.
 */
class RunRetryAndOverrideTest {

  static final Instant NEXT = T1.plusSeconds(2);

  private static Run waitingForAttemptTwo() {
    Run run = fixture(Run.Move.START_STEP, Run.State.RUNNING, RunStep.State.PENDING);
    assertThat(run.startStep("one.a", 1, 1, FACTS, T0).attempt()).isEqualTo(1);
    RunEvent.StepAttemptFailed failed = run.failAttempt("one.a", 1, 3, "unhealthy", "a", T1, NEXT);
    assertThat(failed.nextAttemptAt()).isEqualTo(NEXT);
    assertThat(failed.waitMs()).isEqualTo(2000);
    assertThat(failed.summary()).contains("attempt 1 of 3 failed: unhealthy").contains("attempt 2 starts at " + NEXT);
    assertThat(failed.logLine().text()).contains("attempt 2 in 2s");
    return run;
  }

  @Test
  void aFailedAttemptWaitsInTheRunUntilItsNextAttemptIsDue() {
    Run run = waitingForAttemptTwo();
    RunStep waiting = run.step("one.a").orElseThrow();
    assertThat(waiting.state()).isEqualTo(RunStep.State.PENDING);
    assertThat(waiting.waitingForNextAttempt()).isTrue();
    assertThat(waiting.attempt()).isEqualTo(1);
    assertThat(waiting.seriesStartedAt()).isEqualTo(T0);
    assertThat(run.stepUnderWay()).as("nothing runs while it waits").isEmpty();

    assertThatThrownBy(() -> run.startStep("one.a", 1, 2, FACTS, NEXT.minusMillis(1)))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("next attempt starts at " + NEXT);
    RunEvent.StepStarted second = run.startStep("one.a", 1, 2, FACTS, NEXT);
    assertThat(second.attempt()).isEqualTo(2);
    RunStep running = run.step("one.a").orElseThrow();
    assertThat(running.attempt()).isEqualTo(2);
    assertThat(running.attempts()).isEqualTo(2);
    assertThat(running.seriesStartedAt()).as("the bound counts from the first attempt").isEqualTo(T0);
    assertThat(running.nextAttemptAt()).isNull();
  }

  @Test
  void theNextAttemptCannotBeBeforeTheFailure() {
    Run run = fixture(Run.Move.START_STEP, Run.State.RUNNING, RunStep.State.PENDING);
    run.startStep("one.a", 1, 1, FACTS, T0);
    assertThatThrownBy(() -> run.failAttempt("one.a", 1, 3, "x", "a", T1, T1.minusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAbortDuringTheWaitEndsTheStepForGood() {
    Run run = waitingForAttemptTwo();
    run.abort("op2", "enough", T1.plusSeconds(1));
    RunStep aborted = run.step("one.a").orElseThrow();
    assertThat(aborted.state()).isEqualTo(RunStep.State.ABORTED);
    assertThat(aborted.summary()).contains("aborted by op2 while it waited for attempt 2");
    assertThat(aborted.nextAttemptAt()).isNull();
    assertThatThrownBy(() -> run.startStep("one.a", 1, 2, FACTS, NEXT)).isInstanceOf(RunException.Conflict.class);
  }

  @Test
  void aPauseDuringTheWaitEndsItAndTheStepStartsANewSeriesAfterTheResume() {
    Run run = waitingForAttemptTwo();
    run.requestPause("op1", T1);
    run.pause("paused before step one.a", T1.plusMillis(10));
    RunStep paused = run.step("one.a").orElseThrow();
    assertThat(paused.state()).isEqualTo(RunStep.State.PENDING);
    assertThat(paused.waitingForNextAttempt()).isFalse();
    run.resume("op1", T1.plusSeconds(1));
    RunEvent.StepStarted again = run.startStep("one.a", 1, 1, FACTS, T1.plusSeconds(1));
    assertThat(again.attempt()).isEqualTo(1);
    assertThat(run.step("one.a").orElseThrow().seriesStartedAt()).isEqualTo(T1.plusSeconds(1));
  }

  @Test
  void aPlanChangeDuringTheWaitEndsItToo() {
    Run run = waitingForAttemptTwo();
    run.holdForApproval(RunTest.V2, T1.plusMillis(10));
    assertThat(run.step("one.a").orElseThrow().waitingForNextAttempt()).isFalse();
  }

  @Test
  void theEngineFailingTheRunFailsAWaitingStep() {
    Run run = waitingForAttemptTwo();
    run.fail("procedure gone", T1.plusMillis(10));
    assertThat(run.step("one.a").orElseThrow().state()).isEqualTo(RunStep.State.FAILED);
  }

  private static Run failedGuard() {
    return fixture(Run.Move.SKIP_STEP, Run.State.FAILED, RunStep.State.FAILED);
  }

  @Test
  void aGuardIsSkippedOnlyWhenASecondOtherApproverSigns() {
    Run run = failedGuard();
    RunEvent.GuardOverrideSigned signed = run.signOverride("one.a", "ap1", "quorum checked by hand", T1);
    assertThat(signed.summary()).isEqualTo("override of one.a signed by ap1 (quorum checked by hand); a second"
        + " approver must sign");
    assertThat(signed.auditType()).isEqualTo("GUARD_OVERRIDE_SIGNED");
    RunStep step = run.step("one.a").orElseThrow();
    assertThat(step.state()).as("one signature skips nothing").isEqualTo(RunStep.State.FAILED);
    assertThat(run.state()).isEqualTo(Run.State.FAILED);
    assertThat(step.overrideBy()).isEqualTo("ap1");

    assertThatThrownBy(() -> run.signOverride("one.a", "ap1", "again", T1)).isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("ap1 already signed");
    assertThatThrownBy(() -> run.overrideGuard("one.a", "ap1", "me twice", T1))
        .isInstanceOf(RunException.Conflict.class).hasMessageContaining("a second approver must sign");
    assertThatThrownBy(() -> run.signOverride("one.a", "ap2", "first?", T1)).isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("already signed by ap1");
    assertThat(run.step("one.a").orElseThrow().state()).isEqualTo(RunStep.State.FAILED);

    RunEvent.GuardOverridden done = run.overrideGuard("one.a", "ap2", "agreed", T1.plusSeconds(1));
    assertThat(done.auditType()).isEqualTo("GUARD_OVERRIDDEN");
    RunStep skipped = run.step("one.a").orElseThrow();
    assertThat(skipped.state()).isEqualTo(RunStep.State.SKIPPED);
    assertThat(skipped.summary()).isEqualTo("guard overridden by ap1 (quorum checked by hand) and ap2 (agreed)");
    assertThat(run.state()).isEqualTo(Run.State.RUNNING);
  }

  @Test
  void theSecondSignatureNeedsAFirst() {
    Run run = failedGuard();
    assertThatThrownBy(() -> run.overrideGuard("one.a", "ap2", "alone", T1)).isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("nobody signed");
  }

  @Test
  void aRetryOrAnAbortClearsASignature() {
    Run retried = failedGuard();
    retried.signOverride("one.a", "ap1", "ok", T1);
    retried.retry("one.a", "op2", T1);
    assertThat(retried.step("one.a").orElseThrow().overrideBy()).isNull();

    Run aborted = failedGuard();
    aborted.signOverride("one.a", "ap1", "ok", T1);
    aborted.abort("op2", null, T1);
    assertThat(aborted.step("one.a").orElseThrow().overrideBy()).isNull();
  }

  @Test
  void aSignatureIsRefusedWhereASkipIs() {
    Run running = fixture(Run.Move.SKIP_STEP, Run.State.RUNNING, RunStep.State.RUNNING);
    assertThatThrownBy(() -> running.signOverride("one.a", "ap1", "ok", T1)).isInstanceOf(RunException.Conflict.class);
    Run atAnother = failedGuard();
    assertThatThrownBy(() -> atAnother.signOverride("one.b", "ap1", "ok", T1)).isInstanceOf(RunException.Conflict.class);
  }
}
