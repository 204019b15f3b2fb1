package io.lockstep.procedure;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A stretch of a procedure that a second operator approves before it starts.
 *
 * @param id unique within its procedure; a slug
 * @param name shown to operators and approvers
 * @param nameZh the name in Chinese; null when there is none
 * @param description what the phase does and why, for the approver; empty when not given
 * @param descriptionZh the description in Chinese; null when there is none
 * @param downtime whether the business applications are stopped during the phase, so it counts
 *     against the maintenance window
 * @param budget how long the phase is expected to take (the seed's estimate), shown against the
 *     time used; null when no estimate exists (e.g. a copy whose time depends on the data)
 * @param steps the steps, run in this order; at least one, ids unique
 * @param when a single {@code ${…}} reference to a true/false value: the phase belongs to the run
 *     only when it is true; a run marks it skipped by plan otherwise (not approved, not run). Null
 *     when the phase always runs
 */
public record Phase(
    String id,
    String name,
    String nameZh,
    String description,
    String descriptionZh,
    boolean downtime,
    Duration budget,
    List<Step> steps,
    String when) {

  /** A phase that always runs. */
  public Phase(String id, String name, String nameZh, String description, String descriptionZh, boolean downtime,
      Duration budget, List<Step> steps) {
    this(id, name, nameZh, description, descriptionZh, downtime, budget, steps, null);
  }

  public Phase {
    Names.require(Names.slugProblem("phase id", id));
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("phase '" + id + "' has no name");
    }
    nameZh = Values.orNull(nameZh);
    description = Values.orEmpty(description);
    descriptionZh = Values.orNull(descriptionZh);
    if (budget != null && (budget.isNegative() || budget.isZero())) {
      throw new IllegalArgumentException("the budget of phase '" + id + "' must be longer than zero");
    }
    steps = List.copyOf(steps == null ? List.of() : steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("phase '" + id + "' has no steps");
    }
    Set<String> ids = new HashSet<>();
    for (Step step : steps) {
      if (!ids.add(step.id())) {
        throw new IllegalArgumentException("phase '" + id + "' has two steps with id '" + step.id() + "'");
      }
    }
    when = Values.orNull(when);
    if (when != null) {
      Names.require(Step.whenProblem(when));
    }
  }

  /** The name to show in {@code locale}. */
  public String name(Locale locale) {
    return Values.localized(locale, name, nameZh);
  }

  /** The description to show in {@code locale}. */
  public String description(Locale locale) {
    return Values.localized(locale, description, descriptionZh);
  }

  /** The step with this id. */
  public Optional<Step> step(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
  }
}
