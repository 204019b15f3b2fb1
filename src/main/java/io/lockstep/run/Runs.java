package io.lockstep.run;

import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What people do with runs: request one, approve or reject a phase, pause, resume, abort, retry or
 * skip a step, confirm a manual checkpoint. Every rule — roles, four-eyes, the state a run must be
 * in — is checked here, so pages, htmx and the REST API enforce exactly the same; a refusal changes
 * nothing and says why. Each change is stored and audited in one transaction; the engine is
 * kicked after it commits.
 */
@Service
public class Runs {

  private static final int MAX_COMMENT = 2000;

  private final RunStore store;
  private final Plans plans;
  private final RunEngine engine;
  private final Confirmations confirmations;
  private final RunLog runLog;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Runs(RunStore store, Plans plans, RunEngine engine, Confirmations confirmations, RunLog runLog,
      ApplicationEventPublisher events, Clock clock) {
    this.store = store;
    this.plans = plans;
    this.engine = engine;
    this.confirmations = confirmations;
    this.runLog = runLog;
    this.events = events;
    this.clock = clock;
  }

  /** Requests a run of the plan's current version; its first phase then waits for approval. */
  @Transactional
  public Run request(Actor actor, String planId) {
    actor.require(Role.OPERATOR, "request a run");
    Plan plan = plans.get(planId);
    Procedure procedure = plans.procedure(plan.procedureId());
    if (!procedure.contentHash().equals(plan.procedureHash())) {
      throw new RunException.Conflict("procedure " + procedure.id() + " changed since plan " + planId
          + " was saved; open the plan and save it again so that approvers see what will run");
    }
    plans.bound(plan, procedure);
    for (Run other : store.ofPlan(planId)) {
      if (!other.isFinal()) {
        throw new RunException.Conflict("plan " + planId + " already has run " + other.id() + " (" + other.state()
            + "); a plan runs once at a time");
      }
    }
    Instant now = clock.instant();
    Run run = new Run(store.nextId(), planId, procedure.id(), actor.name(), Run.State.CREATED, null, null, null,
        false, now, null, null, now);
    store.insert(run);
    int stepOrdinal = 0;
    for (int i = 0; i < procedure.phases().size(); i++) {
      Phase phase = procedure.phases().get(i);
      store.insertPhase(new RunPhase(run.id(), phase.id(), i, RunPhase.State.PENDING, actor.name(), null, null, null, null));
      for (Step step : phase.steps()) {
        store.insertStep(new RunStep(run.id(), phase.id(), step.id(), stepOrdinal++, RunStep.State.PENDING, 0,
            null, null, null, null, null));
      }
    }
    events.publishEvent(new RunAudit("RUN_REQUESTED", actor.name(), run.id(),
        actor.name() + " requested " + run.id() + " of " + procedure.id() + " with plan " + planId + " version "
            + plan.version() + " " + plan.shortHash(),
        Map.of("plan", planId, "planVersion", plan.version(), "planHash", plan.hash(), "procedure", procedure.id(),
            "procedureHash", procedure.contentHash())));
    runLog.append(run.id(), LogLine.sys(null, "Run " + run.id() + " of " + procedure.name() + " requested by "
        + actor.name() + " (plan " + planId + " version " + plan.version() + " " + plan.shortHash() + ")"));
    kickAfterCommit(run.id());
    return run;
  }

  /**
   * Approves a phase for the plan's current version. Allowed before the phase starts, also ahead of
   * the phase the run is at, to an APPROVER who is neither the run's requester nor the operator
   * who asked for the phase.
   *
   * @param planHash the plan version the approver reviewed; when given and no longer current the
   *     approval is refused, so nobody approves what they have not seen
   */
  @Transactional
  public Approval approve(Actor actor, String runId, String phaseId, String comment, String planHash) {
    return decide(actor, runId, phaseId, comment, planHash, Approval.Decision.APPROVED);
  }

  /** Rejects a phase (a comment is required); the run waits until the plan is edited or it is aborted. */
  @Transactional
  public Approval reject(Actor actor, String runId, String phaseId, String comment, String planHash) {
    if (comment == null || comment.isBlank()) {
      throw new IllegalArgumentException("a rejection says why: the comment is required");
    }
    return decide(actor, runId, phaseId, comment, planHash, Approval.Decision.REJECTED);
  }

