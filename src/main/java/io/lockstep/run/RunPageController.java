package io.lockstep.run;

import io.lockstep.procedure.Procedure;
import io.lockstep.system.Role;
import io.lockstep.system.SecurityProperties;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The pages of runs: the dashboard, the run page with its phases, approvals and actions, and the
 * change streams that keep them current. Every action goes through {@link Runs}, which enforces
 * the rules; a refusal is shown on the page and changes nothing.
 */
@Controller
class RunPageController {

  static final String RUN = "run/run";
  /** Every live part of the run page, each marked for an out-of-band swap (run.js swaps only those that changed). */
  static final String PARTS = "run/run :: parts";
  /** An action's answer: its refusal (empty when done) for the place it was tried, and the parts. */
  static final String ACTED = "run/run :: acted";
  static final String PROGRESS = "run/run :: progress-bars";
  private static final String HTMX = "HX-Request";

  private final Runs runs;
  private final RunViews views;
  private final Plans plans;
  private final RunChanges changes;
  private final RunActions actions;
  private final Attentions attentions;
  private final SecurityProperties security;
  private final MessageSource messages;
  private final RunMessages said;

  RunPageController(Runs runs, RunViews views, Plans plans, RunChanges changes, RunActions actions,
      Attentions attentions, SecurityProperties security, MessageSource messages, RunMessages said) {
    this.said = said;
    this.actions = actions;
    this.attentions = attentions;
    this.security = security;
    this.messages = messages;
    this.runs = runs;
    this.views = views;
    this.plans = plans;
    this.changes = changes;
  }

  @GetMapping("/")
  String dashboard(Authentication user, Model model, Locale locale) {
    dashboardModel(user, model, locale);
    return "run/dashboard";
  }

  @GetMapping(value = "/", headers = "HX-Request=true")
  String dashboardPanels(Authentication user, Model model, Locale locale) {
    dashboardModel(user, model, locale);
    return "run/dashboard :: panels";
  }

  @GetMapping("/approvals/badge")
  String badge(Authentication user, Model model, Locale locale) {
    model.addAttribute("attention", attentions.of(Actor.of(user), locale));
    return "run/dashboard :: badge";
  }

  private void dashboardModel(Authentication user, Model model, Locale locale) {
    model.addAttribute("attention", attentions.of(Actor.of(user), locale));
    model.addAttribute("names", attentions.names(locale));
    List<Run> needing = actions.needingRecovery();
    model.addAttribute("needingRecovery", needing.stream().map(r -> views.details(r.id(), locale)).toList());
    model.addAttribute("active", runs.active().stream().filter(r -> needing.stream().noneMatch(n -> n.id().equals(r.id())))
        .map(r -> views.details(r.id(), locale)).toList());
    model.addAttribute("recent", runs.recent(20));
  }

  @GetMapping("/runs")
  String list(Model model, Locale locale) {
    model.addAttribute("names", attentions.names(locale));
    model.addAttribute("recent", runs.recent(200));
    return "run/runs";
  }

  @GetMapping("/runs/{id}")
  String page(@PathVariable String id, Authentication user, Model model, Locale locale) {
    statusModel(id, user, model, locale, null);
    return RUN;
  }

  @GetMapping(value = "/runs/{id}/status")
  String status(@PathVariable String id, Authentication user, Model model, Locale locale) {
    statusModel(id, user, model, locale, null);
    return PARTS;
  }

  /** Only the progress bars, which copies refresh about once a second. */
  @GetMapping("/runs/{id}/progress")
  String progress(@PathVariable String id, Model model) {
    runs.get(id);
    model.addAttribute("runId", id);
    model.addAttribute("bars", views.progress(id));
    return PROGRESS;
  }

  @GetMapping("/runs/{id}/phases/{phase}/preview")
  String preview(@PathVariable String id, @PathVariable String phase, Model model, Locale locale) {
    PhasePreview preview = views.preview(id, phase, locale);
    model.addAttribute("preview", preview);
    model.addAttribute("previewPhase", attentions.names(locale).phase(runs.get(id).procedureId(), preview.phaseId()));
    return "run/run :: preview";
  }

