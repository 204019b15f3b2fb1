package io.lockstep.run;

import io.lockstep.procedure.Procedure;
import java.util.Locale;
import java.util.Optional;

/**
 * The names of procedures, phases and steps in one reader's language, for pages that list runs by
 * ids (the dashboard, the runs list, the badge's tooltip). A procedure no longer in the catalogue
 * shows its id, and so do its phases and steps.
 */
public final class RunNames {

  private final Plans plans;
  private final Locale locale;

  RunNames(Plans plans, Locale locale) {
    this.plans = plans;
    this.locale = locale;
  }

  /** The procedure's name, or its id when it is not in the catalogue. */
  public String procedure(String procedureId) {
    return procedureOf(procedureId).map(p -> p.name(locale)).orElse(procedureId);
  }

  /** The phase's name, or its id; empty for no phase. */
  public String phase(String procedureId, String phaseId) {
    if (phaseId == null) {
      return "";
    }
    return procedureOf(procedureId).flatMap(p -> p.phase(phaseId)).map(p -> p.name(locale)).orElse(phaseId);
  }

  /** The step's name ({@code phase.step}), or its key. */
  public String step(String procedureId, String stepKey) {
    return procedureOf(procedureId).flatMap(p -> p.step(stepKey)).map(s -> s.name(locale)).orElse(stepKey);
  }

  private Optional<Procedure> procedureOf(String procedureId) {
    try {
      return Optional.of(plans.procedure(procedureId));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
