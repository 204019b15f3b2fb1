package io.lockstep.migration;

import io.lockstep.procedure.Parameter;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Procedures;
import io.lockstep.run.Actor;
import io.lockstep.run.Plan;
import io.lockstep.run.Plans;
import io.lockstep.run.RunException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;

/**
 * The planner's use cases: show the platform's replicas with the targets chosen so far, check them
 * as the operator edits, map a whole node, store the plan. Storing runs the same rules once more
 * through {@link MigrationPlanCheck}, so a plan is never stored that the rules refuse.
 */
@Service
class Planner {

  private static final String VALUE_MISSING = "valueMissing";

  private final Platforms platforms;
  private final Measurements measurements;
  private final MigrationProperties properties;
  private final Plans plans;
  private final Procedures procedures;
  private final PlannerViews views;
  private final MessageSource messages;

  Planner(Platforms platforms, Measurements measurements, MigrationProperties properties, Plans plans,
      Procedures procedures, MessageSource messages) {
    this.platforms = platforms;
    this.measurements = measurements;
    this.properties = properties;
    this.plans = plans;
    this.procedures = procedures;
    this.views = new PlannerViews(messages);
    this.messages = messages;
  }

  /**
   * A save: the plan stored, or the page again with why not ({@code fieldErrors}: what is wrong
   * with each parameter's value, shown next to its field).
   */
  record Saved(Plan plan, PlannerView refused, Map<String, String> fieldErrors) {

    Saved(Plan plan, PlannerView refused) {
      this(plan, refused, Map.of());
    }
  }

  /** A page load: sizes are measured afresh. */
  PlannerView open(PlannerForm form, String planId, Locale locale) {
    return view(form, planId, platforms.read(), true, properties.pageWait(), locale);
  }

  /** A stored plan in the planner, its saved targets and paths chosen. */
  PlannerView openPlan(String planId, Locale locale) {
    Plan plan = plans.get(planId);
    return open(PlannerForm.of(plan, procedure()), planId, locale);
  }

  /** The procedure's id of a stored plan. */
  String procedureOf(String planId) {
    return plans.get(planId).procedureId();
  }

  /** The same after an edit: recent measurements are reused. */
  PlannerView check(PlannerForm form, String planId, Locale locale) {
    return view(form, planId, platforms.read(), false, properties.pageWait(), locale);
  }

  /** Sends every container replica on {@code form.mapFrom()} to {@code form.mapTo()}. */
  PlannerView map(PlannerForm form, String planId, Locale locale) {
    Platform platform = platforms.read();
    return view(form.mapped(platform), planId, platform, false, properties.pageWait(), locale);
  }

  /** Probes the nodes over SSH afresh, then shows the page. */
  PlannerView probeAgain(PlannerForm form, String planId, Locale locale) {
    platforms.forgetProbes();
    return check(form, planId, locale);
  }

  /**
   * Stores the plan (a new one, or the next version of {@code planId}) when the rules hold,
   * waiting for measurements still under way.
   */
  Saved save(Actor actor, PlannerForm form, String planId, Locale locale) {
    Platform platform = platforms.read();
    Evaluation evaluation = evaluate(form, planId, platform, false, properties.measureTimeout().plusSeconds(5));
    PlannerView view = views.of(form, planId, procedureOrNull(), platform, evaluation, locale);
    if (!evaluation.problems().isEmpty()) {
      plans.refusedSave(actor, MigrationPlanCheck.PROCEDURE, planId, evaluation.problems().size()
          + " row problem(s): " + String.join("; ", evaluation.problems().stream().map(p -> p.line(messages, Locale.ENGLISH)).toList()));
      String why = messages.getMessage("migration.saveRefused", new Object[] {evaluation.problems().size()}, locale);
      return new Saved(null, view.withError(why), missingFields(evaluation.problems(), locale));
    }
    if (evaluation.facts().pending() > 0) {
      // still measuring: nothing refused, but nothing saved either, and the page says so
      return new Saved(null, view.withError(messages.getMessage("migration.saveWaiting", null, locale)));
    }
    Map<String, Object> data = MigrationPlan.of(evaluation.rows(), platform).toData();
    try {
      Procedure procedure = procedure();
      Plan plan = planId == null
          ? plans.create(actor, MigrationPlanCheck.PROCEDURE, form.title(), form.values(procedure, Map.of()), data)
          : plans.edit(actor, planId, form.version(), form.title(),
              form.values(procedure, plans.toEdit(actor, planId).values()), data);
      return new Saved(plan, null);
    } catch (RunException | IllegalArgumentException e) {
      return new Saved(null, view.withError(e.getMessage()),
          e instanceof Procedure.InvalidValues invalid ? invalid.byParameter() : Map.of());
    }
  }