  @GetMapping(path = "/runs/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ResponseBody
  SseEmitter allChanges() {
    return changes.subscribe(null);
  }

  @GetMapping(path = "/runs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ResponseBody
  SseEmitter runChanges(@PathVariable String id) {
    runs.get(id);
    return changes.subscribe(id);
  }

  @PostMapping("/runs")
  String request(@RequestParam(required = false) String planId, Authentication user, Locale locale,
      RedirectAttributes flash) {
    try {
      // no planId is Runs.request's refusal to make (and record), not a bare 400 before it
      return "redirect:/runs/" + runs.request(Actor.of(user), planId).id();
    } catch (RunException | IllegalArgumentException e) {
      flash.addFlashAttribute("error", said.refusal(e, null, locale));
      return planId == null || planId.isBlank() ? "redirect:/plans" : "redirect:/plans/" + planId;
    }
  }

  @PostMapping("/runs/{id}/phases/{phase}/approve")
  String approve(@PathVariable String id, @PathVariable String phase, @RequestParam(required = false) String comment,
      @RequestParam(required = false) String planHash, Authentication user, Model model, Locale locale,
      @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.approve(Actor.of(user), id, phase, comment, planHash));
  }

  @PostMapping("/runs/{id}/phases/{phase}/reject")
  String reject(@PathVariable String id, @PathVariable String phase, @RequestParam(required = false) String comment,
      @RequestParam(required = false) String planHash, Authentication user, Model model, Locale locale,
      @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.reject(Actor.of(user), id, phase, comment, planHash));
  }

