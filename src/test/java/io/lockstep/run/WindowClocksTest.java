package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The maintenance-window clock: downtime by the wall clock, budgets and forecasts still to come. */
class WindowClocksTest {

  static final Instant T0 = Instant.parse("2026-11-28T22:00:00Z");
  static final Step STEP = new Step("s", "s", null, "manual", Map.of("instructions", "x"), null, 0, true, null);

  final Procedure procedure = new Procedure("p", "P", null, null, null, List.of(), List.of(
      new Phase("online", "Online", null, null, null, false, null, List.of(STEP)),
      new Phase("stop", "Stop", null, null, null, true, Duration.ofMinutes(3), List.of(STEP)),
      new Phase("copy", "Final copy", null, null, null, true, null, List.of(STEP)),
      new Phase("start", "Start", null, null, null, true, Duration.ofMinutes(10), List.of(STEP))));

  @Test
  void beforeTheDowntimeTheProjectionIsTheBudgetsAndUnforecastPhasesAreNamed() {
    WindowClock clock = WindowClocks.of(procedure, Map.of("window", Duration.ofHours(1)), List.of(
        phase("online", RunPhase.State.RUNNING, T0, null), phase("stop", RunPhase.State.PENDING, null, null),
        phase("copy", RunPhase.State.PENDING, null, null), phase("start", RunPhase.State.PENDING, null, null)),
        Map.of(), T0.plusSeconds(60), Locale.ENGLISH);

    assertThat(clock.downtimeSeconds()).isZero();
    assertThat(clock.remainingSeconds()).isEqualTo(13 * 60);
    assertThat(clock.unforecast()).containsExactly("Final copy");
    assertThat(clock.projectedOver()).isFalse();
    assertThat(clock.phases()).extracting(WindowClock.PhaseClock::id).containsExactly("stop", "copy", "start");
  }

  @Test
  void approvalWaitsBetweenDowntimePhasesCountAndAForecastWarnsBeforeTheWindowIsExceeded() {
    Instant stopStart = T0.plusSeconds(600);
    WindowClock clock = WindowClocks.of(procedure, Map.of("window", "30m"), List.of(
        phase("online", RunPhase.State.SUCCEEDED, T0, stopStart),
        phase("stop", RunPhase.State.SUCCEEDED, stopStart, stopStart.plusSeconds(120)),
        phase("copy", RunPhase.State.PENDING, null, null), phase("start", RunPhase.State.PENDING, null, null)),
        Map.of("forecast.copy.millis", 20L * 60 * 1000), stopStart.plusSeconds(300), Locale.ENGLISH);

    assertThat(clock.downtimeSeconds()).as("5 minutes since the first downtime phase started").isEqualTo(300);
    assertThat(clock.remainingSeconds()).isEqualTo(20 * 60 + 10 * 60);
    assertThat(clock.projectedOver()).isTrue();
    assertThat(clock.overBy()).isEqualTo("5m");
    assertThat(clock.phases().get(1).forecast()).isTrue();
    assertThat(clock.unforecast()).isEmpty();
  }

  @Test
  void afterTheLastDowntimePhaseTheClockStops() {
    WindowClock clock = WindowClocks.of(procedure, Map.of(), List.of(
        phase("stop", RunPhase.State.SUCCEEDED, T0, T0.plusSeconds(100)),
        phase("copy", RunPhase.State.SUCCEEDED, T0.plusSeconds(200), T0.plusSeconds(300)),
        phase("start", RunPhase.State.SUCCEEDED, T0.plusSeconds(300), T0.plusSeconds(1000))),
        Map.of(), T0.plusSeconds(5000), Locale.ENGLISH);

    assertThat(clock.downtimeSeconds()).isEqualTo(1000);
    assertThat(clock.remainingSeconds()).isZero();
    assertThat(clock.hasWindow()).isFalse();
    assertThat(clock.projectedOver()).isFalse();
  }

