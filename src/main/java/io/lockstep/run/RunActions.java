package io.lockstep.run;

import io.lockstep.procedure.Action;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A way back from every stop: the on-demand actions of a run's procedure, and what their read-only
 * checks say is down right now.
 *
 * <p>While a run is stopped (waiting for approval, paused, failed, waiting for a decision, or
 * aborted) a person may run one of its procedure's actions. A recovery action is offered once a
 * phase it takes back has started (and before a phase it names in {@code until}); it needs an
 * operator, or where the procedure says so an approver who did not request the run. The action
 * runs to its end before this answers — the answer says whether it worked, never "accepted" for
 * something that then fails unseen — and is stored, audited and logged as it goes; the run does
 * not move meanwhile.
 *
 * <p>The checks of the recovery actions that apply are run after every stop in downtime, after
 * every action, and whenever someone asks; what they found is kept with the run, so that the run
 * page, the API and the dashboard say plainly what is down even after a restart, and an aborted
 * run is never shown as if the platform were healthy.
 */
@Service
public class RunActions implements DisposableBean {

  static final String UP = "UP";
  static final String DOWN = "DOWN";

  private final RunStore store;
  private final RunMoves moves;
  private final Plans plans;
  private final RunEngine engine;
  private final io.lockstep.logstream.RunLog runLog;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Refusals refusals;
  /** Looks after stops, one at a time and one per run waiting at most (a burst of stops looks once). */
  private final ExecutorService looking = Executors.newSingleThreadExecutor(r -> daemon(r, "run-recovery-look"));
  /** Runs the checks of one look side by side; never the thread a look waits on. */
  private final ExecutorService checking = Executors.newCachedThreadPool(r -> daemon(r, "run-recovery-check"));
  private final java.util.Set<String> lookQueued = java.util.concurrent.ConcurrentHashMap.newKeySet();

