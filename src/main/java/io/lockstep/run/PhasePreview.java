package io.lockstep.run;

import java.util.List;

/**
 * What a phase will do with the plan's current version: shown to the approver, who approves
 * exactly this version ({@link #planHash()}).
 *
 * @param runId the run
 * @param phaseId the phase
 * @param planVersion the plan version previewed
 * @param planHash its hash, which an approval names
 * @param steps each step's actions, or the problem that keeps it from running
 */
public record PhasePreview(String runId, String phaseId, int planVersion, String planHash, List<StepLines> steps) {

  /** True when every step could be previewed. */
  public boolean clean() {
    return steps.stream().allMatch(s -> s.problem() == null);
  }

  /** The problems found, each with its step: {@code phase.step: why}; empty when clean. */
  public String problems() {
    return String.join("; ", steps.stream().filter(s -> s.problem() != null)
        .map(s -> s.key() + ": " + s.problem()).toList());
  }

  /**
   * One step's preview.
   *
   * @param key {@code phase.step}
   * @param name the step's name
   * @param type its executor type
   * @param repeatable whether it may run twice
   * @param condition its {@code when}, or null
   * @param actions what it does, line by line, in English (masked), as the API has always given it
   * @param shown the same lines in the reader's language (masked), as pages show them
   * @param diff what it edits, masked; null when nothing
   * @param problem why it could not be previewed (a missing value, a bad param); null when fine
   */
  public record StepLines(String key, String name, String type, boolean repeatable, String condition,
      List<String> actions, List<String> shown, String diff, String problem) {}
}
