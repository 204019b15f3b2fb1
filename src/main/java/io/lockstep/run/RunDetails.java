package io.lockstep.run;

import io.lockstep.procedure.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run as pages and the API show it: the run, its plan, and every phase with its approvals and
 * steps. Secret values are masked.
 *
 * @param run the run's row
 * @param procedureName the procedure's name in the reader's language
 * @param plan the plan's current version
 * @param values the plan's values, secret ones masked
 * @param phases the phases in order
 * @param undo the undo records, oldest first
 * @param downtimeSeconds time spent so far in phases that stop the applications
 * @param window the maintenance-window clock; null when the procedure has no downtime phase
 * @param progress the latest progress of the parts of running (and lately run) steps
 * @param now when this view was taken
 * @param warning the procedure's warning in the reader's language while the run has not ended
 *     ("make no changes to cluster resources"); null otherwise
 * @param recovery the on-demand actions that apply to the run now, with what their checks last
 *     found down: after a stop in downtime, what is down and the way back
 * @param actions every attempt at an on-demand action of the run, oldest first
 * @param message why the run waits or stopped, in the reader's language with phases and steps by
 *     name; null when there is nothing to say ({@code run.message} is the same in English with ids)
 * @param messageKey the key of that message ({@code run.message.*}); null for none, or for a
 *     sentence stored before messages were keys
 * @param messageArgs the message's arguments as stored (phases and steps by id)
 */