  private Approval decide(Actor actor, String runId, String phaseId, String comment, String planHash,
      Approval.Decision decision) {
    String verb = decision == Approval.Decision.APPROVED ? "approve" : "reject";
    actor.require(Role.APPROVER, verb + " a phase");
    Run run = locked(runId);
    RunPhase phase = phase(run, phaseId);
    if (actor.name().equals(run.requester())) {
      throw new RunException.NotAllowed(actor.name() + " requested " + runId + " and may not " + verb
          + " its phases: a second person must (four-eyes)");
    }
    if (actor.name().equals(phase.requestedBy())) {
      throw new RunException.NotAllowed(actor.name() + " asked for phase " + phaseId + " and may not " + verb
          + " it: a second person must (four-eyes)");
    }
    if (run.isFinal()) {
      throw new RunException.Conflict(runId + " is " + run.state() + "; nothing is left to " + verb);
    }
    if (phase.state() != RunPhase.State.PENDING) {
      throw new RunException.Conflict("phase " + phaseId + " of " + runId + " has already started; approvals are"
          + " given before a phase starts");
    }
    Plan plan = plans.get(run.planId());
    if (planHash != null && !planHash.isBlank() && !plan.hash().equals(planHash.strip())) {
      throw new RunException.Conflict("the plan changed since it was reviewed: it is now version " + plan.version()
          + " (" + plan.shortHash() + "), not " + abbreviate(planHash.strip()) + ". Review the phase again.");
    }
    for (Approval standing : store.approvals(runId)) {
      if (standing.standing() && standing.phaseId().equals(phaseId) && standing.planHash().equals(plan.hash())) {
        throw new RunException.Conflict("phase " + phaseId + " was already " + standing.decision().name().toLowerCase()
            + " by " + standing.actor() + " for this plan version");
      }
    }
    String text = comment == null || comment.isBlank() ? "" : comment.strip();
    if (text.length() > MAX_COMMENT) {
      throw new IllegalArgumentException("a comment has at most " + MAX_COMMENT + " characters");
    }
    Approval approval = new Approval(0, runId, phaseId, plan.hash(), decision, actor.name(), text, clock.instant(),
        null, null);
    store.insertApproval(approval);
    String type = decision == Approval.Decision.APPROVED ? "PHASE_APPROVED" : "PHASE_REJECTED";
    events.publishEvent(new RunAudit(type, actor.name(), runId,
        actor.name() + " " + verb + (decision == Approval.Decision.APPROVED ? "d" : "ed") + " phase " + phaseId
            + " for plan version " + plan.version() + " " + plan.shortHash() + (text.isEmpty() ? "" : ": " + text),
        Map.of("phase", phaseId, "planHash", plan.hash(), "planVersion", plan.version(), "comment", text)));
    runLog.append(runId, LogLine.sys(null, "Phase " + phaseId + " " + verb + (decision == Approval.Decision.APPROVED
        ? "d" : "ed") + " by " + actor.name() + (text.isEmpty() ? "" : ": " + text)));
    kickAfterCommit(runId);
    return approval;
  }

  /**
   * Asks the run to stop at the next step boundary. A run waiting for approval pauses at once.
   */
  @Transactional
  public Run pause(Actor actor, String runId) {
    actor.require(Role.OPERATOR, "pause a run");
    Run run = locked(runId);
    switch (run.state()) {
      case RUNNING -> {
        store.pauseRequested(runId, true, clock.instant());
        runLog.append(runId, LogLine.sys(null, actor.name() + " asked the run to pause at the next step boundary."));
      }
      case AWAITING_APPROVAL, CREATED -> {
        store.pauseRequested(runId, true, clock.instant());
        store.move(runId, run.state(), Run.State.PAUSED, run.phaseId(), null, "paused by " + actor.name(), clock.instant());
        runLog.append(runId, LogLine.sys(null, "Run paused by " + actor.name() + "."));
      }
      default -> throw new RunException.Conflict(runId + " is " + run.state() + " and cannot be paused");
    }
    events.publishEvent(RunAudit.of("RUN_PAUSE_REQUESTED", actor.name(), runId, actor.name() + " paused " + runId));
    return get(runId);
  }