  RunActions(RunStore store, RunMoves moves, Plans plans, RunEngine engine, io.lockstep.logstream.RunLog runLog,
      ApplicationEventPublisher events, TransactionTemplate tx, Clock clock, Refusals refusals) {
    this.refusals = refusals;
    this.runLog = runLog;
    this.store = store;
    this.moves = moves;
    this.plans = plans;
    this.engine = engine;
    this.events = events;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * What an action did.
   *
   * @param runId the run
   * @param action the action
   * @param summary what it did
   * @param recovery what the recovery checks found after it
   */
  public record ActionResult(String runId, String action, String summary, List<Recovery> recovery) {}

  /**
   * A recovery action of a run as people see it: whether it applies, who may run it, and what its
   * checks last found.
   *
   * @param action the action's id
   * @param name its name in the reader's language
   * @param description what it brings back
   * @param recovers whether it is a way back from a stop in downtime (it names phases); false for a
   *     plain on-demand action
   * @param offered whether it may be run now (the run is stopped and the action applies)
   * @param approver whether it needs an approver who did not request the run
   * @param checks what each of its checks last found; empty before the first look or when it has none
   * @param down whether any check found something down now
   */
  public record Recovery(String action, String name, String description, boolean recovers, boolean offered,
      boolean approver, List<CheckRecord> checks, boolean down) {

    /** Checks that found something down. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public List<CheckRecord> downChecks() {
      return checks.stream().filter(c -> DOWN.equals(c.state())).toList();
    }

    /** Its checks have not looked yet. */
    @com.fasterxml.jackson.annotation.JsonProperty("unchecked")
    public boolean unchecked() {
      return checks.isEmpty();
    }
  }

  /** The run's actions that apply now, in the procedure's order, with what their checks last found. */
  public List<Recovery> recovery(String runId, Locale locale) {
    Run run = run(runId);
    Procedure procedure = plans.procedure(run.procedureId());
    List<CheckRecord> found = store.checks(runId);
    List<Recovery> views = new ArrayList<>();
    for (Action action : procedure.actions()) {
      if (!applies(run, action)) {
        continue;
      }
      List<CheckRecord> checks = action.checks().stream()
          .map(c -> found.stream().filter(f -> f.action().equals(action.id()) && f.check().equals(c.id()))
              .findFirst().orElse(null))
          .filter(Objects::nonNull).toList();
      boolean offered = Run.ACTION_STATES.contains(run.state()) && run.actionId() == null;
      views.add(new Recovery(action.id(), action.name(locale), action.description(locale), action.recovers(), offered,
          action.approver(), checks, checks.stream().anyMatch(c -> DOWN.equals(c.state()))));
    }
    return views;
  }

  /** Every attempt at an action of the run, oldest first. */
  public List<ActionRecord> attempts(String runId) {
    return store.actionAttempts(runId);
  }

  /**
   * The runs that may have left the platform down: stopped or aborted after a phase a recovery
   * action takes back had started, and a check of it found something down or has not looked yet
   * (or, for a way back without checks, it has not run successfully).
   */
  public List<Run> needingRecovery() {
    return store.withAttention(Run.ACTION_STATES).stream().filter(this::needsAttention).toList();
  }

  /** The run stands stopped and a way back of it applies whose checks found something down or never looked. */
  private boolean needsAttention(Run run) {
    Procedure procedure = procedureOrNull(run);
    if (procedure == null || !Run.ACTION_STATES.contains(run.state())) {
      return false;
    }
    List<CheckRecord> checks = store.checks(run.id());
    List<ActionRecord> attempts = store.actionAttempts(run.id());
    return procedure.actions().stream().filter(a -> a.recovers() && applies(run, a))
        .anyMatch(a -> a.checks().isEmpty()
            ? attempts.stream().noneMatch(t -> t.action().equals(a.id()) && t.state().equals("SUCCEEDED"))
            : a.checks().stream().anyMatch(c -> checks.stream()
                .noneMatch(f -> f.action().equals(a.id()) && f.check().equals(c.id()) && UP.equals(f.state()))));
  }

  /** Marks the run for the dashboard while it needs attention, and unmarks it once it does not. */
  private void markAttention(String runId) {
    store.run(runId).ifPresent(run -> store.attention(runId, needsAttention(run) ? "RECOVERY" : null));
  }

  /**
   * Runs {@code actionId} on the stopped run to its end.
   *
   * @throws RunException.NotAllowed the actor lacks the role, or requested the run and the action
   *     needs a second person
   * @throws RunException.Conflict the run is not stopped, the action does not apply now, or
   *     another action is under way
   * @throws RunException.ActionFailed the action ran and failed: the message says how, and what it
   *     had done before
   */
  public ActionResult run(Actor actor, String runId, String actionId) {
    return refusals.recorded(Refusals.about(actor, "run the action " + actionId, runId, null),
        () -> ran(actor, runId, actionId));
  }

  private ActionResult ran(Actor actor, String runId, String actionId) {
    Run stopped = run(runId);
    Procedure procedure = plans.procedure(stopped.procedureId());
    Action action = procedure.action(actionId)
        .orElseThrow(() -> new RunException.NotFound(stopped.procedureId() + " has no action " + actionId,
            RunMessage.of("run.refusal.unknownAction", RunMessage.text(stopped.procedureId()),
                RunMessage.text(actionId))));
    if (!action.approver()) {
      actor.require(Role.OPERATOR, "run the action " + actionId, RunMessage.of("run.refusal.needsRoleForAction",
          RunMessage.text(actor.name()), RunMessage.text(actionId), RunMessage.word("role." + Role.OPERATOR.name())));
    } else {
      actor.require(Role.APPROVER, "run the action " + actionId + " (the procedure asks for an approver)",
          RunMessage.of("run.refusal.needsApproverForAction", RunMessage.text(actor.name()), RunMessage.text(actionId),
              RunMessage.word("role." + Role.APPROVER.name())));
      if (actor.name().equals(stopped.requester())) {
        throw new RunException.NotAllowed(actor.name() + " requested " + runId + " and may not run the action "
            + actionId + ": a second person must (four-eyes)", RunMessage.of("run.refusal.requesterAction",
                RunMessage.text(actor.name()), RunMessage.text(runId), RunMessage.text(action.name(null))));
      }
      FourEyes.requireNotAuthor(actor, plans.authors(stopped.planId()), stopped.planId(),
          "run the action " + actionId + " of " + runId, "run.refusal.do.action", runId);
    }
    boolean ended = stopped.isFinal();
    if (ended) {
      runLog.reopen(runId); // the way back of an aborted run is part of its log
    }
    Run started;
    try {
      started = tx.execute(status -> {
      Run run = store.lock(runId).orElseThrow(() -> Runs.noRun(runId));
      if (!Run.ACTION_STATES.contains(run.state())) {
        throw new RunException.Conflict(runId + " is " + run.state() + ": an action runs only while the run is stopped"
            + " (waiting for approval, paused, failed, waiting for a decision, or aborted)",
            RunMessage.of("run.refusal.actionNotStopped", RunMessage.text(runId),
                RunMessage.word("run.state." + run.state().name())));
      }
      if (!applies(run, action)) {
        throw new RunException.Conflict("the action " + actionId + " does not apply to " + runId + " now: "
            + whyNot(run, action), whyNotSaid(run, action, actionId));
      }
      moves.store(run, run.startAction(actionId, action.name(null), actor.name(), clock.instant()));
      return run;
      });
    } catch (RuntimeException e) {
      if (ended) {
        runLog.finish(runId);
      }
      throw e;
    }
    Plan plan = approvedPlan(started);
    RunEngine.ActionOutcome outcome;
    try {
      outcome = engine.executeAction(started, procedure, action, plan);
    } catch (RuntimeException e) {
      outcome = new RunEngine.ActionOutcome(null, "the action could not run: " + e.getMessage());
    }
    if (outcome == null) {
      throw new RunException.Conflict("the console is stopping; the action " + actionId + " was cut off and will"
          + " show as interrupted", RunMessage.of("run.refusal.consoleStopping", RunMessage.text(actionId)));
    }
    RunEngine.ActionOutcome result = outcome;
    moves.make(runId, r -> r.endAction(actionId, actor.name(), result.summary() == null ? "" : result.summary(),
        result.failure(), clock.instant()));
    if (ended) {
      runLog.finish(runId);
    }
    engine.kick(runId);
    List<Recovery> after = look(runId, Locale.ROOT);
    if (result.failure() != null) {
      throw new RunException.ActionFailed("the action " + actionId + " of " + runId + " failed: " + result.failure(),
          RunMessage.of("run.refusal.actionFailed", RunMessage.text(actionId), RunMessage.text(runId),
              RunMessage.text(result.failure())));
    }
    return new ActionResult(runId, actionId, result.summary(), after);
  }

  /**
   * Runs the checks of every recovery action that applies to the run now (they only read), keeps
   * what they found and returns the actions with it. Audited when what is down changed.
   *
   * @throws RunException.NotAllowed the actor is neither operator nor approver
   */
  public List<Recovery> checkNow(Actor actor, String runId, Locale locale) {
    if (!actor.has(Role.OPERATOR) && !actor.has(Role.APPROVER)) {
      throw new RunException.NotAllowed(actor.name() + " may not run the recovery checks: that needs the OPERATOR or"
          + " APPROVER role", RunMessage.of("run.refusal.recoveryChecksRole", RunMessage.text(actor.name())));
    }
    return look(runId, locale);
  }

  List<Recovery> look(String runId, Locale locale) {
    Run run = run(runId);
    Procedure procedure = procedureOrNull(run);
    if (procedure == null) {
      return List.of();
    }
    Plan plan = approvedPlan(run);
    Map<String, String> before = summary(store.checks(runId));
    Instant at = clock.instant();
    List<CompletableFuture<Void>> looks = new ArrayList<>();
    for (Action action : procedure.actions()) {
      if (!action.recovers() || !applies(run, action)) {
        continue;
      }
      for (Step check : action.checks()) {
        looks.add(CompletableFuture.runAsync(() -> {
          String down = engine.check(run, procedure, plan, action, check);
          // two looks at one run (a person's and the background's) may put the same check at
          // once: the run's row lock orders them, so the second updates what the first inserted
          tx.executeWithoutResult(status -> {
            store.lock(runId);
            store.putCheck(runId, action.id(), check.id(), down == null ? UP : DOWN, down, at);
          });
        }, checking));
      }
    }
    looks.forEach(CompletableFuture::join);
    markAttention(runId);
    Map<String, String> now = summary(store.checks(runId));
    if (!now.equals(before)) {
      List<String> down = now.entrySet().stream().filter(e -> e.getValue() != null).map(e -> e.getKey() + ": "
          + e.getValue()).toList();
      tx.executeWithoutResult(status -> events.publishEvent(new RunAudit("RECOVERY_CHECKED", RunEvent.SYSTEM, runId,
          down.isEmpty() ? "the recovery checks of " + runId + " find nothing down"
              : "the recovery checks of " + runId + " find " + down.size() + " down: " + String.join("; ", down),
          Map.of("down", String.join(" | ", down)))));
    }
    return recovery(runId, locale);
  }

  /** Looks again in the background (after a stop in downtime); a look already queued for the run serves. */
  void checkSoon(String runId) {
    if (!lookQueued.add(runId)) {
      return;
    }
    try {
      looking.execute(() -> {
        lookQueued.remove(runId);
        try {
          look(runId, Locale.ROOT);
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(RunActions.class).warn("recovery checks of {} failed: {}", runId, e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      lookQueued.remove(runId);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * After a stop — a failed or interrupted step, an abort, a pause, a run the engine could not move
   * on — the recovery checks of a run with a recovery action that applies look at once.
   */
  @org.springframework.transaction.event.TransactionalEventListener(
      phase = org.springframework.transaction.event.TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void stopped(RunEvent event) {
    boolean stop = event instanceof RunEvent.StepFailed || event instanceof RunEvent.StepInterrupted
        || event instanceof RunEvent.RunAborted || event instanceof RunEvent.RunPaused
        || event instanceof RunEvent.RunFailed || event instanceof RunEvent.ActionInterrupted
        || event instanceof RunEvent.PauseRequested p && p.pausedNow();
    if (stop && hasRecovery(event.runId())) {
      markAttention(event.runId());
      checkSoon(event.runId());
    }
  }

  /** Whether the run has a recovery action that applies now. */
  boolean hasRecovery(String runId) {
    Optional<Run> run = store.run(runId);
    Procedure procedure = run.map(this::procedureOrNull).orElse(null);
    return procedure != null && procedure.actions().stream().anyMatch(a -> a.recovers() && applies(run.get(), a));
  }

  /** The action applies to the run as it is: a recovery action once a phase it takes back has started. */
  static boolean applies(Run run, Action action) {
    if (run.state() == Run.State.SUCCEEDED) {
      return false;
    }
    if (!action.recovers()) {
      return true;
    }
    return action.after().stream().anyMatch(p -> started(run, p)) && action.until().stream().noneMatch(p -> started(run, p));
  }

  private static String whyNot(Run run, Action action) {
    if (action.until().stream().anyMatch(p -> started(run, p))) {
      return "phase " + action.until().stream().filter(p -> started(run, p)).findFirst().orElseThrow()
          + " has started, and past it the way is forward (retry the step)";
    }
    return "none of the phases it takes back (" + String.join(", ", action.after()) + ") has started";
  }

  /** {@link #whyNot} as a refusal's key, for pages. */
  private static RunMessage whyNotSaid(Run run, Action action, String actionId) {
    java.util.Optional<String> past = action.until().stream().filter(p -> started(run, p)).findFirst();
    return past.isPresent()
        ? RunMessage.of("run.refusal.actionPastPhase", RunMessage.text(actionId), RunMessage.text(run.id()),
            RunMessage.phase(past.get()))
        : RunMessage.of("run.refusal.actionBeforePhases", RunMessage.text(actionId), RunMessage.text(run.id()),
            RunMessage.text(String.join(", ", action.after())));
  }

  private static boolean started(Run run, String phase) {
    return run.phase(phase).map(p -> p.state() != RunPhase.State.PENDING && !p.skipped()).orElse(false);
  }

  private static Map<String, String> summary(List<CheckRecord> checks) {
    Map<String, String> found = new LinkedHashMap<>();
    checks.forEach(c -> found.put(c.action() + "." + c.check(), DOWN.equals(c.state()) ? c.found() : null));
    return found;
  }

  /**
   * The plan version a way back works with: the newest one a phase of the run ran with (each was
   * approved by a second person), never a later edit nobody approved; the plan's current version
   * when no phase has started.
   */
  private Plan approvedPlan(Run run) {
    return run.phases().stream().map(RunPhase::planVersion).filter(Objects::nonNull).max(Integer::compare)
        .map(version -> plans.version(run.planId(), version)).orElseGet(() -> plans.get(run.planId()));
  }

  private Run run(String runId) {
    return store.run(runId).orElseThrow(() -> Runs.noRun(runId));
  }

  private Procedure procedureOrNull(Run run) {
    try {
      return plans.procedure(run.procedureId());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public void destroy() {
    looking.shutdownNow();
    checking.shutdownNow();
  }
}
