package io.lockstep.procedure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One action of a phase, carried out by the executor named by {@code type}.
 *
 * <p>{@code repeatable} is the engine's guide after a crash: a repeatable step found running is
 * simply run again; a non-repeatable one stops the run until an operator decides. It has no
 * default because guessing it wrong either repeats a dangerous action or stops a run for nothing.
 * A step that is retried is run again, so only repeatable steps may have retries.
 *
 * @param id unique within its phase; a slug
 * @param name shown to operators; the id when not given
 * @param nameZh the name in Chinese; null when there is none
 * @param type the executor type, e.g. {@code ssh.exec}, {@code k8s.scale}, {@code manual}
 * @param params what the executor needs (target nodes, command, namespace…), in the order written;
 *     strings may hold {@code ${…}} references, see {@link ParamResolver}
 * @param timeout how long the step may take; null means the executor's own default (a manual
 *     checkpoint waits for the operator)
 * @param retry how a failed step is tried again automatically: how many times ({@code retries}, 0
 *     to {@value #MAX_RETRIES}), the waits between attempts and their bound
 * @param guard whether the step protects a destructive action that follows it (a quorum, a
 *     disruption budget, free capacity checked at the moment of use): its failure is a refusal
 *     that one person cannot skip
 * @param repeatable whether running the step twice is safe
 * @param when a single {@code ${…}} reference to a true/false value: the step runs only when it is
 *     true; null means always
 */
public record Step(
    String id,
    String name,
    String nameZh,
    String type,
    Map<String, Object> params,
    Duration timeout,
    Retry retry,
    boolean guard,
    boolean repeatable,
    String when) {

  public static final int MAX_RETRIES = 10;

  public Step {
    Names.require(Names.slugProblem("step id", id));
    name = name == null || name.isBlank() ? id : name;
    nameZh = Values.orNull(nameZh);
    Names.require(Names.stepTypeProblem(type));
    params = Values.copyMap(params, "params of step '" + id + "'");
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("the timeout of step '" + id + "' must be longer than zero");
    }
    retry = retry == null ? Retry.NONE : retry;
    if (retry.retries() > 0 && !repeatable) {
      throw new IllegalArgumentException(retriesProblem(id, retry.retries()));
    }
    if (guard && !repeatable) {
      throw new IllegalArgumentException("step '" + id + "' is a guard but not repeatable; a guard only looks,"
          + " so it is checked again whenever needed: make it repeatable");
    }
    when = Values.orNull(when);
    if (when != null) {
      Names.require(whenProblem(when));
    }
    String label = "step '" + id + "'";
    Values.strings(params, "params", (where, text) -> references(text, label + " " + where));
  }

  /** A step without translation, timeout, retries or condition: for tests and object mothers. */
  public Step(String id, String type, Map<String, Object> params, boolean repeatable) {
    this(id, null, null, type, params, null, Retry.NONE, false, repeatable, null);
  }

  /** A step that is no guard, with {@code retries} default waits: for tests and object mothers. */
  public Step(String id, String name, String nameZh, String type, Map<String, Object> params, Duration timeout,
      int retries, boolean repeatable, String when) {
    this(id, name, nameZh, type, params, timeout, retryOf(id, retries), false, repeatable, when);
  }

  /** How many further attempts a failed step gets. */
  public int retries() {
    return retry.retries();
  }

  private static Retry retryOf(String id, int retries) {
    if (retries < 0 || retries > MAX_RETRIES) {
      throw new IllegalArgumentException("step '" + id + "' has " + retries + " retries; allowed are 0 to " + MAX_RETRIES);
    }
    return Retry.of(retries);
  }

  /** The name to show in {@code locale}. */
  public String name(Locale locale) {
    return Values.localized(locale, name, nameZh);
  }

  /** Every reference in the step's parameters and its condition, in the order written. */
  List<Template.Reference> references() {
    List<Template.Reference> found = new ArrayList<>();
    Values.strings(params, "params", (where, text) -> found.addAll(references(text, where)));
    if (when != null) {
      found.addAll(Template.parse(when).references());
    }
    return found;
  }

  static String retriesProblem(String id, int retries) {
    return "step '" + id + "' has retries: " + retries + " but is not repeatable;"
        + " a retry runs the step again, so either make it repeatable or drop the retries";
  }

  /** Why {@code when} is not a single reference, or null. */
  static String whenProblem(String when) {
    try {
      if (Template.parse(when).isSingleReference()) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      return "'when' " + e.getMessage();
    }
    return "'when' must be a single reference to a true/false value, like ${params.prewarm}, not '" + when + "'";
  }

  private static List<Template.Reference> references(String text, String where) {
    if (!Template.mayHoldReferences(text)) {
      return List.of();
    }
    try {
      return Template.parse(text).references();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }
}