  /** Lets a paused run go on (or cancels a pause not yet reached). */
  @Transactional
  public Run resume(Actor actor, String runId) {
    actor.require(Role.OPERATOR, "resume a run");
    Run run = locked(runId);
    if (run.state() == Run.State.RUNNING && run.pauseRequested()) {
      store.pauseRequested(runId, false, clock.instant());
    } else if (run.state() == Run.State.PAUSED) {
      store.pauseRequested(runId, false, clock.instant());
      boolean inPhase = store.phases(runId).stream().anyMatch(p -> p.state() == RunPhase.State.RUNNING);
      store.move(runId, Run.State.PAUSED, inPhase ? Run.State.RUNNING : Run.State.AWAITING_APPROVAL, run.phaseId(),
          null, null, clock.instant());
    } else {
      throw new RunException.Conflict(runId + " is " + run.state() + ", not paused");
    }
    events.publishEvent(RunAudit.of("RUN_RESUMED", actor.name(), runId, actor.name() + " resumed " + runId));
    runLog.append(runId, LogLine.sys(null, "Run resumed by " + actor.name() + "."));
    kickAfterCommit(runId);
    return get(runId);
  }

  /** Ends the run for good; a running step is interrupted (its command stopped). */
  @Transactional
  public Run abort(Actor actor, String runId, String reason) {
    actor.require(Role.OPERATOR, "abort a run");
    Run run = locked(runId);
    if (run.isFinal()) {
      throw new RunException.Conflict(runId + " is already " + run.state());
    }
    String why = reason == null || reason.isBlank() ? "" : ": " + reason.strip();
    Instant now = clock.instant();
    store.move(runId, run.state(), Run.State.ABORTED, run.phaseId(), run.stepId(), "aborted by " + actor.name() + why, now);
    for (RunPhase phase : store.phases(runId)) {
      if (phase.state() == RunPhase.State.RUNNING) {
        store.endPhase(runId, phase.phaseId(), RunPhase.State.ABORTED, now);
      }
    }
    for (RunStep step : store.steps(runId)) {
      store.stepState(runId, step.phaseId(), step.stepId(), List.of(RunStep.State.RUNNING, RunStep.State.WAITING),
          RunStep.State.ABORTED, "aborted by " + actor.name(), now);
    }
    events.publishEvent(new RunAudit("RUN_ABORTED", actor.name(), runId, actor.name() + " aborted " + runId + why,
        Map.of("state", run.state().name(), "step", run.stepId() == null ? "" : run.phaseId() + "." + run.stepId())));
    AfterCommit.run(() -> {
      engine.cancelStep(runId);
      runLog.append(runId, LogLine.sys(null, "Run aborted by " + actor.name() + why + "."));
      runLog.finish(runId);
    });
    return get(runId);
  }

  /** Runs a failed or interrupted step again (the operator's decision, audited). */
  @Transactional
  public Run retry(Actor actor, String runId, String stepKey) {
    actor.require(Role.OPERATOR, "retry a step");
    Run run = locked(runId);
    RunStep step = stoppedStep(run, stepKey, "retried");
    store.resetStep(runId, step.phaseId(), step.stepId());
    store.move(runId, run.state(), Run.State.RUNNING, run.phaseId(), null, null, clock.instant());
    events.publishEvent(new RunAudit("STEP_RETRY", actor.name(), runId, actor.name() + " retries " + stepKey
        + " (it was " + step.state() + ")", Map.of("step", stepKey, "previousState", step.state().name())));
    runLog.append(runId, LogLine.sys(stepKey, actor.name() + " retries this step."));
    kickAfterCommit(runId);
    return get(runId);
  }

  /** States in which an operator may run an on-demand action: no step of the run is under way. */
  private static final java.util.Set<Run.State> ACTION_STATES = java.util.EnumSet.of(Run.State.AWAITING_APPROVAL,
      Run.State.PAUSED, Run.State.NEEDS_DECISION, Run.State.FAILED, Run.State.ABORTED);