  @Test
  void theClockSaysWhenTheDowntimeBeganWhenTheWindowEndsAndWhenItIsExpectedToEnd() {
    Instant now = T0.plusSeconds(400);
    WindowClock clock = WindowClocks.of(procedure, Map.of("window", "30m"), List.of(
        phase("stop", RunPhase.State.SUCCEEDED, T0, T0.plusSeconds(100)),
        phase("copy", RunPhase.State.RUNNING, T0.plusSeconds(200), null),
        phase("start", RunPhase.State.PENDING, null, null)),
        Map.of("forecast.copy.millis", 100_000L), now, Locale.ENGLISH);

    assertThat(clock.startedAt()).isEqualTo(T0);
    assertThat(clock.ongoing()).as("the browser ticks it").isTrue();
    assertThat(clock.endsAt()).isEqualTo(T0.plusSeconds(1800));
    assertThat(clock.forecastEnd()).as("now plus the start phase's budget; the copy is past its forecast")
        .isEqualTo(now.plusSeconds(600));
    assertThat(clock.behind()).as("the final copy took 200s of a 100s forecast").isTrue();
    assertThat(clock.endsUtc()).isEqualTo("2026-11-28 22:30:00Z");
  }

  @Test
  void afterTheDowntimeTheClockNoLongerTicks() {
    WindowClock clock = WindowClocks.of(procedure, Map.of(), List.of(
        phase("stop", RunPhase.State.SUCCEEDED, T0, T0.plusSeconds(100)),
        phase("copy", RunPhase.State.SUCCEEDED, T0.plusSeconds(100), T0.plusSeconds(200)),
        phase("start", RunPhase.State.SUCCEEDED, T0.plusSeconds(200), T0.plusSeconds(300))),
        Map.of(), T0.plusSeconds(5000), Locale.ENGLISH);

    assertThat(clock.ongoing()).isFalse();
    assertThat(clock.behind()).isFalse();
    assertThat(clock.endsAt()).as("no window agreed").isNull();
  }

  @Test
  void aDowntimePhaseThePlanSwitchedOffNeitherKeepsTheClockGoingNorAddsToTheForecast() {
    WindowClock clock = WindowClocks.of(procedure, Map.of(), List.of(
        phase("stop", RunPhase.State.SUCCEEDED, T0, T0.plusSeconds(100)),
        phase("copy", RunPhase.State.SUCCEEDED, T0.plusSeconds(100), T0.plusSeconds(200)),
        phase("start", RunPhase.State.SKIPPED, null, null)),
        Map.of(), T0.plusSeconds(5000), Locale.ENGLISH);

    assertThat(clock.ongoing()).as("the downtime ended with the copy").isFalse();
    assertThat(clock.downtimeSeconds()).isEqualTo(200);
    assertThat(clock.remainingSeconds()).as("the skipped phase's 10m budget is not still to come").isZero();
    assertThat(clock.phases()).extracting(WindowClock.PhaseClock::id).containsExactly("stop", "copy");
  }

  /**
   * Adversary (issue 14): aborted during the stop, the later downtime phases never start. The
   * aborted run's downtime must end with the run; read an hour later (a reload, the API, the PDF
   * exported next morning) it grew by the hour, and the phases it will never run stayed "to come",
   * so a finished run's clock eventually warned that the window will be passed.
   */
  @Test
  void anAbortedRunsClockEndsWithTheRunAndNothingRemainsToCome() {
    Instant aborted = T0.plusSeconds(90);
    List<RunPhase> phases = List.of(
        phase("online", RunPhase.State.SUCCEEDED, T0.minusSeconds(60), T0),
        phase("stop", RunPhase.State.ABORTED, T0, aborted),
        phase("copy", RunPhase.State.PENDING, null, null), phase("start", RunPhase.State.PENDING, null, null));

    WindowClock atAbort = WindowClocks.of(procedure, Map.of("window", "30m"), phases,
        Map.of("forecast.copy.millis", 20L * 60 * 1000), aborted, aborted, Locale.ENGLISH);
    WindowClock anHourLater = WindowClocks.of(procedure, Map.of("window", "30m"), phases,
        Map.of("forecast.copy.millis", 20L * 60 * 1000), aborted.plusSeconds(3600), aborted, Locale.ENGLISH);

    assertThat(anHourLater.downtimeSeconds()).as("the same figure whenever it is read").isEqualTo(90)
        .isEqualTo(atAbort.downtimeSeconds());
    assertThat(anHourLater.ongoing()).as("nothing ticks").isFalse();
    assertThat(anHourLater.remainingSeconds()).as("phases an aborted run never reaches are not to come").isZero();
    assertThat(anHourLater.exceeded()).isFalse();
    assertThat(anHourLater.projectedOver()).isFalse();
  }

  private static RunPhase phase(String id, RunPhase.State state, Instant started, Instant ended) {
    return new RunPhase("run-1", id, 0, state, "op1", started == null ? null : 1, null, started, ended);
  }
}
