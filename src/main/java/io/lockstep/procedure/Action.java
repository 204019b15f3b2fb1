package io.lockstep.procedure;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An on-demand action of a procedure: steps a person runs while a run is stopped — waiting for
 * approval, paused, failed, waiting for a decision, or aborted — most often a way back from a
 * stop in downtime (start the applications again, start the services a phase stopped, put the
 * Secrets back). The run does not move while one runs.
 *
 * <p>A recovery action names the phases whose effects it takes back ({@code after}): it is offered
 * once one of them has started (and, with {@code until}, before one of those has). Its {@code
 * checks} are read-only steps that fail, saying what is down, while the action is needed; the run
 * page and the API show those failures as "what is down now" next to the action that brings it
 * back.
 *
 * @param id unique among the procedure's actions; a slug
 * @param name what it does, for the button
 * @param nameZh the name in Chinese; null when there is none
 * @param description what it brings back; empty when not given
 * @param descriptionZh the description in Chinese; null when there is none
 * @param steps what it runs, in order, stopping at the first that fails; at least one
 * @param checks read-only steps (executors that change nothing) that fail, naming what is down,
 *     while the action is needed; empty when the action has none
 * @param after the phases whose start makes the action apply; empty: it applies whenever the run
 *     is stopped
 * @param until the phases whose start makes it apply no more (past them the way is forward, not
 *     back); empty: none
 * @param approver whether it needs an approver who did not request the run (four-eyes), rather
 *     than any operator
 */
public record Action(
    String id,
    String name,
    String nameZh,
    String description,
    String descriptionZh,
    List<Step> steps,
    List<Step> checks,
    List<String> after,
    List<String> until,
    boolean approver) {

  public Action {
    Names.require(Names.slugProblem("action id", id));
    name = name == null || name.isBlank() ? id : name;
    nameZh = Values.orNull(nameZh);
    description = Values.orEmpty(description);
    descriptionZh = Values.orNull(descriptionZh);
    steps = List.copyOf(steps == null ? List.of() : steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("action '" + id + "' has no steps");
    }
    checks = List.copyOf(checks == null ? List.of() : checks);
    after = List.copyOf(after == null ? List.of() : after);
    until = List.copyOf(until == null ? List.of() : until);
  }

  /** An action of one step, named after it: the short form ({@code type} and {@code params} at the top). */
  public static Action of(Step step) {
    return new Action(step.id(), step.name(), step.nameZh(), null, null, List.of(step), List.of(), List.of(), List.of(),
        false);
  }

  public String name(Locale locale) {
    return Values.localized(locale, name, nameZh);
  }

  public String description(Locale locale) {
    return Values.localized(locale, description, descriptionZh);
  }

  /** A recovery action: it names the phases it takes back. */
  public boolean recovers() {
    return !after.isEmpty();
  }

  public Optional<Step> step(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
  }

  /** The type of its first step, for lists that show one. */
  public String type() {
    return steps.get(0).type();
  }
}
