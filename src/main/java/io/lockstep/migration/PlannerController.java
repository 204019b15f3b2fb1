package io.lockstep.migration;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.run.Actor;
import java.util.Locale;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The planner pages. A new plan at {@code /migration/new}, a stored one at
 * {@code /migration/plans/{id}}; htmx posts the form on every change to {@code /migration/check}
 * (the problem list, the sizes and the picture come back) and the node mapping to
 * {@code /migration/map} (the table comes back, the check, summary and picture out of band; the map
 * control stays as chosen). Saving stores the plan and shows its page, or the page again saying why not.
 */
@Controller
class PlannerController {

  static final String PAGE = "migration/planner";
  static final String BODY = "migration/planner :: planner-body";
  static final String CHECK = "migration/planner :: check-update";
  static final String MAP = "migration/planner :: map-update";
  static final String UNAVAILABLE = "migration/unavailable";
  private static final String VIEW = "planner";

  private final Planner planner;

  PlannerController(Planner planner) {
    this.planner = planner;
  }

  /** The generic plan form sends this procedure's planners here (a more specific mapping wins). */
  @GetMapping(value = "/plans/new", params = "procedure=" + MigrationPlanCheck.PROCEDURE)
  String fromGenericForm() {
    return "redirect:/migration/new";
  }

  @GetMapping("/migration/new")
  String newPlan(Locale locale, Model model) {
    model.addAttribute(VIEW, planner.open(PlannerForm.blank(), null, locale));
    return PAGE;
  }

  @GetMapping("/migration/plans/{id}")
  String plan(@PathVariable String id, Locale locale, Model model) {
    if (!MigrationPlanCheck.PROCEDURE.equals(planner.procedureOf(id))) {
      return "redirect:/plans/" + id;
    }
    model.addAttribute(VIEW, planner.openPlan(id, locale));
    return PAGE;
  }

  @PostMapping("/migration/check")
  String check(@RequestParam MultiValueMap<String, String> form, @RequestParam(required = false) String planId,
      Locale locale, Model model) {
    model.addAttribute(VIEW, planner.check(PlannerForm.of(form), blankToNull(planId), locale));
    return CHECK;
  }

  @PostMapping("/migration/map")
  String map(@RequestParam MultiValueMap<String, String> form, @RequestParam(required = false) String planId,
      Locale locale, Model model) {
    model.addAttribute(VIEW, planner.map(PlannerForm.of(form), blankToNull(planId), locale));
    return MAP;
  }

  @PostMapping("/migration/probe")
  String probeAgain(@RequestParam MultiValueMap<String, String> form, @RequestParam(required = false) String planId,
      Locale locale, Model model) {
    model.addAttribute(VIEW, planner.probeAgain(PlannerForm.of(form), blankToNull(planId), locale));
    return BODY;
  }

  @PostMapping("/migration/plans")
  String save(@RequestParam MultiValueMap<String, String> form, @RequestParam(required = false) String planId,
      Authentication user, Locale locale, Model model) {
    Planner.Saved saved = planner.save(Actor.of(user), PlannerForm.of(form), blankToNull(planId), locale);
    if (saved.plan() != null) {
      return "redirect:/plans/" + saved.plan().id();
    }
    model.addAttribute(VIEW, saved.refused());
    model.addAttribute("fieldErrors", saved.fieldErrors());
    return PAGE;
  }

  /** Without the Kubernetes API there is nothing to plan against: the page says so. */
  @ExceptionHandler(KubernetesClientException.class)
  String apiDown(KubernetesClientException e, Model model) {
    model.addAttribute("apiError", e.getMessage());
    return UNAVAILABLE;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
