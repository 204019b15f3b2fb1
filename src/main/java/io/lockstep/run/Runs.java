package io.lockstep.run;

import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.Role;
import io.lockstep.system.SecretMasker;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

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
  private final RunMoves moves;
  private final Plans plans;
  private final RunEngine engine;
  private final RunLog runLog;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final Refusals refusals;
  private final PhasePreviews previews;
  private final SecretMasker masker;

  Runs(RunStore store, RunMoves moves, Plans plans, RunEngine engine, RunLog runLog, ApplicationEventPublisher events,
      Clock clock, Refusals refusals, PhasePreviews previews, SecretMasker masker) {
    this.masker = masker;
    this.refusals = refusals;
    this.previews = previews;
    this.store = store;
    this.moves = moves;
    this.plans = plans;
    this.engine = engine;
    this.runLog = runLog;
    this.events = events;
    this.clock = clock;
  }

  /**
   * What a person wrote about a run (a comment, a reason) as the run keeps it: masked in the run's
   * scope, so that a password or an API token pasted into it is stored, shown and audited nowhere.
   */
  private String said(String runId, String text) {
    return text == null ? null : masker.forRun(runId).mask(text);
  }

  /** Requests a run of the plan's current version; its first phase then waits for approval. */
  public Run request(Actor actor, String planId) {
    return refusals.inTransaction(Refusals.about(actor, "request a run of plan " + planId, null, planId),
        () -> requested(actor, planId));
  }

  private Run requested(Actor actor, String planId) {
    actor.require(Role.OPERATOR, "request a run", "run.refusal.do.requestRun");
    if (planId == null || planId.isBlank()) {
      throw new RefusedInput("planId is required: the plan to run", RunMessage.of("run.refusal.planIdRequired"));
    }
    Plan plan = plans.get(planId);
    Procedure procedure = plans.procedure(plan.procedureId());
    if (!procedure.contentHash().equals(plan.procedureHash())) {
      throw new RunException.Conflict("procedure " + procedure.id() + " changed since plan " + planId
          + " was saved; open the plan and save it again so that approvers see what will run",
          RunMessage.of("run.refusal.procedureChanged", RunMessage.text(procedure.id()), RunMessage.text(planId)));
    }
    plans.bound(plan, procedure);
    for (Run other : store.ofPlan(planId)) {
      if (!other.isFinal()) {
        throw new RunException.Conflict("plan " + planId + " already has run " + other.id() + " (" + other.state()
            + "); a plan runs once at a time", RunMessage.of("run.refusal.planHasRun", RunMessage.text(planId),
                RunMessage.text(other.id()), RunMessage.word("run.state." + other.state().name())));
      }
    }
    String id = store.nextId();
    java.util.Set<String> off = plans.phasesOff(plan, procedure, id, actor.name());
    List<Run.PhaseLayout> layout = procedure.phases().stream()
        .map(p -> new Run.PhaseLayout(p.id(), p.steps().stream().map(Step::id).toList(), off.contains(p.id())))
        .toList();
    Run run = Run.request(id, plan, actor.name(), layout, clock.instant());
    store.insert(run);
    events.publishEvent(new RunEvent.RunRequested(actor.name(), run.id(), procedure.id(), procedure.name(),
        procedure.contentHash(), planId, plan.version(), plan.hash()));
    run.skippedAtRequest(phase -> Plans.condition(procedure, phase)).forEach(events::publishEvent);
    kickAfterCommit(run.id());
    return run;
  }

  /**
   * Approves a phase for the plan version the approver reviewed. Allowed before the phase starts,
   * also ahead of the phase the run is at, to an APPROVER who is not the run's requester, not the
   * operator who asked for the phase and not the author of any version of the plan (four-eyes), and
   * only while the phase's preview shows no problem.
   *
   * @param planHash the plan version the approver reviewed; required, and refused when it is no
   *     longer current, so nobody approves what they have not seen
   */
  public Approval approve(Actor actor, String runId, String phaseId, String comment, String planHash) {
    return refusals.inTransaction(Refusals.about(actor, "approve phase " + phaseId, runId, null),
        () -> decide(actor, runId, phaseId, comment, planHash, Approval.Decision.APPROVED));
  }

  /**
   * Rejects a phase (a comment is required); the run waits until the plan is edited or it is
   * aborted. The same people as for an approval may reject, for a named plan version.
   */
  public Approval reject(Actor actor, String runId, String phaseId, String comment, String planHash) {
    return refusals.inTransaction(Refusals.about(actor, "reject phase " + phaseId, runId, null), () -> {
      if (comment == null || comment.isBlank()) {
        throw new RefusedInput("a rejection says why: the comment is required",
            RunMessage.of("run.refusal.rejectionComment"));
      }
      return decide(actor, runId, phaseId, comment, planHash, Approval.Decision.REJECTED);
    });
  }

  private Approval decide(Actor actor, String runId, String phaseId, String comment, String planHash,
      Approval.Decision decision) {
    String verb = decision == Approval.Decision.APPROVED ? "approve" : "reject";
    actor.require(Role.APPROVER, verb + " a phase", "run.refusal.do." + verb + "Phase");
    Run run = locked(runId);
    RunPhase phase = phase(run, phaseId);
    RunMessage.Arg deed = RunMessage.word("run.refusal.do." + verb);
    if (actor.name().equals(run.requester())) {
      throw new RunException.NotAllowed(actor.name() + " requested " + runId + " and may not " + verb
          + " its phases: a second person must (four-eyes)", RunMessage.of("run.refusal.requesterDecides",
              RunMessage.text(actor.name()), RunMessage.text(runId), deed));
    }
    if (actor.name().equals(phase.requestedBy())) {
      throw new RunException.NotAllowed(actor.name() + " asked for phase " + phaseId + " and may not " + verb
          + " it: a second person must (four-eyes)", RunMessage.of("run.refusal.phaseRequesterDecides",
              RunMessage.text(actor.name()), RunMessage.phase(phaseId), deed));
    }
    if (run.isFinal()) {
      throw new RunException.Conflict(runId + " is " + run.state() + "; nothing is left to " + verb,
          RunMessage.of("run.refusal.nothingLeft", RunMessage.text(runId),
              RunMessage.word("run.state." + run.state().name()), deed));
    }
    if (planHash == null || planHash.isBlank()) {
      throw new RefusedInput("an approval names the plan version reviewed: planHash is required (the"
          + " run page sends it; GET /api/runs/" + runId + " gives the current one as plan.hash)",
          RunMessage.of("run.refusal.planHashRequired", RunMessage.text(runId)));
    }
    Plan plan = plans.get(run.planId());
    FourEyes.requireNotAuthor(actor, plans.authors(run.planId()), run.planId(), verb + " a phase of " + runId,
        "run.refusal.do." + verb, runId);
    if (phase.skipped()) {
      String condition = Plans.condition(plans.procedure(run.procedureId()), phaseId);
      throw new RunException.Conflict("phase " + phaseId + " of " + runId + " is skipped by the plan ("
          + condition + " is false): there is nothing to " + verb
          + "; an edit of the plan that switches it on makes it wait for approval again",
          RunMessage.of("run.refusal.phaseSkippedByPlan", RunMessage.phase(phaseId), RunMessage.text(runId),
              RunMessage.text(condition), deed));
    }
    boolean goesOnWithNewVersion = phase.state() == RunPhase.State.RUNNING && !plan.hash().equals(phase.planHash());
    if (phase.state() != RunPhase.State.PENDING && !goesOnWithNewVersion) {
      throw new RunException.Conflict("phase " + phaseId + " of " + runId + " has already started with plan version "
          + phase.planVersion() + "; approvals are given before a phase starts, or for the rest of a phase when the"
          + " plan was corrected while the run stood in it", RunMessage.of("run.refusal.phaseStarted",
              RunMessage.phase(phaseId), RunMessage.text(runId), RunMessage.text(phase.planVersion())));
    }
    if (!plan.hash().equals(planHash.strip())) {
      throw new RunException.Conflict("the plan changed since it was reviewed: it is now version " + plan.version()
          + " (" + plan.shortHash() + "), not " + abbreviate(planHash.strip()) + ". Review the phase again.",
          RunMessage.of("run.refusal.planChanged", RunMessage.text(plan.version()), RunMessage.text(plan.shortHash()),
              RunMessage.text(abbreviate(planHash.strip()))));
    }
    for (Approval standing : store.approvals(runId)) {
      if (standing.standing() && standing.phaseId().equals(phaseId) && standing.planHash().equals(plan.hash())) {
        throw new RunException.Conflict("phase " + phaseId + " was already " + standing.decision().name().toLowerCase()
            + " by " + standing.actor() + " for this plan version", RunMessage.of("run.refusal.alreadyDecided",
                RunMessage.phase(phaseId), RunMessage.word("approval.decision." + standing.decision().name()),
                RunMessage.text(standing.actor())));
      }
    }
    String text = comment == null || comment.isBlank() ? "" : comment.strip();
    if (text.length() > MAX_COMMENT) {
      throw new RefusedInput("a comment has at most " + MAX_COMMENT + " characters",
          RunMessage.of("run.refusal.commentTooLong", RunMessage.text(MAX_COMMENT)));
    }
    requirePlainText(text, "a comment", "run.refusal.commentNotPlain");
    if (decision == Approval.Decision.APPROVED) {
      PhasePreview preview = previews.of(run, plan, phaseId, java.util.Locale.ROOT);
      if (!preview.clean()) {
        throw new RunException.Conflict("phase " + phaseId + " of " + runId + " cannot be approved: its preview shows a"
            + " problem (" + preview.problems() + "). Correct the plan, then review the phase again.",
            RunMessage.of("run.refusal.previewProblem", RunMessage.phase(phaseId), RunMessage.text(runId),
                RunMessage.text(preview.problems())));
      }
    }
    text = said(runId, text);
    Approval approval = new Approval(0, runId, phaseId, plan.hash(), decision, actor.name(), text, clock.instant(),
        null, null);
    approval = store.insertApproval(approval);
    events.publishEvent(new RunEvent.PhaseDecided(actor.name(), runId, phaseId, decision, plan.version(), plan.hash(),
        text));
    kickAfterCommit(runId);
    return approval;
  }

  /**
   * Asks the run to stop at the next step boundary. A run waiting for approval pauses at once.
   */
  public Run pause(Actor actor, String runId) {
    return refusals.inTransaction(Refusals.about(actor, "pause the run", runId, null), () -> {
      actor.require(Role.OPERATOR, "pause a run", "run.refusal.do.pauseRun");
      Run run = locked(runId);
      moves.store(run, run.requestPause(actor.name(), clock.instant()));
      kickAfterCommit(runId); // a step waiting for its next attempt is at a boundary: the run pauses now
      return run;
    });
  }

  /** Lets a paused run go on (or cancels a pause not yet reached). */
  public Run resume(Actor actor, String runId) {
    return refusals.inTransaction(Refusals.about(actor, "resume the run", runId, null), () -> {
      actor.require(Role.OPERATOR, "resume a run", "run.refusal.do.resumeRun");
      Run run = locked(runId);
      moves.store(run, run.resume(actor.name(), clock.instant()));
      kickAfterCommit(runId);
      return run;
    });
  }

  /** Ends the run for good; a running step is interrupted (its command stopped). */
  public Run abort(Actor actor, String runId, String reason) {
    return refusals.inTransaction(Refusals.about(actor, "abort the run", runId, null),
        () -> aborted(actor, runId, reason));
  }

  private Run aborted(Actor actor, String runId, String reason) {
    actor.require(Role.OPERATOR, "abort a run", "run.refusal.do.abortRun");
    Run run = locked(runId);
    if (reason != null && reason.length() > MAX_COMMENT) {
      throw new RefusedInput("a reason has at most " + MAX_COMMENT + " characters",
          RunMessage.of("run.refusal.reasonTooLong", RunMessage.text(MAX_COMMENT)));
    }
    requirePlainText(reason, "a reason", "run.refusal.reasonNotPlain");
    moves.store(run, run.abort(actor.name(), said(runId, reason), clock.instant()));
    AfterCommit.run(() -> engine.cancelStep(runId));
    return run;
  }

  /** Runs a failed or interrupted step again (the operator's decision, audited). */
  public Run retry(Actor actor, String runId, String stepKey) {
    return refusals.inTransaction(Refusals.about(actor, "retry step " + stepKey, runId, null), () -> {
      actor.require(Role.OPERATOR, "retry a step", "run.refusal.do.retryStep");
      Run run = locked(runId);
      moves.store(run, run.retry(stepKey, actor.name(), clock.instant()));
      kickAfterCommit(runId);
      return run;
    });
  }

  /**
   * Skips a failed or interrupted step: an approver who neither requested the run nor wrote any
   * version of its plan decides, with a reason, since whatever the step should have done is then
   * not done.
   */
  public Run skip(Actor actor, String runId, String stepKey, String reason) {
    return refusals.inTransaction(Refusals.about(actor, "skip step " + stepKey, runId, null),
        () -> skipped(actor, runId, stepKey, reason));
  }

  private Run skipped(Actor actor, String runId, String stepKey, String reason) {
    Run run = mayDecideOnStep(actor, runId, "skip a step", "skip its steps", reason);
    if (isGuard(run, stepKey)) {
      throw new RunException.NotAllowed("step " + stepKey + " is a guard: its refusal protects the destructive step"
          + " after it, and one person may not skip it. Fix what it found and retry it, or abort the run; where a"
          + " site must override it, two approvers who neither requested the run nor wrote the plan each sign the"
          + " override with a reason (POST /api/runs/" + runId + "/steps/" + stepKey + "/override)",
          RunMessage.of("run.refusal.guardSkip", RunMessage.step(stepKey)));
    }
    moves.store(run, run.skip(stepKey, actor.name(), said(runId, reason.strip()), clock.instant()));
    kickAfterCommit(runId);
    return run;
  }

  /**
   * Signs the override of a failed guard. A guard's refusal is skipped only when two approvers sign,
   * each with a reason, neither of them the run's requester nor an author of the plan, and not the
   * same person twice: the first signature is kept with the step (audited, shown on the run page);
   * the second completes it and the step is skipped, both names in its summary. A retry or an abort
   * clears a signature: it is for one failure.
   */
  public Run override(Actor actor, String runId, String stepKey, String reason) {
    return refusals.inTransaction(Refusals.about(actor, "override guard " + stepKey, runId, null),
        () -> overridden(actor, runId, stepKey, reason));
  }

  private Run overridden(Actor actor, String runId, String stepKey, String reason) {
    Run run = mayDecideOnStep(actor, runId, "override a guard", "override its guards", reason);
    if (!isGuard(run, stepKey)) {
      throw new RunException.Conflict("step " + stepKey + " of " + runId + " is not a guard: an approver skips it"
          + " alone (POST /api/runs/" + runId + "/steps/" + stepKey + "/skip)",
          RunMessage.of("run.refusal.notGuard", RunMessage.step(stepKey), RunMessage.text(runId)));
    }
    RunStep step = run.step(stepKey).orElseThrow();
    String why = said(runId, reason.strip());
    if (step.overrideBy() == null) {
      moves.store(run, run.signOverride(stepKey, actor.name(), why, clock.instant()));
    } else {
      moves.store(run, run.overrideGuard(stepKey, actor.name(), why, clock.instant()));
      kickAfterCommit(runId);
    }
    return run;
  }

  /**
   * The run, locked, when the actor may decide on one of its failed steps: an approver who neither
   * requested the run nor wrote a version of its plan, giving a reason.
   */
  /** The key of the deed "skip a step" or "override a guard", as a refusal names it. */
  private static String stepDeed(String toDo) {
    return toDo.equals("skip a step") ? "run.refusal.do.skipStep" : "run.refusal.do.overrideGuard";
  }

  private Run mayDecideOnStep(Actor actor, String runId, String toDo, String toDoIts, String reason) {
    actor.require(Role.APPROVER, toDo, stepDeed(toDo));
    Run run = locked(runId);
    if (actor.name().equals(run.requester())) {
      throw new RunException.NotAllowed(actor.name() + " requested " + runId
          + " and may not " + toDoIts + ": a second person decides (four-eyes)",
          RunMessage.of("run.refusal.requesterDecidesStep", RunMessage.text(actor.name()), RunMessage.text(runId),
              RunMessage.word(stepDeed(toDo))));
    }
    FourEyes.requireNotAuthor(actor, plans.authors(run.planId()), run.planId(), toDo + " of " + runId,
        stepDeed(toDo), runId);
    if (reason == null || reason.isBlank()) {
      throw toDo.equals("skip a step")
          ? new RefusedInput("skipping a step needs a reason", RunMessage.of("run.refusal.skipReason"))
          : new RefusedInput("an override needs a reason", RunMessage.of("run.refusal.overrideReason"));
    }
    if (reason.length() > MAX_COMMENT) {
      throw new RefusedInput("a reason has at most " + MAX_COMMENT + " characters",
          RunMessage.of("run.refusal.reasonTooLong", RunMessage.text(MAX_COMMENT)));
    }
    requirePlainText(reason, "a reason", "run.refusal.reasonNotPlain");
    return run;
  }

  /**
   * Refuses what a person wrote (a comment, a reason) when it holds a control character other than
   * a line break or a tab, or a bidi control: PostgreSQL refuses a NUL (the move failed with a 500,
   * unaudited, where it runs on it), other controls garble the log, the audit and the PDF, and a
   * bidi control reorders the text around it on the run page (a status line such as "override
   * signed by ap1 (…); a second approver must sign" that reads otherwise than it is).
   */
  private static void requirePlainText(String text, String what, String key) {
    if (text == null) {
      return;
    }
    text.codePoints().filter(Runs::isRefusedInText).findFirst().ifPresent(c -> {
      String code = String.format("%04X", c);
      throw new RefusedInput(what + " may not hold control or bidi characters (U+" + code
          + "); write it as plain text", RunMessage.of(key, RunMessage.text(code)));
    });
  }

  private static boolean isRefusedInText(int c) {
    return Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t'
        || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x200E || c == 0x200F || c == 0x061C;
  }

  /** Whether the run's step is a guard of its procedure. */
  private boolean isGuard(Run run, String stepKey) {
    try {
      return plans.procedure(run.procedureId()).step(stepKey).map(Step::guard).orElse(false);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Confirms a manual checkpoint; every checklist item must be ticked. */
  public Run confirm(Actor actor, String runId, String stepKey, int itemsChecked) {
    return refusals.inTransaction(Refusals.about(actor, "confirm step " + stepKey, runId, null),
        () -> confirmed(actor, runId, stepKey, itemsChecked));
  }

  private Run confirmed(Actor actor, String runId, String stepKey, int itemsChecked) {
    actor.require(Role.OPERATOR, "confirm a checkpoint", "run.refusal.do.confirmCheckpoint");
    Run run = locked(runId);
    RunStep step = run.step(stepKey).orElseThrow(() -> new RunException.NotFound(runId + " has no step " + stepKey
        + " (steps are named phase.step)", RunMessage.of("run.refusal.noStep", RunMessage.text(runId),
            RunMessage.text(stepKey))));
    if (run.state() != Run.State.RUNNING || step.state() != RunStep.State.WAITING) {
      throw new RunException.Conflict(stepKey + " of " + runId + " is not waiting for a confirmation (the run is "
          + run.state() + ", the step " + step.state() + ")", RunMessage.of("run.refusal.notWaiting",
              RunMessage.step(stepKey), RunMessage.text(runId), RunMessage.word("run.state." + run.state().name()),
              RunMessage.word("step.state." + step.state().name())));
    }
    moves.store(run, run.confirm(stepKey, actor.name(), itemsChecked, clock.instant()));
    kickAfterCommit(runId);
    return run;
  }

  public Run get(String runId) {
    return store.run(runId).orElseThrow(() -> noRun(runId));
  }

  public List<Run> recent(int max) {
    return store.recent(max);
  }

  public List<Run> active() {
    return store.inStates(List.of(Run.State.CREATED, Run.State.AWAITING_APPROVAL, Run.State.RUNNING,
        Run.State.PAUSED, Run.State.NEEDS_DECISION, Run.State.FAILED));
  }

  public List<RunPhase> phases(String runId) {
    return get(runId).phases();
  }

  public List<RunStep> steps(String runId) {
    return get(runId).steps();
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
      if (run.requester().equals(actor.name()) || plans.authors(run.planId()).contains(actor.name())) {
        continue;
      }
      Plan plan = plans.get(run.planId());
      List<Approval> approvals = store.approvals(run.id());
      for (RunPhase phase : run.phases()) {
        boolean decided = approvals.stream().anyMatch(a -> a.standing() && a.phaseId().equals(phase.phaseId())
            && a.planHash().equals(plan.hash()));
        boolean open = phase.state() == RunPhase.State.PENDING
            || phase.state() == RunPhase.State.RUNNING && !plan.hash().equals(phase.planHash());
        if (open && !decided && !phase.requestedBy().equals(actor.name())) {
          found.add(new PendingApproval(run, phase.phaseId(),
              run.state() == Run.State.AWAITING_APPROVAL && phase.phaseId().equals(run.phaseId())));
        }
      }
    }
    return found;
  }

  /**
   * Manual checkpoints waiting for the actor to tick their checklist: every step WAITING in a run
   * that is RUNNING, when the actor may confirm it — as {@link #confirm} allows, any OPERATOR (the
   * run's requester and the other operators alike). The actor's own runs come first.
   */
  public List<WaitingStep> checklistsFor(Actor actor) {
    List<WaitingStep> found = new ArrayList<>();
    if (!actor.has(Role.OPERATOR)) {
      return found;
    }
    for (Run run : store.inStates(List.of(Run.State.RUNNING))) {
      run.stepUnderWay().filter(s -> s.state() == RunStep.State.WAITING)
          .ifPresent(step -> found.add(new WaitingStep(run, step, run.requester().equals(actor.name()))));
    }
    found.sort(java.util.Comparator.comparing((WaitingStep w) -> !w.requestedByActor()));
    return found;
  }

  /**
   * A manual checkpoint waiting for an operator's confirmation.
   *
   * @param run the run, RUNNING
   * @param step the step, WAITING
   * @param requestedByActor the person asked about requested the run
   */
  public record WaitingStep(Run run, RunStep step, boolean requestedByActor) {}

  /**
   * A phase an approver could approve.
   *
   * @param run the run
   * @param phaseId the phase
   * @param blocking the run is waiting for exactly this approval now
   */
  public record PendingApproval(Run run, String phaseId, boolean blocking) {}

  private Run locked(String runId) {
    return store.lock(runId).orElseThrow(() -> noRun(runId));
  }

  private RunPhase phase(Run run, String phaseId) {
    return run.phase(phaseId)
        .orElseThrow(() -> new RunException.NotFound(run.id() + " has no phase " + phaseId,
            RunMessage.of("run.refusal.noPhase", RunMessage.text(run.id()), RunMessage.text(phaseId))));
  }

  /** The refusal of a request about a run that does not exist. */
  static RunException.NotFound noRun(String runId) {
    return new RunException.NotFound("there is no run " + runId, RunMessage.of("run.refusal.noRun",
        RunMessage.text(runId)));
  }

  private void kickAfterCommit(String runId) {
    AfterCommit.run(() -> engine.kick(runId));
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }
}