public record RunDetails(Run run, String procedureName, PlanSummary plan, Map<String, Object> values,
    List<PhaseView> phases, List<UndoRecord> undo, long downtimeSeconds, WindowClock window,
    List<ProgressView> progress, Instant now, String warning, List<RunActions.Recovery> recovery,
    List<ActionRecord> actions, String message, String messageKey, List<String> messageArgs) {

  /** Whether a check of a recovery action found something down, or has not looked yet. */
  @com.fasterxml.jackson.annotation.JsonProperty("somethingDown")
  public boolean somethingDown() {
    return recovery.stream().anyMatch(r -> r.recovers() && (r.down() || r.unchecked()));
  }

  /**
   * A progress bar: one part of a step (a data directory being copied).
   *
   * @param step the step, {@code phase.step}
   */
  public record ProgressView(String step, StepProgress progress) {

    /** The id of the bar on the run page, stable across reports. */
    public String anchor() {
      return "bar-" + (step + "--" + progress.part()).replaceAll("[^A-Za-z0-9_-]", "--");
    }

    public String done() {
      return bytes(progress.done());
    }

    public String total() {
      return progress.total() > 0 ? bytes(progress.total()) : "?";
    }

    public String rate() {
      return progress.perSecond() > 0 ? bytes(progress.perSecond()) + "/s" : "";
    }

    public String eta() {
      return progress.eta().map(Durations::format).orElse("");
    }

    static String bytes(long bytes) {
      if (bytes < 1024) {
        return bytes + " B";
      }
      String[] units = {"KiB", "MiB", "GiB", "TiB"};
      double value = bytes;
      int unit = -1;
      while (value >= 1024 && unit < units.length - 1) {
        value /= 1024;
        unit++;
      }
      return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
  }

  /** The plan version in short. */
  public record PlanSummary(String id, String title, int version, String hash, String shortHash) {}

  /**
   * A phase of the run.
   *
   * @param id the phase id
   * @param name its name in the reader's language
   * @param description what it does
   * @param downtime whether applications are down during it
   * @param budgetSeconds the expected duration; null when none
   * @param usedSeconds time used so far
   * @param state where it is
   * @param requestedBy who asked for it
   * @param planVersion the plan version it ran with; null before it started
   * @param approvals every decision on it, voided ones included
   * @param approvedForCurrentPlan a standing approval names the current plan version
   * @param rejectedForCurrentPlan a standing rejection names the current plan version
   * @param current the run is at this phase now
   * @param steps its steps
   */
  public record PhaseView(String id, String name, String description, boolean downtime, Long budgetSeconds,
      long usedSeconds, RunPhase.State state, String requestedBy, Integer planVersion, Instant startedAt,
      Instant endedAt, List<Approval> approvals, boolean approvedForCurrentPlan, boolean rejectedForCurrentPlan,
      boolean current, List<StepView> steps) {

    /** Used time over budget, 0..; 0 when there is no budget. */
    public int budgetPercent() {
      return budgetSeconds == null || budgetSeconds == 0 ? 0 : (int) Math.min(999, usedSeconds * 100 / budgetSeconds);
    }

    public boolean overBudget() {
      return budgetSeconds != null && usedSeconds > budgetSeconds;
    }

    public String startedUtc() {
      return utc(startedAt);
    }

    public String endedUtc() {
      return utc(endedAt);
    }

    /** Time used, as {@code 1m30s}. */
    public String used() {
      return Durations.format(Duration.ofSeconds(usedSeconds));
    }

    /** The budget, as {@code 3m}; null when none. */
    public String budget() {
      return budgetSeconds == null ? null : Durations.format(Duration.ofSeconds(budgetSeconds));
    }
  }

  /**
   * A step of the run.
   *
   * @param key {@code phase.step}
   * @param id the step id
   * @param name its name in the reader's language
   * @param type the executor type
   * @param repeatable whether running it twice is safe
   * @param state where it is
   * @param attempts how many times it started
   * @param tookMillis how long its last attempt took (so far)
   * @param summary what it did, or why it failed or was skipped
   * @param lastAction the last command or API action
   * @param lastExit the last exit statuses
   * @param instructions for a manual step: what the operator checks; null otherwise
   * @param checklist for a manual step waiting now: the items to tick
   * @param guard whether the step protects a destructive one (its failure needs two signatures to skip)
   * @param attempt which attempt of its current series the last one was (0 before any)
   * @param maxAttempts how many attempts a series may take
   * @param nextAttemptAt while it waits between two attempts: when the next one starts; null otherwise
   * @param retryStatus while it waits between two attempts: "attempt 3 of 6, next in 4s"; null otherwise
   * @param overrideBy a failed guard: the approver who signed its override first; null when none
   * @param overrideReason that approver's reason
   */
  public record StepView(String key, String id, String name, String type, boolean repeatable, RunStep.State state,
      int attempts, Instant startedAt, Instant endedAt, long tookMillis, String summary, String lastAction,
      String lastExit, String instructions, List<String> checklist, boolean guard, int attempt, int maxAttempts,
      Instant nextAttemptAt, String retryStatus, String overrideBy, String overrideReason) {

    /** "attempt 3 of 6, next in 4s" for a step waiting {@code left} before its next attempt. */
    static String retryStatus(int next, int of, Duration left) {
      Duration rounded = Duration.ofSeconds((left.toMillis() + 999) / 1000);
      return "attempt " + next + " of " + of + ", next in " + Durations.format(rounded);
    }

    /** "override signed by ap1 (reason); a second approver must sign"; null when nobody signed. */
    public String overrideStatus() {
      return overrideBy == null ? null
          : "override signed by " + overrideBy + " (" + overrideReason + "); a second approver must sign";
    }

    public String startedUtc() {
      return utc(startedAt);
    }

    /** The id of the step's row on the run page ({@code step-maintenance--confirm}): a key's dots would read as CSS classes. */
    public String anchor() {
      return anchor(key);
    }

    static String anchor(String key) {
      return "step-" + key.replaceAll("[^A-Za-z0-9_-]", "--");
    }

    /** How long the last attempt took, as {@code 850ms} or {@code 12s}. */
    public String took() {
      return Durations.format(tookMillis < 1000 ? Duration.ofMillis(tookMillis) : Duration.ofSeconds(tookMillis / 1000));
    }
  }

  public Run.State state() {
    return run.state();
  }

  /** An instant as {@code 2026-11-28 22:01:05Z}; empty for null. */
  public static String utc(Instant at) {
    return at == null ? "" : UTC.format(at);
  }

  private static final java.time.format.DateTimeFormatter UTC =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);

  /** Downtime so far, as {@code 4m10s}. */
  public String downtime() {
    return Durations.format(Duration.ofSeconds(downtimeSeconds));
  }
}