  private PlannerView view(PlannerForm form, String planId, Platform platform, boolean fresh, Duration wait,
      Locale locale) {
    return views.of(form, planId, procedureOrNull(), platform, evaluate(form, planId, platform, fresh, wait), locale);
  }

  /** The rows of the form, measured, and every problem with them. */
  record Evaluation(List<Row> rows, Facts facts, List<Problem> problems) {}

  /**
   * The form's rows, measured, and their problems; for the plan of a run under way (a correction
   * mid-run), targets its own pre-copy filled do not count against it.
   */
  private Evaluation evaluate(PlannerForm form, String planId, Platform platform, boolean fresh, Duration wait) {
    List<Row> unmeasured = form.rows(platform, Facts.NONE);
    PlanData.Read read = PlanData.rows(Map.of(PlanData.ROWS, unmeasured.stream().map(Row::toData).toList()));
    Set<String> unreadable = new HashSet<>(read.problems().stream().map(Problem::row).toList());
    List<Row> valid = unmeasured.stream().filter(r -> !unreadable.contains(r.key())).toList();
    Facts facts = measurements.measure(valid, platform, fresh, wait);
    List<Row> rows = form.rows(platform, facts).stream().filter(r -> !unreadable.contains(r.key())).toList();
    List<Problem> problems = new ArrayList<>(read.problems());
    java.util.Set<Place> own = planId == null ? java.util.Set.of() : PlanRules.targetsOf(plans.dataUnderway(planId));
    PlanRules.check(rows, platform, facts, own).stream()
        .filter(p -> !(unreadable.contains(p.row()) && p.code().equals("missingRow")))
        .forEach(problems::add);
    problems.addAll(missingValues(form, planId));
    return new Evaluation(rows, facts, problems);
  }

  /**
   * A required parameter without a value (and without a default) is a problem the check lists, a
   * secret too: the checks never carry a secret, only whether its field is filled in; a stored
   * plan's secret counts as given (a blank field keeps it).
   */
  private List<Problem> missingValues(PlannerForm form, String planId) {
    Procedure procedure = procedureOrNull();
    if (procedure == null) {
      return List.of();
    }
    Set<String> stored = storedValues(planId);
    List<Problem> missing = new ArrayList<>();
    for (Parameter parameter : procedure.parameters()) {
      if (!parameter.required() || parameter.defaultValue() != null || parameter.type() == Parameter.Type.BOOL) {
        continue;
      }
      String value = form.values().get(parameter.name());
      boolean given = value != null && !value.isBlank()
          || parameter.secret() && (form.secretsGiven().contains(parameter.name()) || stored.contains(parameter.name()));
      if (!given) {
        missing.add(Problem.general(VALUE_MISSING, parameter.name()));
      }
    }
    return missing;
  }

  private Set<String> storedValues(String planId) {
    if (planId == null) {
      return Set.of();
    }
    try {
      return plans.get(planId).values().keySet();
    } catch (RunException.NotFound e) {
      return Set.of();
    }
  }

  /** A missing value's problem next to its field too. */
  private Map<String, String> missingFields(List<Problem> problems, Locale locale) {
    Map<String, String> fields = new LinkedHashMap<>();
    problems.stream().filter(p -> VALUE_MISSING.equals(p.code()))
        .forEach(p -> fields.put(String.valueOf(p.args().get(0)), p.text(messages, locale)));
    return fields;
  }

  private Procedure procedure() {
    Procedure procedure = procedureOrNull();
    if (procedure == null) {
      throw new IllegalArgumentException("there is no procedure '" + MigrationPlanCheck.PROCEDURE + "'");
    }
    return procedure;
  }

  private Procedure procedureOrNull() {
    return procedures.byId(MigrationPlanCheck.PROCEDURE).orElse(null);
  }

  /** Parameter values as form fields show them: defaults, then the form's. */
  static Map<String, String> shownValues(Procedure procedure, PlannerForm form) {
    Map<String, String> shown = new LinkedHashMap<>();
    if (procedure != null) {
      procedure.parameters().forEach(p -> shown.put(p.name(),
          p.secret() ? "" : form.values().getOrDefault(p.name(), PlannerForm.text(p.defaultValue()))));
    }
    return shown;
  }
}
