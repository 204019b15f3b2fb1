package io.lockstep.run;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API of plans and runs. Thin: every rule (roles, four-eyes, states) is in {@link Plans}
 * and {@link Runs}; refusals come back as RFC 9457 problems ({@link RunProblems}).
 */
@RestController
@RequestMapping("/api")
@Tag(name = "Plans and runs")
class RunApiController {

  private final Plans plans;
  private final Runs runs;
  private final RunViews views;
  private final RunActions actions;

  RunApiController(Plans plans, Runs runs, RunViews views, RunActions actions) {
    this.actions = actions;
    this.plans = plans;
    this.runs = runs;
    this.views = views;
  }

  /** A plan to create: the procedure, an optional title, the parameter values, planner data. */
  record PlanRequest(String procedure, String title, Map<String, Object> values, Map<String, Object> data) {}

  /** A plan edit: the version edited (optional check), title, values, data (absent: kept). */
  record PlanEdit(Integer version, String title, Map<String, Object> values, Map<String, Object> data) {}

  /** A plan as the API shows it; secret values masked. */
  record PlanBody(String id, String procedure, String title, int version, String hash, String createdBy,
      java.time.Instant createdAt, String editedBy, java.time.Instant editedAt, Map<String, Object> values,
      Map<String, Object> data) {}

  record RunRequest(String planId) {}

  record Decision(String comment, String planHash) {}

  record Reason(String reason) {}

  record Confirmation(Integer itemsChecked) {}

  @Operation(summary = "Plans, newest first")
  @GetMapping("/plans")
  List<PlanBody> plans() {
    return plans.recent(200).stream().map(this::body).toList();
  }

  @Operation(summary = "Plan a run of a procedure; values are checked against its parameters")
  @ApiResponse(responseCode = "201", description = "The plan, stored as version 1",
      headers = @Header(name = "Location", description = "the plan's URL"))
  @PostMapping("/plans")
  ResponseEntity<PlanBody> createPlan(Authentication user, @RequestBody PlanRequest request) {
    Plan plan = plans.create(Actor.of(user), request.procedure(), request.title(), request.values(), request.data());
    return ResponseEntity.created(URI.create("/api/plans/" + plan.id())).body(body(plan));
  }

  @Operation(summary = "A plan's current version")
  @GetMapping("/plans/{id}")
  PlanBody plan(@PathVariable String id) {
    return body(plans.get(id));
  }

  @Operation(summary = "Edit a plan: a new version, voiding approvals given for older ones")
  @PutMapping("/plans/{id}")
  PlanBody editPlan(Authentication user, @PathVariable String id, @RequestBody PlanEdit edit) {
    return body(plans.edit(Actor.of(user), id, edit.version(), edit.title(), edit.values(), edit.data()));
  }

  @Operation(summary = "Runs, newest first")
  @GetMapping("/runs")
  List<Run> runs() {
    return runs.recent(200);
  }

  @Operation(summary = "Request a run of a plan; its first phase then waits for approval")
  @ApiResponse(responseCode = "201", description = "The run, waiting for the approval of its first phase",
      headers = @Header(name = "Location", description = "the run's URL"))
  @PostMapping("/runs")
  ResponseEntity<RunDetails> request(Authentication user, @RequestBody RunRequest request, Locale locale) {
    Run run = runs.request(Actor.of(user), request == null ? null : request.planId());
    return ResponseEntity.created(URI.create("/api/runs/" + run.id())).body(views.details(run.id(), locale));
  }

  @Operation(summary = "A run: state, phases with approvals, steps, undo records")
  @GetMapping("/runs/{id}")
  RunDetails run(@PathVariable String id, Locale locale) {
    return views.details(id, locale);
  }

  @Operation(summary = "What a phase will do with the plan's current version (for approvers)")
  @GetMapping("/runs/{id}/phases/{phase}/preview")
  PhasePreview preview(@PathVariable String id, @PathVariable String phase, Locale locale) {
    return views.preview(id, phase, locale);
  }