  static boolean actionAllowed(Run.State state) {
    return ACTION_STATES.contains(state);
  }

  /**
   * Runs one of the procedure's on-demand actions (P1: put the original Secrets back) while the run
   * is stopped; the run does not move until it has ended. An operator asks for it; it is audited
   * and logged like a step.
   *
   * @throws RunException.Conflict a step is under way, or the run succeeded, or another action runs
   */
  @Transactional
  public Run runAction(Actor actor, String runId, String actionId) {
    actor.require(Role.OPERATOR, "run an action of a run");
    Run run = locked(runId);
    Procedure procedure = plans.procedure(run.procedureId());
    Step action = procedure.action(actionId)
        .orElseThrow(() -> new RunException.NotFound(run.procedureId() + " has no action " + actionId));
    if (!ACTION_STATES.contains(run.state())) {
      throw new RunException.Conflict(runId + " is " + run.state() + ": an action runs only while the run is stopped"
          + " (waiting for approval, paused, failed, waiting for a decision, or aborted)");
    }
    if (engine.actionRunning(runId)) {
      throw new RunException.Conflict("an action of " + runId + " is under way already; wait until it has ended");
    }
    events.publishEvent(new RunAudit("ACTION_REQUESTED", actor.name(), runId, actor.name() + " runs the action "
        + actionId + " (" + action.type() + ") while the run is " + run.state(), Map.of("action", actionId,
        "type", action.type(), "runState", run.state().name())));
    AfterCommit.run(() -> {
      if (!engine.startAction(run, procedure, action, actor.name())) {
        runLog.append(runId, LogLine.err(Procedure.ACTIONS + "." + actionId, null,
            "the action could not start: another action of the run is under way, or the console is stopping"));
      }
    });
    return get(runId);
  }

  /**
   * Skips a failed or interrupted step: an approver who did not request the run decides, with a
   * reason, since whatever the step should have done is then not done.
   */
  @Transactional
  public Run skip(Actor actor, String runId, String stepKey, String reason) {
    actor.require(Role.APPROVER, "skip a step");
    Run run = locked(runId);
    if (actor.name().equals(run.requester())) {
      throw new RunException.NotAllowed(actor.name() + " requested " + runId
          + " and may not skip its steps: a second person decides (four-eyes)");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("skipping a step needs a reason");
    }
    RunStep step = stoppedStep(run, stepKey, "skipped");
    store.stepState(runId, step.phaseId(), step.stepId(), List.of(step.state()), RunStep.State.SKIPPED,
        "skipped by " + actor.name() + ": " + reason.strip(), clock.instant());
    store.move(runId, run.state(), Run.State.RUNNING, run.phaseId(), null, null, clock.instant());
    events.publishEvent(new RunAudit("STEP_SKIPPED", actor.name(), runId, actor.name() + " skipped " + stepKey + ": "
        + reason.strip(), Map.of("step", stepKey, "reason", reason.strip(), "previousState", step.state().name())));
    runLog.append(runId, LogLine.sys(stepKey, "Skipped by " + actor.name() + ": " + reason.strip()));
    kickAfterCommit(runId);
    return get(runId);
  }

  /** Confirms a manual checkpoint; every checklist item must be ticked. */
  @Transactional
  public Run confirm(Actor actor, String runId, String stepKey, int itemsChecked) {
    actor.require(Role.OPERATOR, "confirm a checkpoint");
    Run run = locked(runId);
    RunStep step = step(run, stepKey);
    if (run.state() != Run.State.RUNNING || step.state() != RunStep.State.WAITING) {
      throw new RunException.Conflict(stepKey + " of " + runId + " is not waiting for a confirmation");
    }
    List<String> checklist = confirmations.checklist(runId, stepKey)
        .orElseThrow(() -> new RunException.Conflict(stepKey + " of " + runId + " is not waiting for a confirmation"));
    if (itemsChecked < checklist.size()) {
      throw new IllegalArgumentException("tick every item of the checklist before confirming (" + itemsChecked
          + " of " + checklist.size() + " ticked)");
    }
    events.publishEvent(new RunAudit("STEP_CONFIRMED", actor.name(), runId, actor.name() + " confirmed " + stepKey,
        Map.of("step", stepKey, "checklist", String.join(" | ", checklist))));
    AfterCommit.run(() -> confirmations.confirm(runId, stepKey, actor.name()));
    return get(runId);
  }

