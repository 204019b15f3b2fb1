package io.lockstep.run;

import static io.lockstep.run.Run.State.ABORTED;
import static io.lockstep.run.Run.State.AWAITING_APPROVAL;
import static io.lockstep.run.Run.State.CREATED;
import static io.lockstep.run.Run.State.FAILED;
import static io.lockstep.run.Run.State.NEEDS_DECISION;
import static io.lockstep.run.Run.State.PAUSED;
import static io.lockstep.run.Run.State.RUNNING;
import static io.lockstep.run.Run.State.SUCCEEDED;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A run of a plan, with its phases and steps: the aggregate whose state changes only through the
 * guarded moves below. Each move checks the current state against one transition table
 * ({@link Move}), refuses the wrong one with a message naming it ({@link RunException.Conflict}),
 * changes the run in memory and returns the past-tense event ({@link RunEvent}) that says what
 * happened. The store then writes the change with a compare-and-set on the run's version, and the
 * event is published in the same transaction (audit, log) and after it (pages, notifications).
 *
 * <p>While an on-demand action is under way ({@link #actionId()}) no move but its end is allowed:
 * the run stands still — no pause, no abort, no step — until the action has ended.
 *
 * <p>Accessors are public for pages and the API; the moves are package-private: only the use cases
 * ({@link Runs}) and the engine make them. Not thread-safe: one transaction holds one instance.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE)
public final class Run {

  /** The run's states. FAILED and NEEDS_DECISION wait for an operator: retry, skip or abort. */
  public enum State {
    CREATED, AWAITING_APPROVAL, RUNNING, PAUSED, NEEDS_DECISION, FAILED, SUCCEEDED, ABORTED;

    static final Set<State> FINAL = Set.of(SUCCEEDED, ABORTED);

    public boolean isFinal() {
      return FINAL.contains(this);
    }

    /** Stopped on a step, waiting for an operator's retry, skip or abort. */
    public boolean isStoppedOnStep() {
      return this == FAILED || this == NEEDS_DECISION;
    }
  }

  /**
   * The transition table: every move a run makes, the run states it may start from and, for a move
   * of one step, the step states it may start from. Nothing else changes a run's or a step's state.
   */
  enum Move {
    /** CREATED → AWAITING_APPROVAL at the first phase. */
    AWAIT_FIRST_APPROVAL("wait for approval", EnumSet.of(CREATED)),
    /** AWAITING_APPROVAL → RUNNING: the phase starts with the plan version approved for it. */
    START_PHASE("start a phase", EnumSet.of(AWAITING_APPROVAL)),
    /** RUNNING → AWAITING_APPROVAL: the plan changed while the run stood in the phase. */
    HOLD_FOR_APPROVAL("wait for approval of the new plan version", EnumSet.of(RUNNING)),
    /** RUNNING or AWAITING_APPROVAL → RUNNING: the phase goes on with the newer plan version approved. */
    CONTINUE_PHASE("continue a phase with a new plan version", EnumSet.of(RUNNING, AWAITING_APPROVAL)),
    /** Step PENDING → RUNNING (one more attempt). */
    START_STEP("start a step", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.PENDING)),
    /** Step RUNNING → PENDING: an attempt failed and another follows. */
    RETRY_ATTEMPT("start another attempt", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.RUNNING)),
    /** Step PENDING → WAITING: a manual checkpoint waits for an operator; nothing runs. */
    AWAIT_CONFIRMATION("wait for a confirmation", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.PENDING)),
    /** Step WAITING → SUCCEEDED. */
    CONFIRM_STEP("confirm a step", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.WAITING)),
    /** Step RUNNING → SUCCEEDED. */
    SUCCEED_STEP("end a step", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.RUNNING)),
    /** Step PENDING, RUNNING or WAITING → FAILED; the run → FAILED. */
    FAIL_STEP("fail a step", EnumSet.of(RUNNING),
        EnumSet.of(RunStep.State.PENDING, RunStep.State.RUNNING, RunStep.State.WAITING)),
    /** Step PENDING → SKIPPED: its condition is false. */
    PASS_OVER_STEP("pass over a step", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.PENDING)),
    /** RUNNING → AWAITING_APPROVAL of the next phase, or SUCCEEDED after the last. */
    END_PHASE("end a phase", EnumSet.of(RUNNING)),
    /** Step RUNNING → PENDING after a restart: it is repeatable. */
    RESUME_STEP("run a step again after a restart", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.RUNNING)),
    /** Step RUNNING → INTERRUPTED after a restart; the run → NEEDS_DECISION. */
    INTERRUPT_STEP("stop at a step a restart interrupted", EnumSet.of(RUNNING), EnumSet.of(RunStep.State.RUNNING)),
    /** Sets the pause flag; CREATED or AWAITING_APPROVAL → PAUSED at once. */
    REQUEST_PAUSE("pause", EnumSet.of(CREATED, AWAITING_APPROVAL, RUNNING)),
    /** RUNNING or AWAITING_APPROVAL → PAUSED at a step boundary, as asked. */
    PAUSE("pause", EnumSet.of(AWAITING_APPROVAL, RUNNING)),
    /** PAUSED → RUNNING (inside a phase) or AWAITING_APPROVAL; RUNNING: the pause asked for is withdrawn. */
    RESUME("resume", EnumSet.of(PAUSED, RUNNING)),
    /** Step FAILED or INTERRUPTED → PENDING; the run → RUNNING. */
    RETRY_STEP("retry a step", EnumSet.of(FAILED, NEEDS_DECISION),
        EnumSet.of(RunStep.State.FAILED, RunStep.State.INTERRUPTED)),
    /** Step FAILED or INTERRUPTED → SKIPPED; the run → RUNNING. */
    SKIP_STEP("skip a step", EnumSet.of(FAILED, NEEDS_DECISION),
        EnumSet.of(RunStep.State.FAILED, RunStep.State.INTERRUPTED)),
    /** Any state that is not final → ABORTED; the phase and step under way → ABORTED. */
    ABORT("abort", EnumSet.of(CREATED, AWAITING_APPROVAL, RUNNING, PAUSED, NEEDS_DECISION, FAILED)),
    /** CREATED, AWAITING_APPROVAL or RUNNING → FAILED: the engine cannot move the run on. */
    FAIL_RUN("fail", EnumSet.of(CREATED, AWAITING_APPROVAL, RUNNING)),
    /**
     * A plan edit switches phases not started off (PENDING → SKIPPED) or on again (SKIPPED →
     * PENDING); the run stands still or, when the phase it waits at is switched off, waits at the
     * next one instead.
     */
    SWITCH_PHASES("switch phases by the plan", EnumSet.of(CREATED, AWAITING_APPROVAL, RUNNING, PAUSED, NEEDS_DECISION,
        FAILED)),
    /** A stopped run gets an on-demand action under way; it does not move until the action ends. */
    START_ACTION("run an action", ACTION_STATES),
    /** The action under way ended (or a restart interrupted it); the run's state is unchanged. */
    END_ACTION("end an action", ACTION_STATES);

    final String verb;
    final Set<State> from;
    final Set<RunStep.State> stepFrom;

    Move(String verb, Set<State> from) {
      this(verb, from, Set.of());
    }

    Move(String verb, Set<State> from, Set<RunStep.State> stepFrom) {
      this.verb = verb;
      this.from = Collections.unmodifiableSet(from);
      this.stepFrom = stepFrom.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(stepFrom));
    }

    /** Whether the move may start from these states (the step's: null for a move of the run). */
    boolean allows(State state, RunStep.State step) {
      return from.contains(state) && (stepFrom.isEmpty() || stepFrom.contains(step));
    }
  }

  /** The states in which an on-demand action may run: no step is under way. */
  static final Set<State> ACTION_STATES =
      Collections.unmodifiableSet(EnumSet.of(AWAITING_APPROVAL, PAUSED, NEEDS_DECISION, FAILED, ABORTED));

  private final String id;
  private final String planId;
  private final String procedureId;
  private final String requester;
  private State state;
  private String phaseId;
  private String stepId;
  @JsonIgnore
  private String message;
  private boolean pauseRequested;
  /** Who asked for the pause the run is in or on its way to; null when none (or asked before it was kept). */
  private String pausedBy;
  /** When the run stopped for that pause; null while it is on its way, or not paused. */
  private Instant pausedAt;
  private final Instant createdAt;
  private Instant startedAt;
  private Instant endedAt;
  private Instant updatedAt;
  private String actionId;
  @JsonIgnore
  private ActionAttempt actionStarted;
  @JsonIgnore
  private ActionAttempt actionEnded;
  @JsonIgnore
  private final long version;
  @JsonIgnore
  private final List<RunPhase> phases;
  @JsonIgnore
  private final List<RunStep> steps;
  @JsonIgnore
  private final Set<String> changedPhases = new LinkedHashSet<>();
  @JsonIgnore
  private final Set<String> changedSteps = new LinkedHashSet<>();
  @JsonIgnore
  private final Set<String> clearedFacts = new LinkedHashSet<>();
  @JsonIgnore
  private boolean changed;

  /** A run as stored (the store's constructor). */
  Run(String id, String planId, String procedureId, String requester, State state, String phaseId, String stepId,
      String message, boolean pauseRequested, Instant createdAt, Instant startedAt, Instant endedAt,
      Instant updatedAt, long version, List<RunPhase> phases, List<RunStep> steps) {
    this(id, planId, procedureId, requester, state, phaseId, stepId, message, pauseRequested, createdAt, startedAt,
        endedAt, updatedAt, null, version, phases, steps);
  }

  /** A run as stored, with the on-demand action under way ({@code actionId}, null when none). */
  Run(String id, String planId, String procedureId, String requester, State state, String phaseId, String stepId,
      String message, boolean pauseRequested, Instant createdAt, Instant startedAt, Instant endedAt,
      Instant updatedAt, String actionId, long version, List<RunPhase> phases, List<RunStep> steps) {
    this.id = id;
    this.planId = planId;
    this.procedureId = procedureId;
    this.requester = requester;
    this.state = state;
    this.phaseId = phaseId;
    this.stepId = stepId;
    this.message = message;
    this.pauseRequested = pauseRequested;
    this.createdAt = createdAt;
    this.startedAt = startedAt;
    this.endedAt = endedAt;
    this.updatedAt = updatedAt;
    this.actionId = actionId;
    this.version = version;
    this.phases = new ArrayList<>(phases);
    this.steps = new ArrayList<>(steps);
  }

  /**
   * A new run of {@code plan}, CREATED, with every phase of the procedure PENDING (SKIPPED when
   * the plan switches it off) and requested by the requester, and every step PENDING.
   *
   * @param layout the procedure's phases in order, each with its step ids in order
   * @throws IllegalArgumentException the plan switches every phase off
   */
  static Run request(String id, Plan plan, String requester, List<PhaseLayout> layout, Instant at) {
    List<RunPhase> phases = new ArrayList<>();
    List<RunStep> steps = new ArrayList<>();
    int stepOrdinal = 0;
    for (int i = 0; i < layout.size(); i++) {
      PhaseLayout phase = layout.get(i);
      phases.add(new RunPhase(id, phase.id(), i, phase.off() ? RunPhase.State.SKIPPED : RunPhase.State.PENDING,
          requester, null, null, null, null));
      for (String step : phase.steps()) {
        steps.add(RunStep.pending(id, phase.id(), step, stepOrdinal++));
      }
    }
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("a run needs at least one phase");
    }
    if (phases.stream().allMatch(RunPhase::skipped)) {
      throw new IllegalArgumentException("the plan switches every phase off: there is nothing to run");
    }
    return new Run(id, plan.id(), plan.procedureId(), requester, CREATED, null, null, null, false, at, null, null,
        at, 0, phases, steps);
  }

  /**
   * A phase of the procedure as a run lays it out: its id, its steps' ids in order, and whether the
   * plan switches it off (its {@code when} is false).
   */
  record PhaseLayout(String id, List<String> steps, boolean off) {

    PhaseLayout(String id, List<String> steps) {
      this(id, steps, false);
    }
  }

  /** The events of the phases a new run starts with switched off by its plan: audited once, at the request. */
  List<RunEvent.PhaseSkippedByPlan> skippedAtRequest(java.util.function.Function<String, String> conditionOf) {
    return phases.stream().filter(RunPhase::skipped)
        .map(p -> new RunEvent.PhaseSkippedByPlan(RunEvent.SYSTEM, id, p.phaseId(), conditionOf.apply(p.phaseId())))
        .toList();
  }

  // ---- the moves

  /** CREATED → AWAITING_APPROVAL at the first phase. */
  RunEvent.PhaseAwaitingApproval awaitFirstApproval(Instant at) {
    require(Move.AWAIT_FIRST_APPROVAL);
    RunPhase first = phases.stream().filter(p -> !p.skipped()).findFirst().orElseThrow(
        () -> refused(Move.AWAIT_FIRST_APPROVAL, "the plan switches every phase off", "run.refusal.everyPhaseOff"));
    moveTo(AWAITING_APPROVAL, first.phaseId(), null, waitingMessage(first.phaseId()), at);
    return new RunEvent.PhaseAwaitingApproval(id, first.phaseId());
  }

  /**
   * Starts the phase the run waits at with {@code plan}, for which {@code approval} approved it.
   *
   * @throws RunException.Conflict the run does not wait at a phase not yet started, or the
   *     approval is not a standing approval of this phase for exactly this plan version
   */
  RunEvent.PhaseStarted startPhase(Plan plan, Approval approval, String phaseName, Instant at) {
    require(Move.START_PHASE);
    requireNoAction(Move.START_PHASE);
    RunPhase phase = currentPhase();
    if (phase.state() != RunPhase.State.PENDING) {
      throw refused(Move.START_PHASE, "phase " + phase.phaseId() + " is " + phase.state(), "run.refusal.phaseIs",
          RunMessage.phase(phase.phaseId()), RunMessage.word("phase.state." + phase.state().name()));
    }
    requireApproval(phase.phaseId(), plan, approval);
    replace(phase.start(plan.version(), plan.hash(), at));
    moveTo(RUNNING, phase.phaseId(), null, null, at);
    return new RunEvent.PhaseStarted(id, phase.phaseId(), phaseName, plan.version(), plan.hash(), approval.actor());
  }

  /**
   * The plan changed while the run stood in its phase: the run waits until the rest of the phase
   * is approved for {@code plan}. Only between steps.
   */
  RunEvent.PhaseHeldForApproval holdForApproval(Plan plan, Instant at) {
    require(Move.HOLD_FOR_APPROVAL);
    RunPhase phase = runningPhase(Move.HOLD_FOR_APPROVAL);
    requireNoStepUnderWay(Move.HOLD_FOR_APPROVAL);
    if (plan.hash().equals(phase.planHash())) {
      throw refused(Move.HOLD_FOR_APPROVAL, "phase " + phase.phaseId() + " already runs with plan version "
          + plan.version(), "run.refusal.phaseRunsVersion", RunMessage.phase(phase.phaseId()),
          RunMessage.text(plan.version()));
    }
    endWaits();
    moveTo(AWAITING_APPROVAL, phase.phaseId(), null, keyed("run.message.newPlanVersion", RunMessage.text(plan.version()),
        RunMessage.phase(phase.phaseId())), at);
    return new RunEvent.PhaseHeldForApproval(id, phase.phaseId(), phase.planVersion(), plan.version(), plan.hash());
  }

  /** The phase under way goes on with {@code plan}, approved for it by {@code approval}. Only between steps. */
  RunEvent.PhaseContinued continuePhase(Plan plan, Approval approval, Instant at) {
    require(Move.CONTINUE_PHASE);
    requireNoAction(Move.CONTINUE_PHASE);
    RunPhase phase = runningPhase(Move.CONTINUE_PHASE);
    requireNoStepUnderWay(Move.CONTINUE_PHASE);
    requireApproval(phase.phaseId(), plan, approval);
    int previous = phase.planVersion() == null ? 0 : phase.planVersion();
    replace(phase.withPlan(plan.version(), plan.hash()));
    moveTo(RUNNING, phase.phaseId(), null, null, at);
    return new RunEvent.PhaseContinued(id, phase.phaseId(), previous, plan.version(), plan.hash(), approval.actor());
  }

  /**
   * Starts the first attempt at the next step of the phase under way. Refused unless the run is
   * RUNNING at this instant, no other step is under way, no pause was asked for, and {@code step}
   * is the first step of the phase not yet done.
   *
   * @param planVersion the plan version the step's params were resolved with: the phase's
   * @param attempt which attempt of the step's series this is (1 for the first)
   */
  RunEvent.StepStarted startStep(String stepKey, int planVersion, int attempt, StepFacts facts, Instant at) {
    RunStep step = step(stepKey, Move.START_STEP);
    requireNoAction(Move.START_STEP);
    if (pauseRequested) {
      throw refused(Move.START_STEP, "a pause was asked for", "run.refusal.pauseAsked");
    }
    requireNext(step, Move.START_STEP);
    RunPhase phase = runningPhase(Move.START_STEP);
    if (phase.planVersion() == null || phase.planVersion() != planVersion) {
      throw refused(Move.START_STEP, "phase " + phase.phaseId() + " runs with plan version " + phase.planVersion()
          + ", not " + planVersion, "run.refusal.phaseRunsOtherVersion", RunMessage.phase(phase.phaseId()),
          RunMessage.text(phase.planVersion()), RunMessage.text(planVersion));
    }
    if (step.waitingForNextAttempt() && at.isBefore(step.nextAttemptAt())) {
      throw refused(Move.START_STEP, "its next attempt starts at " + step.nextAttemptAt(), "run.refusal.nextAttemptAt",
          RunMessage.text(step.nextAttemptAt()));
    }
    RunStep started = step.start(at);
    replaceStep(started);
    clearedFacts.add(step.key());
    moveTo(RUNNING, phaseId, step.stepId(), null, at);
    return new RunEvent.StepStarted(id, step.key(), facts.name(), facts.type(), started.attempt(), facts.attempts(),
        facts.repeatable(), facts.timeout());
  }

  /**
   * An attempt at the step under way failed and another follows at once: the step waits (PENDING)
   * for its next attempt, which {@link #startStep} starts.
   */
  RunEvent.StepAttemptFailed failAttempt(String stepKey, int attempt, String error, String stepName, Instant at) {
    return failAttempt(stepKey, attempt, 0, error, stepName, at, at);
  }

  /**
   * An attempt at the step under way failed and another follows at {@code next}: the step waits
   * (PENDING, no thread holds it) until then; {@link #startStep} refuses to start it earlier.
   *
   * @param attempts how many attempts the step may take in all; 0 when not known
   */
  RunEvent.StepAttemptFailed failAttempt(String stepKey, int attempt, int attempts, String error, String stepName,
      Instant at, Instant next) {
    RunStep step = step(stepKey, Move.RETRY_ATTEMPT);
    if (next.isBefore(at)) {
      throw new IllegalArgumentException("the next attempt cannot start before the failed one ended");
    }
    replaceStep(step.attemptFailed(error, at, next));
    moveTo(RUNNING, phaseId, step.stepId(), null, at);
    return new RunEvent.StepAttemptFailed(id, step.key(), stepName, attempt, attempts, step.took(at).toMillis(), error,
        next, java.time.Duration.between(at, next).toMillis());
  }

  /** The next step is a manual checkpoint: it waits for an operator to tick {@code checklist}. */
  RunEvent.StepAwaitingConfirmation awaitConfirmation(String stepKey, String instructions, List<String> checklist,
      Instant at) {
    RunStep step = step(stepKey, Move.AWAIT_CONFIRMATION);
    requireNoAction(Move.AWAIT_CONFIRMATION);
    if (pauseRequested) {
      throw refused(Move.AWAIT_CONFIRMATION, "a pause was asked for", "run.refusal.pauseAsked");
    }
    requireNext(step, Move.AWAIT_CONFIRMATION);
    replaceStep(step.awaitConfirmation(checklist, at));
    clearedFacts.add(step.key());
    moveTo(RUNNING, phaseId, step.stepId(), null, at);
    return new RunEvent.StepAwaitingConfirmation(id, step.key(), instructions, List.copyOf(checklist));
  }

  /**
   * An operator confirms the waiting checkpoint, having ticked {@code itemsChecked} items.
   *
   * @throws IllegalArgumentException fewer items ticked than the checklist has
   */
  RunEvent.StepConfirmed confirm(String stepKey, String actor, int itemsChecked, Instant at) {
    RunStep step = step(stepKey, Move.CONFIRM_STEP);
    if (itemsChecked < step.checklist().size()) {
      throw new RefusedInput("tick every item of the checklist before confirming (" + itemsChecked
          + " of " + step.checklist().size() + " ticked)", RunMessage.of("run.refusal.unticked",
              RunMessage.text(itemsChecked), RunMessage.text(step.checklist().size())));
    }
    String summary = step.checklist().isEmpty() ? keyed("run.step.confirmedBy", RunMessage.text(actor))
        : keyed("run.step.confirmedByItems", RunMessage.text(actor), RunMessage.text(step.checklist().size()));
    replaceStep(step.end(RunStep.State.SUCCEEDED, summary, at));
    moveTo(RUNNING, phaseId, null, null, at);
    return new RunEvent.StepConfirmed(actor, id, step.key(), step.checklist());
  }

  /** The attempt under way succeeded with {@code summary} (masked). */
  RunEvent.StepSucceeded succeedStep(String stepKey, String summary, String stepName, Instant at) {
    RunStep step = step(stepKey, Move.SUCCEED_STEP);
    replaceStep(step.end(RunStep.State.SUCCEEDED, summary, at));
    moveTo(RUNNING, phaseId, null, null, at);
    // events (webhooks, the live page's log, notifications) carry the English; the step keeps the keyed summary
    return new RunEvent.StepSucceeded(id, step.key(), stepName, step.took(at).toMillis(),
        summary == null ? null : RunMessage.decode(summary).english(), step.lastExit(),
        step.lastAction());
  }

  /** The step failed for good ({@code error}, masked): the run stops for an operator. */
  RunEvent.StepFailed failStep(String stepKey, String error, String stepName, Instant at) {
    RunStep step = step(stepKey, Move.FAIL_STEP);
    replaceStep(step.end(RunStep.State.FAILED, error, at));
    RunEvent.StepFailed event = new RunEvent.StepFailed(id, step.key(), stepName, error, step.lastExit(),
        step.lastAction());
    moveTo(FAILED, phaseId, step.stepId(), keyed("run.message.stepFailed", RunMessage.step(step.key()),
        RunMessage.text(error)), at);
    return event;
  }

  /** The step's condition is false: it is passed over. */
  RunEvent.StepNotRun passOver(String stepKey, String condition, Instant at) {
    RunStep step = step(stepKey, Move.PASS_OVER_STEP);
    requireNext(step, Move.PASS_OVER_STEP);
    replaceStep(step.end(RunStep.State.SKIPPED, keyed("run.step.notRun", RunMessage.text(condition)), at));
    touch(at);
    return new RunEvent.StepNotRun(id, step.key(), condition);
  }

  /**
   * Ends the phase under way, every step of it done: the run waits for the next phase's approval,
   * or succeeded after the last.
   */
  RunEvent endPhase(Instant at) {
    require(Move.END_PHASE);
    RunPhase phase = runningPhase(Move.END_PHASE);
    List<RunStep> open = stepsOf(phase.phaseId()).stream()
        .filter(s -> s.state() != RunStep.State.SUCCEEDED && s.state() != RunStep.State.SKIPPED).toList();
    if (!open.isEmpty()) {
      throw refused(Move.END_PHASE, "step " + open.get(0).key() + " is " + open.get(0).state(), "run.refusal.stepIs",
          RunMessage.step(open.get(0).key()), RunMessage.word("step.state." + open.get(0).state().name()));
    }
    replace(phase.end(RunPhase.State.SUCCEEDED, at));
    Optional<RunPhase> next = nextPhaseAfter(phases.indexOf(currentPhase()));
    if (next.isPresent()) {
      moveTo(AWAITING_APPROVAL, next.get().phaseId(), null, waitingMessage(next.get().phaseId()), at);
      return new RunEvent.PhaseSucceeded(id, phase.phaseId());
    }
    moveTo(SUCCEEDED, null, null, null, at);
    return new RunEvent.RunSucceeded(id, phase.phaseId());
  }

  /** The first phase after position {@code index} that the plan does not switch off. */
  private Optional<RunPhase> nextPhaseAfter(int index) {
    return phases.subList(index + 1, phases.size()).stream().filter(p -> !p.skipped()).findFirst();
  }

  /**
   * The plan was edited: of the phases the run has not reached yet (and the one it waits at, not
   * started), those in {@code off} are switched off (SKIPPED) and the others switched on again
   * (PENDING). A phase the run has passed keeps its state: the run does not go back. When the phase
   * the run waits at is switched off, it waits at the next phase switched on instead.
   *
   * @param off the ids of the phases whose {@code when} is false for the edited plan
   * @return what changed, in order; empty when nothing did
   * @throws RunException.Conflict every phase left would be switched off
   */
  List<RunEvent> switchPhases(Set<String> off, java.util.function.Function<String, String> conditionOf,
      String actor, Instant at) {
    require(Move.SWITCH_PHASES);
    int current = phaseId == null ? -1 : phases.indexOf(currentPhase());
    boolean currentNotStarted = current >= 0 && phases.get(current).state() == RunPhase.State.PENDING;
    int from = currentNotStarted ? current : current + 1;
    List<RunPhase> ahead = phases.subList(from, phases.size());
    if (!ahead.isEmpty() && ahead.stream().allMatch(p -> off.contains(p.phaseId()))
        && (current < 0 || currentNotStarted)) {
      throw refused(Move.SWITCH_PHASES, "the plan would switch off every phase left; abort the run instead",
          "run.refusal.lastPhasesOff");
    }
    boolean anyChange = ahead.stream().anyMatch(p -> off.contains(p.phaseId())
        ? p.state() == RunPhase.State.PENDING : p.skipped());
    if (anyChange) {
      // an action under way holds the run still: the edit waits until it has ended
      requireNoAction(Move.SWITCH_PHASES);
    }
    List<RunEvent> changes = new ArrayList<>();
    for (RunPhase phase : List.copyOf(ahead)) {
      boolean switchOff = off.contains(phase.phaseId());
      if (switchOff && phase.state() == RunPhase.State.PENDING) {
        replace(phase.switchedTo(RunPhase.State.SKIPPED));
        changes.add(new RunEvent.PhaseSkippedByPlan(actor, id, phase.phaseId(), conditionOf.apply(phase.phaseId())));
      } else if (!switchOff && phase.skipped()) {
        replace(phase.switchedTo(RunPhase.State.PENDING));
        changes.add(new RunEvent.PhaseSwitchedOn(actor, id, phase.phaseId(), conditionOf.apply(phase.phaseId())));
      }
    }
    if (currentNotStarted && phases.get(current).skipped()) {
      RunPhase next = nextPhaseAfter(current).orElseThrow();
      String text = state == AWAITING_APPROVAL ? waitingMessage(next.phaseId()) : message;
      moveTo(state, next.phaseId(), null, text, at);
      if (state == AWAITING_APPROVAL) {
        changes.add(new RunEvent.PhaseAwaitingApproval(id, next.phaseId()));
      }
    } else if (!changes.isEmpty()) {
      touch(at);
    }
    return changes;
  }

  /** After a restart: the step that was under way is repeatable and runs again. */
  RunEvent.StepResumed resumeAfterRestart(String stepKey, Instant at) {
    RunStep step = step(stepKey, Move.RESUME_STEP);
    replaceStep(step.reset());
    moveTo(RUNNING, phaseId, null, null, at);
    return new RunEvent.StepResumed(id, step.key(), step.attempts());
  }

  /**
   * After a restart: the step that was under way is not repeatable, so it is not run again by
   * itself; the run waits for a person's decision, told the last action and exit status recorded.
   */
  RunEvent.StepInterrupted interruptedByRestart(String stepKey, Instant at) {
    RunStep step = step(stepKey, Move.INTERRUPT_STEP);
    RunMessage said = RunMessage.of("run.message.interrupted", RunMessage.step(step.key()),
        orNoneRecorded(step.lastAction()), orNoneRecorded(step.lastExit()));
    String message = said.english();
    replaceStep(step.end(RunStep.State.INTERRUPTED, keyed("run.step.interrupted"), at));
    moveTo(NEEDS_DECISION, phaseId, step.stepId(), RunMessage.encode(said), at);
    return new RunEvent.StepInterrupted(id, step.key(), orNone(step.lastAction()), orNone(step.lastExit()), message);
  }

  /** An operator asks for a pause: at once while waiting for approval, else at the next step boundary. */
  RunEvent.PauseRequested requestPause(String actor, Instant at) {
    require(Move.REQUEST_PAUSE);
    requireNoAction(Move.REQUEST_PAUSE);
    if (!pauseRequested || pausedBy == null) {
      pausedBy = actor; // the first who asked: a second request changes nothing of the pause
    }
    pauseRequested = true;
    if (state == RUNNING) {
      touch(at);
      return new RunEvent.PauseRequested(actor, id, false);
    }
    pausedAt = at;
    moveTo(PAUSED, phaseId, null, keyed("run.message.pausedBy", RunMessage.text(pausedBy)), at);
    return new RunEvent.PauseRequested(actor, id, true);
  }

  /** The engine stops the run at a step or phase boundary, as asked. */
  RunEvent.RunPaused pause(String why, Instant at) {
    require(Move.PAUSE);
    requireNoAction(Move.PAUSE);
    if (!pauseRequested) {
      throw refused(Move.PAUSE, "nobody asked for a pause", "run.refusal.nobodyPaused");
    }
    requireNoStepUnderWay(Move.PAUSE);
    endWaits();
    pausedAt = at;
    moveTo(PAUSED, phaseId, null, why, at);
    return new RunEvent.RunPaused(id, RunMessage.decode(why).english());
  }

  /** Lets a paused run go on, or withdraws a pause asked for and not yet reached. */
  RunEvent.RunResumed resume(String actor, Instant at) {
    require(Move.RESUME);
    requireNoAction(Move.RESUME);
    if (state == RUNNING && !pauseRequested) {
      throw refused(Move.RESUME, "it is not paused", "run.refusal.notPaused");
    }
    pauseRequested = false;
    pausedBy = null;
    pausedAt = null;
    if (state == PAUSED) {
      boolean inPhase = phases.stream().anyMatch(p -> p.state() == RunPhase.State.RUNNING);
      moveTo(inPhase ? RUNNING : AWAITING_APPROVAL, phaseId, null, inPhase ? null : waitingMessage(phaseId), at);
    } else {
      touch(at);
    }
    return new RunEvent.RunResumed(actor, id);
  }

  /** An operator runs the failed or interrupted step again. */
  RunEvent.StepRetried retry(String stepKey, String actor, Instant at) {
    RunStep step = step(stepKey, Move.RETRY_STEP);
    requireNoAction(Move.RETRY_STEP);
    requireStoppedAt(step, Move.RETRY_STEP);
    replaceStep(step.reset());
    moveTo(RUNNING, phaseId, null, null, at);
    return new RunEvent.StepRetried(actor, id, step.key(), step.state().name());
  }

  /** An approver skips the failed or interrupted step, with {@code reason}. */
  RunEvent.StepSkipped skip(String stepKey, String actor, String reason, Instant at) {
    RunStep step = step(stepKey, Move.SKIP_STEP);
    requireNoAction(Move.SKIP_STEP);
    requireStoppedAt(step, Move.SKIP_STEP);
    replaceStep(step.end(RunStep.State.SKIPPED, keyed("run.step.skippedBy", RunMessage.text(actor), RunMessage.text(reason)), at));
    moveTo(RUNNING, phaseId, null, null, at);
    return new RunEvent.StepSkipped(actor, id, step.key(), reason, step.state().name());
  }

  /**
   * The first of two approvers signs the override of a failed guard, with {@code reason}: the step
   * stays FAILED until a second, other approver signs ({@link #overrideGuard}). Who may sign is the
   * use case's to check (roles, four-eyes); the aggregate refuses a second signature of the same
   * person and a signature on a step that already has one.
   */
  RunEvent.GuardOverrideSigned signOverride(String stepKey, String actor, String reason, Instant at) {
    RunStep step = step(stepKey, Move.SKIP_STEP);
    requireNoAction(Move.SKIP_STEP);
    requireStoppedAt(step, Move.SKIP_STEP);
    if (step.overrideBy() != null) {
      throw step.overrideBy().equals(actor)
          ? refused(Move.SKIP_STEP, actor + " already signed the override of " + stepKey + "; a second approver must sign",
              "run.refusal.overrideSignedByYou", RunMessage.text(actor), RunMessage.step(stepKey))
          : refused(Move.SKIP_STEP, "the override of " + stepKey + " is already signed by " + step.overrideBy()
              + "; a second signature completes it", "run.refusal.overrideSigned", RunMessage.step(stepKey),
              RunMessage.text(step.overrideBy()));
    }
    replaceStep(step.overrideSigned(actor, reason));
    touch(at);
    return new RunEvent.GuardOverrideSigned(actor, id, step.key(), reason);
  }

  /**
   * A second approver completes the override of a failed guard that another approver signed: the
   * step is SKIPPED, both names and reasons in its summary.
   */
  RunEvent.GuardOverridden overrideGuard(String stepKey, String actor, String reason, Instant at) {
    RunStep step = step(stepKey, Move.SKIP_STEP);
    requireNoAction(Move.SKIP_STEP);
    requireStoppedAt(step, Move.SKIP_STEP);
    if (step.overrideBy() == null) {
      throw refused(Move.SKIP_STEP, "nobody signed the override of " + stepKey + " yet", "run.refusal.overrideUnsigned",
          RunMessage.step(stepKey));
    }
    if (step.overrideBy().equals(actor)) {
      throw refused(Move.SKIP_STEP, actor + " already signed the override of " + stepKey
          + "; a second approver must sign", "run.refusal.overrideSignedByYou", RunMessage.text(actor),
          RunMessage.step(stepKey));
    }
    String summary = keyed("run.step.guardOverridden", RunMessage.text(step.overrideBy()),
        RunMessage.text(step.overrideReason()), RunMessage.text(actor), RunMessage.text(reason));
    replaceStep(step.end(RunStep.State.SKIPPED, summary, at));
    moveTo(RUNNING, phaseId, null, null, at);
    return new RunEvent.GuardOverridden(actor, id, step.key(), step.overrideBy(), step.overrideReason(), reason,
        step.state().name());
  }

  /**
   * The plan was edited by {@code actor}: a signature on the override of a failed guard was given
   * for the version the guard refused (and its signer may now be an author), so it is void, as an
   * approval is. Null when no step has one.
   */
  RunEvent.GuardOverrideVoided voidOverrideSignature(String actor, String why, Instant at) {
    for (RunStep step : List.copyOf(steps)) {
      if (step.overrideBy() != null) {
        replaceStep(step.overrideSigned(null, null));
        touch(at);
        return new RunEvent.GuardOverrideVoided(actor, id, step.key(), step.overrideBy(), step.overrideReason(), why);
      }
    }
    return null;
  }

  /** Ends the run for good: the phase under way and the step under way, if any, are ABORTED. */
  RunEvent.RunAborted abort(String actor, String reason, Instant at) {
    require(Move.ABORT);
    requireNoAction(Move.ABORT);
    State before = state;
    String at0 = stepId == null ? "" : phaseId + "." + stepId;
    for (RunPhase phase : List.copyOf(phases)) {
      if (phase.state() == RunPhase.State.RUNNING) {
        replace(phase.end(RunPhase.State.ABORTED, at));
      }
    }
    for (RunStep step : List.copyOf(steps)) {
      if (step.state() == RunStep.State.RUNNING || step.state() == RunStep.State.WAITING) {
        replaceStep(step.end(RunStep.State.ABORTED, keyed("run.step.abortedBy", RunMessage.text(actor)), at));
      } else if (step.waitingForNextAttempt()) {
        replaceStep(step.end(RunStep.State.ABORTED, keyed("run.step.abortedWaiting", RunMessage.text(actor),
            RunMessage.text(step.attempt() + 1)), at));
      } else if (step.overrideBy() != null) {
        replaceStep(step.overrideSigned(null, null)); // a signature is for one failure
      }
    }
    String why = reason == null || reason.isBlank() ? null : reason.strip();
    pauseRequested = false;
    pausedBy = null;
    pausedAt = null;
    moveTo(ABORTED, phaseId, stepId, why == null ? keyed("run.message.abortedBy", RunMessage.text(actor))
        : keyed("run.message.abortedByBecause", RunMessage.text(actor), RunMessage.text(why)), at);
    return new RunEvent.RunAborted(actor, id, why, before.name(), at0.isEmpty() ? null : at0);
  }

  /** The engine cannot move the run on ({@code why}); the step under way, if any, fails with it. */
  RunEvent.RunFailed fail(String why, Instant at) {
    require(Move.FAIL_RUN);
    requireNoAction(Move.FAIL_RUN);
    for (RunStep step : List.copyOf(steps)) {
      if (step.state() == RunStep.State.RUNNING || step.state() == RunStep.State.WAITING
          || step.waitingForNextAttempt()) {
        replaceStep(step.end(RunStep.State.FAILED, why, at));
      }
    }
    moveTo(FAILED, phaseId, stepId, why, at);
    return new RunEvent.RunFailed(id, RunMessage.decode(why).english());
  }

  /**
   * An on-demand action starts on the stopped run: {@code actor} asked for it; the run does not
   * move until it has ended.
   */
  RunEvent.ActionStarted startAction(String action, String actionName, String actor, Instant at) {
    require(Move.START_ACTION);
    requireNoAction(Move.START_ACTION);
    actionId = action;
    actionStarted = new ActionAttempt(action, actor, ActionAttempt.State.RUNNING, at, null, null);
    touch(at);
    return new RunEvent.ActionStarted(actor, id, action, actionName, state.name());
  }

  /**
   * The action under way ended: {@code failure} null when it succeeded, else why not (masked).
   *
   * @param summary what it did, or what it was doing when it failed
   */
  RunEvent endAction(String action, String actor, String summary, String failure, Instant at) {
    require(Move.END_ACTION);
    if (!action.equals(actionId)) {
      throw actionId == null ? refused(Move.END_ACTION, "no action is under way", "run.refusal.noActionUnderWay")
          : refused(Move.END_ACTION, "action " + actionId + " is under way, not " + action,
              "run.refusal.otherActionUnderWay", RunMessage.text(actionId), RunMessage.text(action));
    }
    actionId = null;
    actionEnded = new ActionAttempt(action, actor, failure == null ? ActionAttempt.State.SUCCEEDED
        : ActionAttempt.State.FAILED, null, at, failure == null ? summary : failure);
    touch(at);
    return failure == null ? new RunEvent.ActionSucceeded(actor, id, action, summary)
        : new RunEvent.ActionFailed(actor, id, action, failure);
  }

  /** After a restart: the action that was under way was cut off; a person may run it again. */
  RunEvent.ActionInterrupted interruptAction(Instant at) {
    require(Move.END_ACTION);
    if (actionId == null) {
      throw refused(Move.END_ACTION, "no action is under way", "run.refusal.noActionUnderWay");
    }
    String action = actionId;
    actionId = null;
    actionEnded = new ActionAttempt(action, null, ActionAttempt.State.INTERRUPTED, null, at,
        "interrupted by a console restart");
    touch(at);
    return new RunEvent.ActionInterrupted(id, action);
  }

  /** Sets the message people see while the run waits (no move); true when it changed. */
  boolean say(String text) {
    if (java.util.Objects.equals(text, message) || isFinal()) {
      return false;
    }
    message = text;
    changed = true;
    return true;
  }

  // ---- reading

  public String id() {
    return id;
  }

  public String planId() {
    return planId;
  }

  public String procedureId() {
    return procedureId;
  }

  /**
   * Who asked for the pause the run is in (or will be in at the next step boundary); null when it
   * is not paused, or was paused before who asked was kept with the run.
   */
  public String pausedBy() {
    return pausedBy;
  }

  /** When the run stopped for its pause; null while it is on its way to it, or not paused. */
  public Instant pausedAt() {
    return pausedAt;
  }

  /** The pause as stored (the store's reading of its row): who asked for it and when the run stopped. */
  Run pausedAs(String by, Instant at) {
    pausedBy = by;
    pausedAt = at;
    return this;
  }

  /** Who asked for the run; never approves its phases. */
  public String requester() {
    return requester;
  }

  public State state() {
    return state;
  }

  /** The phase it is at (waiting for approval or running); null before the first and after the last. */
  public String phaseId() {
    return phaseId;
  }

  /** The step running or stopped at; null between steps. */
  public String stepId() {
    return stepId;
  }

  /**
   * Why it waits or stopped, in English with ids (logs, notifications, the API's {@code run.message});
   * pages show {@link #said()} in the reader's language. Null when there is nothing to say.
   */
  @com.fasterxml.jackson.annotation.JsonProperty("message")
  public String message() {
    return message == null ? null : RunMessage.decode(message).english();
  }

  /** Why it waits or stopped, as a message key and arguments; null when there is nothing to say. */
  @JsonIgnore
  public RunMessage said() {
    return RunMessage.decode(message);
  }

  /** The message as stored (a {@link RunMessage} as JSON, or a sentence from before). */
  String storedMessage() {
    return message;
  }

  /** An operator asked it to stop at the next step boundary. */
  public boolean pauseRequested() {
    return pauseRequested;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** When its first phase started; null before. */
  public Instant startedAt() {
    return startedAt;
  }

  /** When it succeeded or was aborted; null before. */
  public Instant endedAt() {
    return endedAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /** The on-demand action under way; null when none. */
  public String actionId() {
    return actionId;
  }

  /** The version the run was read at: the store writes a change only if it is still the stored one. */
  long version() {
    return version;
  }

  /** The phases in order. */
  public List<RunPhase> phases() {
    return Collections.unmodifiableList(phases);
  }

  /** The steps in the procedure's order. */
  public List<RunStep> steps() {
    return Collections.unmodifiableList(steps);
  }

  public Optional<RunPhase> phase(String phase) {
    return phases.stream().filter(p -> p.phaseId().equals(phase)).findFirst();
  }

  /** The step named {@code phase.step}. */
  public Optional<RunStep> step(String key) {
    return steps.stream().filter(s -> s.key().equals(key)).findFirst();
  }

  /** The steps of one phase, in order. */
  public List<RunStep> stepsOf(String phase) {
    return steps.stream().filter(s -> s.phaseId().equals(phase)).toList();
  }

  /** The step under way (RUNNING or WAITING), if any. */
  public Optional<RunStep> stepUnderWay() {
    return steps.stream().filter(RunStep::underWay).findFirst();
  }

  public boolean isFinal() {
    return state.isFinal();
  }

  /** When requested, as {@code 2026-11-28 22:01:05Z}. */
  public String createdAtUtc() {
    return RunDetails.utc(createdAt);
  }

  // ---- for the store

  /** The action attempt that started since the run was read, if one did. */
  ActionAttempt actionStarted() {
    return actionStarted;
  }

  /** The action attempt that ended since the run was read, if one did. */
  ActionAttempt actionEnded() {
    return actionEnded;
  }

  /** Whether the run's own row changed since it was read. */
  boolean rowChanged() {
    return changed;
  }

  /** The phases changed since the run was read. */
  List<RunPhase> changedPhases() {
    return phases.stream().filter(p -> changedPhases.contains(p.phaseId())).toList();
  }

  /** The steps changed since the run was read. */
  List<RunStep> changedSteps() {
    return steps.stream().filter(s -> changedSteps.contains(s.key())).toList();
  }

  /** Whether a new attempt of the step started: the facts of the last one (action, exits) are cleared. */
  boolean factsCleared(String stepKey) {
    return clearedFacts.contains(stepKey);
  }

  @Override
  public String toString() {
    return id + " " + state + (phaseId == null ? "" : " at " + phaseId + (stepId == null ? "" : "." + stepId));
  }

  // ---- guards

  private void require(Move move) {
    if (!move.from.contains(state)) {
      throw refused(move, id + " is " + state, "run.refusal.runIs", RunMessage.word("run.state." + state.name()));
    }
  }

  /** The step {@code key} of the current phase, checked against the move's states. */
  private RunStep step(String key, Move move) {
    require(move);
    RunStep step = step(key).orElseThrow(() -> new RunException.NotFound(id + " has no step " + key
        + " (steps are named phase.step)", RunMessage.of("run.refusal.noStep", RunMessage.text(id),
            RunMessage.text(key))));
    if (!step.phaseId().equals(phaseId)) {
      throw refused(move, "step " + key + " is not in phase " + phaseId + ", where " + id + " is",
          "run.refusal.stepNotInPhase", RunMessage.step(key), phaseId == null ? RunMessage.text(null)
              : RunMessage.phase(phaseId));
    }
    if (!move.allows(state, step.state())) {
      throw refused(move, "step " + key + " is " + step.state(), "run.refusal.stepIs", RunMessage.step(key),
          RunMessage.word("step.state." + step.state().name()));
    }
    return step;
  }

  private void requireNext(RunStep step, Move move) {
    requireNoStepUnderWay(move);
    RunStep next = stepsOf(step.phaseId()).stream().filter(s -> s.state() == RunStep.State.PENDING).findFirst()
        .orElseThrow();
    if (!next.key().equals(step.key())) {
      throw refused(move, "step " + next.key() + " comes first", "run.refusal.comesFirst", RunMessage.step(next.key()));
    }
  }

  private void requireNoAction(Move move) {
    if (actionId != null) {
      throw refused(move, "action " + actionId + " is under way; the run waits until it has ended",
          "run.refusal.actionUnderWay", RunMessage.text(actionId));
    }
  }

  private void requireNoStepUnderWay(Move move) {
    stepUnderWay().ifPresent(s -> {
      throw refused(move, "step " + s.key() + " is " + s.state(), "run.refusal.stepIs", RunMessage.step(s.key()),
          RunMessage.word("step.state." + s.state().name()));
    });
  }

  private void requireStoppedAt(RunStep step, Move move) {
    if (stepId == null || !step.stepId().equals(stepId)) {
      throw stepId == null
          ? refused(move, id + " stopped at no step, not at " + step.key(), "run.refusal.stoppedAtNoStep",
              RunMessage.step(step.key()))
          : refused(move, id + " stopped at " + phaseId + "." + stepId + ", not at " + step.key(),
              "run.refusal.stoppedAt", RunMessage.step(phaseId + "." + stepId), RunMessage.step(step.key()));
    }
  }

  private RunPhase currentPhase() {
    return phase(phaseId).orElseThrow(() -> new IllegalStateException(id + " is at no phase"));
  }

  private RunPhase runningPhase(Move move) {
    RunPhase phase = currentPhase();
    if (phase.state() != RunPhase.State.RUNNING) {
      throw refused(move, "phase " + phase.phaseId() + " is " + phase.state(), "run.refusal.phaseIs",
          RunMessage.phase(phase.phaseId()), RunMessage.word("phase.state." + phase.state().name()));
    }
    return phase;
  }

  private void requireApproval(String phase, Plan plan, Approval approval) {
    if (approval == null || !approval.standing() || approval.decision() != Approval.Decision.APPROVED
        || !approval.phaseId().equals(phase) || !approval.runId().equals(id) || !approval.planHash().equals(plan.hash())) {
      throw new RunException.Conflict("phase " + phase + " of " + id + " is not approved for plan version "
          + plan.version() + " " + plan.shortHash(), RunMessage.of("run.refusal.notApproved", RunMessage.phase(phase),
              RunMessage.text(id), RunMessage.text(plan.version()), RunMessage.text(plan.shortHash())));
    }
  }

  /**
   * A move refused, also as a key for pages: {@code key}'s text takes the move ({0}, by its
   * {@code run.refusal.move.*} word), the run ({1}) and then {@code args}.
   */
  private RunException.Conflict refused(Move move, String why, String key, RunMessage.Arg... args) {
    RunMessage.Arg[] all = new RunMessage.Arg[args.length + 2];
    all[0] = RunMessage.word("run.refusal.move." + move.name());
    all[1] = RunMessage.text(id);
    System.arraycopy(args, 0, all, 2, args.length);
    return new RunException.Conflict("cannot " + move.verb + " of " + id + ": " + why, RunMessage.of(key, all));
  }

  // ---- changes

  private void moveTo(State to, String phase, String step, String text, Instant at) {
    state = to;
    phaseId = phase;
    stepId = step;
    message = text;
    if (to == RUNNING && startedAt == null) {
      startedAt = at;
    }
    if (to.isFinal()) {
      endedAt = at;
    }
    touch(at);
  }

  /** A step waiting between two attempts stops waiting: a later start begins a new series. */
  private void endWaits() {
    for (RunStep step : List.copyOf(steps)) {
      if (step.waitingForNextAttempt()) {
        replaceStep(step.reset());
      }
    }
  }

  private void touch(Instant at) {
    updatedAt = at;
    changed = true;
  }

  private void replace(RunPhase phase) {
    phases.replaceAll(p -> p.phaseId().equals(phase.phaseId()) ? phase : p);
    changedPhases.add(phase.phaseId());
  }

  private void replaceStep(RunStep step) {
    steps.replaceAll(s -> s.key().equals(step.key()) ? step : s);
    changedSteps.add(step.key());
  }

  static String waitingMessage(String phase) {
    return keyed("run.message.waiting", RunMessage.phase(phase));
  }

  /** A message as stored: its key and arguments ({@link RunMessage}). */
  static String keyed(String key, RunMessage.Arg... args) {
    return RunMessage.encode(RunMessage.of(key, args));
  }

  private static RunMessage.Arg orNoneRecorded(String text) {
    return text == null || text.isBlank() ? RunMessage.word("run.message.noneRecorded") : RunMessage.text(text);
  }

  private static String orNone(String text) {
    return text == null || text.isBlank() ? "none recorded" : text;
  }

  /**
   * What the events of a step say about it besides its state: its name, executor type, how many
   * attempts it may take, whether it is repeatable, its timeout.
   */
  record StepFacts(String name, String type, int attempts, boolean repeatable, String timeout) {

    static StepFacts of(io.lockstep.procedure.Step step, Duration timeout) {
      return new StepFacts(step.name(null), step.type(), step.retry().attempts(), step.repeatable(),
          timeout == null ? "" : timeout.toString());
    }
  }

  /**
   * One attempt at an on-demand action, as the store keeps it.
   *
   * @param action the action's id
   * @param actor who asked for it; null when it is not known (an attempt a restart ended)
   * @param state where it is
   * @param startedAt when it started; null on an end
   * @param endedAt when it ended; null while it runs
   * @param summary what it did, or why it failed
   */
  record ActionAttempt(String action, String actor, State state, Instant startedAt, Instant endedAt,
      String summary) {

    enum State { RUNNING, SUCCEEDED, FAILED, INTERRUPTED }
  }

  /** The ids of the steps in {@code state}, for messages. */
  String stepsIn(RunStep.State state) {
    return steps.stream().filter(s -> s.state() == state).map(RunStep::key).collect(Collectors.joining(", "));
  }
}
