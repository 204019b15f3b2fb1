package io.lockstep.run;

import io.lockstep.procedure.Durations;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Computes a run's {@link WindowClock}. The window is the plan's value of a {@code window}
 * parameter (a duration); a phase without a budget is expected to take what a step forecast for it
 * (figure {@code forecast.<phase>.millis}, which P1's measure step writes for the final copy from
 * the pre-copy's rate and the bytes changed since).
 */
final class WindowClocks {

  static final String WINDOW_PARAMETER = "window";

  private WindowClocks() {}

  static String forecastFigure(String phaseId) {
    return "forecast." + phaseId + ".millis";
  }

  static WindowClock of(Procedure procedure, Map<String, Object> bound, List<RunPhase> runPhases,
      Map<String, Long> figures, Instant now, Locale locale) {
    return of(procedure, bound, runPhases, figures, now, null, locale);
  }

  /**
   * @param runEnded when the run ended for good (aborted, finished); null while it is not final. A
   *     final run's clock is read at its end: downtime phases it never reached neither keep the
   *     figure growing nor remain to come, so the page, the API and the PDF of a finished run say
   *     the same whenever they are read.
   */
  static WindowClock of(Procedure procedure, Map<String, Object> bound, List<RunPhase> runPhases,
      Map<String, Long> figures, Instant now, Instant runEnded, Locale locale) {
    boolean ended = runEnded != null;
    if (ended && runEnded.isBefore(now)) {
      now = runEnded;
    }
    Instant firstStart = null;
    Instant lastEnd = null;
    boolean downtimeOngoing = false;
    long remaining = 0;
    List<WindowClock.PhaseClock> clocks = new ArrayList<>();
    List<String> unforecast = new ArrayList<>();
    for (RunPhase runPhase : runPhases) {
      Phase phase = procedure.phase(runPhase.phaseId()).orElse(null);
      if (phase == null || !phase.downtime() || runPhase.state() == RunPhase.State.SKIPPED) {
        // a phase the plan switched off neither keeps the downtime going nor needs time
        continue;
      }
      if (runPhase.startedAt() != null && (firstStart == null || runPhase.startedAt().isBefore(firstStart))) {
        firstStart = runPhase.startedAt();
      }
      boolean finished = runPhase.state() == RunPhase.State.SUCCEEDED || runPhase.state() == RunPhase.State.ABORTED;
      if (finished && runPhase.endedAt() != null && (lastEnd == null || runPhase.endedAt().isAfter(lastEnd))) {
        lastEnd = runPhase.endedAt();
      }
      if (!finished) {
        downtimeOngoing = true;
      }
      long used = runPhase.used(now).toSeconds();
      Long forecastMillis = figures.get(forecastFigure(phase.id()));
      Long expected = phase.budget() != null ? Long.valueOf(phase.budget().toSeconds())
          : forecastMillis == null ? null : Long.valueOf((forecastMillis + 999) / 1000);
      clocks.add(new WindowClock.PhaseClock(phase.id(), phase.name(locale), runPhase.state(), used, expected,
          phase.budget() == null && expected != null));
      if (!finished && !ended) {
        if (expected == null) {
          unforecast.add(phase.name(locale));
        } else {
          remaining += Math.max(0, expected - used);
        }
      }
    }
    long downtime = 0;
    if (firstStart != null) {
      Instant end = downtimeOngoing || lastEnd == null ? now : lastEnd;
      downtime = Math.max(0, Duration.between(firstStart, end).toSeconds());
    }
    return new WindowClock(window(bound.get(WINDOW_PARAMETER)), downtime, remaining, clocks, unforecast, firstStart,
        !ended && firstStart != null && (downtimeOngoing || lastEnd == null), now);
  }

  private static Long window(Object value) {
    if (value instanceof Duration d) {
      return d.toSeconds();
    }
    if (value instanceof String s && !s.isBlank()) {
      try {
        return Durations.parse(s).toSeconds();
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }
}