  @Operation(summary = "Approve a phase (an approver who is not the requester); planHash names the version reviewed")
  @PostMapping("/runs/{id}/phases/{phase}/approve")
  Approval approve(Authentication user, @PathVariable String id, @PathVariable String phase,
      @RequestBody(required = false) Decision decision) {
    Decision d = decision == null ? new Decision(null, null) : decision;
    return runs.approve(Actor.of(user), id, phase, d.comment(), d.planHash());
  }

  @Operation(summary = "Reject a phase, with a comment")
  @PostMapping("/runs/{id}/phases/{phase}/reject")
  Approval reject(Authentication user, @PathVariable String id, @PathVariable String phase,
      @RequestBody(required = false) Decision decision) {
    Decision d = decision == null ? new Decision(null, null) : decision;
    return runs.reject(Actor.of(user), id, phase, d.comment(), d.planHash());
  }

  @Operation(summary = "Pause at the next step boundary")
  @PostMapping("/runs/{id}/pause")
  Run pause(Authentication user, @PathVariable String id) {
    return runs.pause(Actor.of(user), id);
  }

  @Operation(summary = "Resume a paused run")
  @PostMapping("/runs/{id}/resume")
  Run resume(Authentication user, @PathVariable String id) {
    return runs.resume(Actor.of(user), id);
  }

  @Operation(summary = "Abort a run; a running step is stopped")
  @PostMapping("/runs/{id}/abort")
  Run abort(Authentication user, @PathVariable String id, @RequestBody(required = false) Reason reason) {
    return runs.abort(Actor.of(user), id, reason == null ? null : reason.reason());
  }

  @Operation(summary = "Retry the failed or interrupted step (named phase.step)")
  @PostMapping("/runs/{id}/steps/{step}/retry")
  Run retry(Authentication user, @PathVariable String id, @PathVariable String step) {
    return runs.retry(Actor.of(user), id, step);
  }

  @Operation(summary = "Run an on-demand action of the procedure while the run is stopped (a way back from a stop in"
      + " downtime: start the applications, put the Secrets back); answers when it has ended: 200 when it worked,"
      + " 502 when it failed")
  @PostMapping("/runs/{id}/actions/{action}")
  RunActions.ActionResult action(Authentication user, @PathVariable String id, @PathVariable String action) {
    return actions.run(Actor.of(user), id, action);
  }

  @Operation(summary = "Look now at what is down: run the read-only checks of the recovery actions that apply")
  @PostMapping("/runs/{id}/recovery/check")
  List<RunActions.Recovery> checkRecovery(Authentication user, @PathVariable String id, Locale locale) {
    return actions.checkNow(Actor.of(user), id, locale);
  }

  @Operation(summary = "Skip the failed or interrupted step: an approver who is not the requester, with a reason"
      + " (a failed guard is refused: it needs two signatures, see override)")
  @PostMapping("/runs/{id}/steps/{step}/skip")
  Run skip(Authentication user, @PathVariable String id, @PathVariable String step,
      @RequestBody(required = false) Reason reason) {
    return runs.skip(Actor.of(user), id, step, reason == null ? null : reason.reason());
  }

  @Operation(summary = "Sign the override of a failed guard (a step that protects a destructive one): two approvers,"
      + " neither the requester nor an author of the plan, each with a reason; the second signature skips the step")
  @PostMapping("/runs/{id}/steps/{step}/override")
  Run override(Authentication user, @PathVariable String id, @PathVariable String step,
      @RequestBody(required = false) Reason reason) {
    return runs.override(Actor.of(user), id, step, reason == null ? null : reason.reason());
  }

  @Operation(summary = "Confirm a manual checkpoint, with the number of checklist items ticked")
  @PostMapping("/runs/{id}/steps/{step}/confirm")
  Run confirm(Authentication user, @PathVariable String id, @PathVariable String step,
      @RequestBody(required = false) Confirmation confirmation) {
    int checked = confirmation == null || confirmation.itemsChecked() == null ? 0 : confirmation.itemsChecked();
    return runs.confirm(Actor.of(user), id, step, checked);
  }

  private PlanBody body(Plan plan) {
    return new PlanBody(plan.id(), plan.procedureId(), plan.title(), plan.version(), plan.hash(), plan.createdBy(),
        plan.createdAt(), plan.editedBy(), plan.editedAt(), plans.shownValues(plan), plan.data());
  }
}