  @PostMapping("/runs/{id}/pause")
  String pause(@PathVariable String id, Authentication user, Model model, Locale locale,
      @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.pause(Actor.of(user), id));
  }

  @PostMapping("/runs/{id}/resume")
  String resume(@PathVariable String id, Authentication user, Model model, Locale locale,
      @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.resume(Actor.of(user), id));
  }

  @PostMapping("/runs/{id}/abort")
  String abort(@PathVariable String id, @RequestParam(required = false) String reason, Authentication user,
      Model model, Locale locale, @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.abort(Actor.of(user), id, reason));
  }

  @PostMapping("/runs/{id}/steps/{step}/retry")
  String retry(@PathVariable String id, @PathVariable String step, Authentication user, Model model, Locale locale,
      @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.retry(Actor.of(user), id, step));
  }

  @PostMapping("/runs/{id}/actions/{action}")
  String action(@PathVariable String id, @PathVariable String action, Authentication user, Model model, Locale locale,
      @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> actions.run(Actor.of(user), id, action));
  }

  @PostMapping("/runs/{id}/recovery/check")
  String checkRecovery(@PathVariable String id, Authentication user, Model model, Locale locale,
      @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> actions.checkNow(Actor.of(user), id, locale));
  }

  @PostMapping("/runs/{id}/steps/{step}/skip")
  String skip(@PathVariable String id, @PathVariable String step, @RequestParam(required = false) String reason,
      Authentication user, Model model, Locale locale, @RequestHeader(name = HTMX, required = false) String htmx,
      RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.skip(Actor.of(user), id, step, reason));
  }

  @PostMapping("/runs/{id}/steps/{step}/override")
  String override(@PathVariable String id, @PathVariable String step, @RequestParam(required = false) String reason,
      Authentication user, Model model, Locale locale, @RequestHeader(name = HTMX, required = false) String htmx,
      RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash, () -> runs.override(Actor.of(user), id, step, reason));
  }

  @PostMapping("/runs/{id}/steps/{step}/confirm")
  String confirm(@PathVariable String id, @PathVariable String step,
      @RequestParam(name = "checked", required = false) List<String> checked, Authentication user, Model model,
      Locale locale, @RequestHeader(name = HTMX, required = false) String htmx, RedirectAttributes flash) {
    return act(id, user, model, locale, htmx, flash,
        () -> runs.confirm(Actor.of(user), id, step, checked == null ? 0 : checked.size()));
  }

  /** Carries out an action; htmx gets the refreshed status (with the refusal, if any), a form a redirect. */
  private String act(String id, Authentication user, Model model, Locale locale, String htmx, RedirectAttributes flash,
      Supplier<?> action) {
    String error = null;
    try {
      action.get();
    } catch (RunException | IllegalArgumentException e) {
      error = refusal(e, id, locale);
    }
    if (htmx != null) {
      statusModel(id, user, model, locale, null);
      model.addAttribute("refusal", error);
      return ACTED;
    }
    if (error != null) {
      flash.addFlashAttribute("error", error);
    }
    return "redirect:/runs/" + id;
  }

  /** A refusal of an action on run {@code id} in the reader's language, its phases and steps by name. */
  private String refusal(RuntimeException e, String id, Locale locale) {
    Procedure procedure = null;
    try {
      procedure = plans.procedure(runs.get(id).procedureId());
    } catch (RuntimeException noSuchRun) {
      // the refusal names ids then
    }
    return said.refusal(e, procedure, locale);
  }

  private void statusModel(String id, Authentication user, Model model, Locale locale, String error) {
    Actor actor = Actor.of(user);
    RunDetails details = views.details(id, locale);
    Run run = details.run();
    Set<String> approvable = runs.approvableBy(actor).stream()
        .filter(p -> p.run().id().equals(id)).map(Runs.PendingApproval::phaseId).collect(Collectors.toSet());
    model.addAttribute("d", details);
    model.addAttribute("approvable", approvable);
    boolean author = plans.authors(run.planId()).contains(actor.name());
    model.addAttribute("isRequester", actor.name().equals(run.requester()));
    model.addAttribute("isAuthor", author);
    model.addAttribute("isApprover", actor.has(Role.APPROVER));
    model.addAttribute("canOperate", actor.has(Role.OPERATOR) && !run.isFinal());
    model.addAttribute("canSkip", actor.has(Role.APPROVER) && !actor.name().equals(run.requester()) && !author);
    if (error != null) {
      model.addAttribute("error", error);
    }
    model.addAttribute("planLink", plans.get(run.planId()).id());
    model.addAttribute("canRunActions", actor.has(Role.OPERATOR));
    model.addAttribute("runId", id);
    model.addAttribute("bars", details.progress());
    model.addAttribute("head", headline(details, actor, approvable, locale));
  }

  /**
   * The header's words for this viewer: who the run waits for (the requester first among the operators),
   * and what this viewer is expected to do.
   */
  private RunHeadline headline(RunDetails details, Actor actor, Set<String> approvable, Locale locale) {
    Run run = details.run();
    Set<String> authors = plans.authors(run.planId());
    List<String> approvers = security.users().stream()
        .filter(u -> u.roles().contains(Role.APPROVER) && !u.name().equals(actor.name())
            && !u.name().equals(run.requester()) && !authors.contains(u.name()))
        .map(SecurityProperties.User::name).sorted().toList();
    List<String> operators = security.users().stream()
        .filter(u -> u.roles().contains(Role.OPERATOR) && !u.name().equals(actor.name()))
        .map(SecurityProperties.User::name)
        .sorted(java.util.Comparator.comparing((String n) -> !n.equals(run.requester())).thenComparing(n -> n))
        .toList();
    String or = messages.getMessage("run.head.or", null, " or ", locale);
    String comma = messages.getMessage("run.head.comma", null, ", ", locale);
    boolean maySkip = actor.has(Role.APPROVER) && !actor.name().equals(run.requester()) && !authors.contains(actor.name());
    return RunHeadlines.of(details, approvable, actor.has(Role.OPERATOR) && !run.isFinal(), maySkip, approvers,
        operators, comma, or);
  }
}
