package io.lockstep.run;

import io.lockstep.procedure.Parameter;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Procedures;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The plan pages: plan a procedure with a form built from its parameters, look at a plan and its
 * runs, edit it (a new version, voiding approvals of older ones), request a run.
 */
@Controller
class PlanPageController {

  private static final String VALUE = "value.";

  private final Plans plans;
  private final Procedures procedures;
  private final Runs runs;
  private final List<PlanChoices> choices;
  private final RunMessages said;

  PlanPageController(Plans plans, Procedures procedures, Runs runs, ObjectProvider<PlanChoices> choices,
      RunMessages said) {
    this.said = said;
    this.plans = plans;
    this.procedures = procedures;
    this.runs = runs;
    this.choices = choices.orderedStream().toList();
  }

  /** Per parameter name, what the form offers to pick (nodes, hosts, member clusters). */
  private Map<String, List<PlanChoices.Choice>> choices(Procedure procedure) {
    Map<String, List<PlanChoices.Choice>> all = new LinkedHashMap<>();
    for (Parameter parameter : procedure.parameters()) {
      List<PlanChoices.Choice> offered = choices.stream().flatMap(c -> c.choices(parameter).stream()).toList();
      if (!offered.isEmpty()) {
        all.put(parameter.name(), offered);
      }
    }
    return all;
  }

  @GetMapping("/plans")
  String list(Model model) {
    model.addAttribute("plans", plans.recent(200));
    model.addAttribute("procedures", procedures.all());
    return "run/plans";
  }

  @GetMapping("/plans/new")
  String form(@RequestParam String procedure, Model model) {
    Procedure p = plans.procedure(procedure);
    model.addAttribute("procedure", p);
    model.addAttribute("choices", choices(p));
    model.addAttribute("values", defaults(p));
    model.addAttribute("title", "");
    return "run/plan-form";
  }

  @PostMapping("/plans")
  String create(@RequestParam String procedure, @RequestParam(required = false) String title,
      @RequestParam MultiValueMap<String, String> form, Authentication user, Model model, Locale locale,
      RedirectAttributes flash) {
    Procedure p;
    try {
      p = plans.toPlan(Actor.of(user), procedure);
    } catch (IllegalArgumentException e) {
      flash.addFlashAttribute("error", e.getMessage());
      return "redirect:/plans";
    }
    Map<String, Object> values = values(p, form, Map.of());
    try {
      return "redirect:/plans/" + plans.create(Actor.of(user), procedure, title, values, null).id();
    } catch (RunException | IllegalArgumentException e) {
      model.addAttribute("procedure", p);
      model.addAttribute("choices", choices(p));
      model.addAttribute("values", shownForm(p, values));
      model.addAttribute("title", title);
      model.addAttribute("error", refusal(e, p, values, locale));
      model.addAttribute("fieldErrors", fieldErrors(e, p, values, locale));
      return "run/plan-form";
    }
  }

  @GetMapping("/plans/{id}")
  String page(@PathVariable String id, Model model) {
    Plan plan = plans.get(id);
    Procedure p = plans.procedure(plan.procedureId());
    model.addAttribute("plan", plan);
    model.addAttribute("procedure", p);
    model.addAttribute("choices", choices(p));
    model.addAttribute("shown", plans.shownValues(plan));
    model.addAttribute("values", shownForm(p, plan.values()));
    model.addAttribute("runs", runs.recent(500).stream().filter(r -> r.planId().equals(id)).toList());
    return "run/plan";
  }

  @PostMapping("/plans/{id}")
  String edit(@PathVariable String id, @RequestParam(required = false) Integer version,
      @RequestParam(required = false) String title, @RequestParam MultiValueMap<String, String> form,
      Authentication user, Locale locale, RedirectAttributes flash) {
    Plan plan;
    try {
      plan = plans.toEdit(Actor.of(user), id);
    } catch (RunException.NotFound e) {
      flash.addFlashAttribute("error", said.refusal(e, null, locale));
      return "redirect:/plans";
    }
    Procedure p = plans.procedure(plan.procedureId());
    Map<String, Object> values = values(p, form, plan.values());
    try {
      Plan edited = plans.edit(Actor.of(user), id, version, title, values, null);
      flash.addFlashAttribute("notice", edited.version() == plan.version() ? "unchanged" : "saved");
    } catch (RunException | IllegalArgumentException e) {
      flash.addFlashAttribute("error", refusal(e, p, values, locale));
      flash.addFlashAttribute("fieldErrors", fieldErrors(e, p, values, locale));
      flash.addFlashAttribute("errorAt", "edit"); // shown next to the edit form's Save, the form open
    }
    return "redirect:/plans/" + id;
  }