  public Run get(String runId) {
    return store.run(runId).orElseThrow(() -> new RunException.NotFound("there is no run " + runId));
  }

  public List<Run> recent(int max) {
    return store.recent(max);
  }

  public List<Run> active() {
    return store.inStates(List.of(Run.State.CREATED, Run.State.AWAITING_APPROVAL, Run.State.RUNNING,
        Run.State.PAUSED, Run.State.NEEDS_DECISION, Run.State.FAILED));
  }

  public List<RunPhase> phases(String runId) {
    return store.phases(runId);
  }

  public List<RunStep> steps(String runId) {
    return store.steps(runId);
  }

  public List<Approval> approvals(String runId) {
    return store.approvals(runId);
  }

  public List<UndoRecord> undoRecords(String runId) {
    return store.undoRecords(runId);
  }

  /** The figures the run's steps measured, by name. */
  public Map<String, Long> figures(String runId) {
    return store.figures(runId);
  }

  /** The checklist of a manual step that waits now, if it does. */
  public List<String> pendingChecklist(String runId, String stepKey) {
    return confirmations.checklist(runId, stepKey).orElse(List.of());
  }

  /**
   * Phases the actor could approve now: runs waiting or ahead of time, phases not started, no
   * standing decision for the current plan version, and the actor neither requester nor asker.
   */
  public List<PendingApproval> approvableBy(Actor actor) {
    List<PendingApproval> found = new ArrayList<>();
    if (!actor.has(Role.APPROVER)) {
      return found;
    }
    for (Run run : active()) {
      if (run.requester().equals(actor.name())) {
        continue;
      }
      Plan plan = plans.get(run.planId());
      List<Approval> approvals = store.approvals(run.id());
      for (RunPhase phase : store.phases(run.id())) {
        boolean decided = approvals.stream().anyMatch(a -> a.standing() && a.phaseId().equals(phase.phaseId())
            && a.planHash().equals(plan.hash()));
        if (phase.state() == RunPhase.State.PENDING && !decided && !phase.requestedBy().equals(actor.name())) {
          found.add(new PendingApproval(run, phase.phaseId(),
              run.state() == Run.State.AWAITING_APPROVAL && phase.phaseId().equals(run.phaseId())));
        }
      }
    }
    return found;
  }

  /**
   * A phase an approver could approve.
   *
   * @param run the run
   * @param phaseId the phase
   * @param blocking the run is waiting for exactly this approval now
   */
  public record PendingApproval(Run run, String phaseId, boolean blocking) {}

  private Run locked(String runId) {
    return store.lock(runId).orElseThrow(() -> new RunException.NotFound("there is no run " + runId));
  }

  private RunPhase phase(Run run, String phaseId) {
    return store.phases(run.id()).stream().filter(p -> p.phaseId().equals(phaseId)).findFirst()
        .orElseThrow(() -> new RunException.NotFound(run.id() + " has no phase " + phaseId));
  }

  private RunStep step(Run run, String stepKey) {
    return store.steps(run.id()).stream().filter(s -> s.key().equals(stepKey)).findFirst()
        .orElseThrow(() -> new RunException.NotFound(run.id() + " has no step " + stepKey
            + " (steps are named phase.step)"));
  }

  private RunStep stoppedStep(Run run, String stepKey, String done) {
    RunStep step = step(run, stepKey);
    if (!run.state().isStoppedOnStep()) {
      throw new RunException.Conflict(run.id() + " is " + run.state() + "; a step is " + done
          + " only when the run stopped on it (FAILED or NEEDS_DECISION)");
    }
    if (step.state() != RunStep.State.FAILED && step.state() != RunStep.State.INTERRUPTED) {
      throw new RunException.Conflict(stepKey + " is " + step.state() + "; only the failed or interrupted step can be "
          + done);
    }
    return step;
  }

  private void kickAfterCommit(String runId) {
    AfterCommit.run(() -> engine.kick(runId));
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