  /**
   * A refused save in the reader's language: values a procedure refused, one sentence a parameter
   * ({@link #fieldErrors}); another refusal as {@link RunMessages#refusal} shows it. English readers
   * get the English sentence, the same the API and the audit trail give.
   */
  private String refusal(RuntimeException e, Procedure procedure, Map<String, Object> values, Locale locale) {
    if (!(e instanceof Procedure.InvalidValues invalid) || invalid.byParameter().isEmpty() || english(locale)) {
      return said.refusal(e, procedure, locale);
    }
    return String.join(" ", fieldErrors(e, procedure, values, locale).values());
  }

  private static boolean english(Locale locale) {
    return locale == null || locale.getLanguage().isEmpty() || Locale.ENGLISH.getLanguage().equals(locale.getLanguage());
  }

  /**
   * What is wrong with each field's value, for the form to show next to it, in the reader's
   * language: required and missing, not a value of its type, or refused by the procedure's plan
   * check against the platform (whose own detail, a sentence of the check, follows the parameter's
   * name). English readers get the details as the API gives them.
   */
  private Map<String, String> fieldErrors(RuntimeException e, Procedure procedure, Map<String, Object> values,
      Locale locale) {
    if (!(e instanceof Procedure.InvalidValues invalid)) {
      return Map.of();
    }
    if (english(locale)) {
      return invalid.byParameter();
    }
    Map<String, String> shown = new java.util.TreeMap<>();
    invalid.byParameter().forEach((name, problem) -> {
      List<org.springframework.context.MessageSourceResolvable> lines = invalid.said(name);
      String detail = lines.isEmpty() ? problem : String.join(said.line(SEMICOLON, locale), lines.stream()
          .map(l -> l instanceof StepPreview.Line line ? said.line(line, locale) : l.getDefaultMessage()).toList());
      shown.put(name, said.of(fieldRefusal(procedure, name, detail, values.get(name)), procedure, locale));
    });
    return shown;
  }

  /** What joins two problems of one field: "; " in English, "；" in Chinese. */
  private static final StepPreview.Line SEMICOLON = StepPreview.Line.of("plancheck.and", "; ");

  /** One parameter's problem as a refusal's key: which of the three it is, the value tells. */
  private static RunMessage fieldRefusal(Procedure procedure, String name, String problem, Object value) {
    if ("required".equals(problem)) {
      return RunMessage.of("run.refusal.valueRequired", RunMessage.text(name));
    }
    Parameter parameter = procedure.parameter(name).orElse(null);
    boolean typeRefuses = parameter != null && value != null && refuses(parameter, value);
    return typeRefuses
        ? RunMessage.of("run.refusal.valueRefused", RunMessage.text(name), RunMessage.text(parameter.type().written()))
        : RunMessage.of("run.refusal.valueChecked", RunMessage.text(name), RunMessage.text(problem));
  }

  private static boolean refuses(Parameter parameter, Object value) {
    try {
      parameter.accept(value);
      return false;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /** The form's values; a secret left blank keeps its current value (the form never shows it). */
  private static Map<String, Object> values(Procedure procedure, MultiValueMap<String, String> form,
      Map<String, Object> current) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Parameter parameter : procedure.parameters()) {
      List<String> given = form.get(VALUE + parameter.name());
      String value = given == null || given.isEmpty() ? null : given.get(given.size() - 1);
      if (parameter.type() == Parameter.Type.BOOL) {
        value = given != null && given.contains("true") ? "true" : "false";
      }
      if ((value == null || value.isBlank()) && parameter.secret() && current.containsKey(parameter.name())) {
        values.put(parameter.name(), current.get(parameter.name()));
      } else if (value != null && !value.isBlank()) {
        values.put(parameter.name(), value.strip());
      }
    }
    return values;
  }

  private static Map<String, String> defaults(Procedure procedure) {
    Map<String, String> shown = new LinkedHashMap<>();
    for (Parameter parameter : procedure.parameters()) {
      shown.put(parameter.name(), text(parameter.defaultValue()));
    }
    return shown;
  }

  /** Values as form fields show them: lists joined, secrets never shown. */
  private static Map<String, String> shownForm(Procedure procedure, Map<String, Object> values) {
    Map<String, String> shown = defaults(procedure);
    values.forEach((name, value) -> shown.put(name,
        procedure.secretParameters().contains(name) ? "" : text(value)));
    return shown;
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof List<?> list) {
      return String.join(", ", list.stream().map(String::valueOf).toList());
    }
    if (value instanceof Duration d) {
      return io.lockstep.procedure.Durations.format(d);
    }
    return String.valueOf(value);
  }
}
