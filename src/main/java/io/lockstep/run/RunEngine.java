package io.lockstep.run;

import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import io.lockstep.procedure.Action;
import io.lockstep.procedure.Durations;
import io.lockstep.procedure.ParamResolver;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Retry;
import io.lockstep.procedure.Step;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drives runs: reads where a run is from the database and makes its next move through the
 * {@link Run} aggregate ({@link RunMoves}), which stores the move (and its audit row and log line)
 * before the effect it announces starts and again after it ends. What a run does next is decided
 * from the database alone, so a restart picks up where the rows say the run was.
 *
 * <p>A run has a worker thread only while it can move on by itself; when it waits for a person
 * (approval, decision, resume, a manual checkpoint's confirmation) the worker ends, and the use
 * case that changes that ({@link Runs}) kicks the run again. A step attempt runs on a thread of its
 * own so that an abort or its timeout can interrupt it; its cancellation handle is registered in
 * the same transaction that starts it, so an abort that commits after the start finds it, and one
 * that commits before makes the start refuse. When the console shuts down, running steps are
 * interrupted but their rows stay RUNNING: to the next start that is exactly what a crash looks
 * like, and {@link #recover()} resumes a repeatable step and stops at a non-repeatable one for a
 * person's decision. A manual checkpoint holds no thread: it waits in the database. An on-demand
 * action cut off by a restart is ended as interrupted, for a person to run again.
 */
@Component
class RunEngine implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Set<Run.State> ACTIVE =
      EnumSet.of(Run.State.CREATED, Run.State.AWAITING_APPROVAL, Run.State.RUNNING);

  private final RunStore store;
  private final RunMoves moves;
  private final Plans plans;
  private final StepExecutors executors;
  private final RunLog runLog;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final EngineStepContext.Services services;
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();
  private final Map<String, StepTask> runningSteps = new ConcurrentHashMap<>();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private ExecutorService workerThreads;
  private ExecutorService stepThreads;
  private ScheduledExecutorService timers;
  private volatile boolean running;

  RunEngine(RunStore store, RunMoves moves, Plans plans, StepExecutors executors, RunLog runLog, SecretMasker masker,
      ApplicationEventPublisher events, TransactionTemplate tx, Clock clock, RunProgress progress) {
    this.store = store;
    this.moves = moves;
    this.plans = plans;
    this.executors = executors;
    this.runLog = runLog;
    this.events = events;
    this.clock = clock;
    this.services = new EngineStepContext.Services(store, runLog, masker, events, tx, clock, progress);
  }

  // ---- lifecycle and recovery

  @Override
  public void start() {
    workerThreads = Executors.newCachedThreadPool(r -> thread(r, "run-worker-"));
    stepThreads = Executors.newCachedThreadPool(r -> thread(r, "run-step-"));
    timers = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "run-timer-"));
    running = true;
    recover();
  }

  @Override
  public void stop() {
    running = false;
    timers.shutdownNow();
    stepThreads.shutdownNow();
    workerThreads.shutdownNow();
    try {
      workerThreads.awaitTermination(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
      stepThreads.awaitTermination(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Late: after the lab and the web server are up; stops first, before what steps use. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 100;
  }

  private Thread thread(Runnable r, String prefix) {
    Thread t = new Thread(r, prefix + threadNumber.incrementAndGet());
    t.setDaemon(true);
    return t;
  }

  /**
   * What a start finds: a step left RUNNING by a stop or crash runs again when it is repeatable and
   * waits for a person's decision when it is not; a manual checkpoint left WAITING goes on waiting.
   */
  void recover() {
    for (Run run : store.inStates(Run.ACTION_STATES)) {
      if (run.actionId() != null) {
        moves.make(run.id(), r -> r.interruptAction(clock.instant()));
        if (run.isFinal()) {
          runLog.finish(run.id()); // its way back had opened the log again
        }
      }
    }
    for (Run run : store.inStates(List.of(Run.State.RUNNING))) {
      Optional<Procedure> procedure = procedureOf(run);
      for (RunStep step : run.steps()) {
        if (step.state() == RunStep.State.RUNNING) {
          boolean repeatable = procedure.flatMap(p -> p.step(step.key())).map(Step::repeatable).orElse(false);
          moves.make(run.id(), r -> repeatable ? r.resumeAfterRestart(step.key(), clock.instant())
              : r.interruptedByRestart(step.key(), clock.instant()));
        } else if (step.state() == RunStep.State.WAITING) {
          procedure.flatMap(p -> p.step(step.key())).ifPresent(s -> timeConfirmation(run.id(), s, step));
        }
      }
    }
    store.inStates(ACTIVE).forEach(run -> kick(run.id()));
  }

  // ---- workers

  /** Lets the run move on if it can: starts its worker, or tells the running one to look again. */
  void kick(String runId) {
    if (!running) {
      return;
    }
    synchronized (workers) {
      Worker worker = workers.get(runId);
      if (worker != null) {
        worker.again = true;
        return;
      }
      worker = new Worker(runId);
      workers.put(runId, worker);
      try {
        workerThreads.execute(worker);
      } catch (RejectedExecutionException e) {
        workers.remove(runId, worker);
      }
    }
  }

  private final class Worker implements Runnable {
    private final String runId;
    private volatile boolean again;

    Worker(String runId) {
      this.runId = runId;
    }

    @Override
    public void run() {
      try {
        while (running) {
          again = false;
          boolean more;
          try {
            more = advance(runId);
          } catch (RuntimeException e) {
            if (!running) {
              return;
            }
            SecretScope secrets = services.masker().forRun(runId);
            log.error("run {} could not move on", runId, secrets.mask(e));
            more = false;
            String why = Run.keyed("run.message.engineFailed", RunMessage.text(secrets.mask(String.valueOf(e.getMessage()))));
            moves.make(runId, r -> r.fail(why, clock.instant()));
          }
          synchronized (workers) {
            if (!more && !again) {
              workers.remove(runId, this);
              return;
            }
          }
        }
      } finally {
        synchronized (workers) {
          workers.remove(runId, this);
        }
      }
    }
  }

  // ---- the run's next move

  /** One move of the run; true when it can move again at once. */
  private boolean advance(String runId) {
    Run run = store.run(runId).orElse(null);
    if (run == null || !running || run.actionId() != null) {
      return false; // a run moves on again when its on-demand action has ended (it kicks)
    }
    Procedure procedure = procedureOf(run).orElse(null);
    if (procedure == null) {
      moves.make(runId, r -> r.fail(Run.keyed("run.message.procedureGone", RunMessage.text(run.procedureId())),
          clock.instant()));
      return false;
    }
    return switch (run.state()) {
      case CREATED -> moves.make(runId, r -> r.awaitFirstApproval(clock.instant())).isPresent();
      case AWAITING_APPROVAL -> startPhaseIfApproved(run, procedure);
      case RUNNING -> runNext(run, procedure);
      default -> false;
    };
  }

  /** The run waits at a phase: it starts (or goes on with a newer plan version) once approved for it. */
  private boolean startPhaseIfApproved(Run run, Procedure procedure) {
    Phase phase = procedure.phase(run.phaseId()).orElseThrow();
    RunPhase runPhase = run.phase(phase.id()).orElseThrow();
    Plan plan = plans.get(run.planId());
    if (run.pauseRequested()) {
      return moves.make(run.id(), r -> r.pause(Run.keyed("run.message.pausedBeforePhase", RunMessage.phase(phase.id())), clock.instant())).isPresent();
    }
    if (!plan.procedureHash().equals(procedure.contentHash())) {
      return say(run, Run.keyed("run.message.procedureChanged", RunMessage.text(procedure.id()),
          RunMessage.text(plan.version())));
    }
    Optional<Approval> decision = standingDecision(run, phase.id(), plan);
    if (decision.isEmpty()) {
      return say(run, runPhase.state() == RunPhase.State.RUNNING ? run.storedMessage() : Run.waitingMessage(phase.id()));
    }
    if (decision.get().decision() == Approval.Decision.REJECTED) {
      return say(run, Run.keyed("run.message.rejected", RunMessage.phase(phase.id()),
          RunMessage.text(decision.get().actor()), RunMessage.text(decision.get().comment())));
    }
    Instant now = clock.instant();
    if (runPhase.state() == RunPhase.State.RUNNING) {
      return moves.make(run.id(), r -> r.continuePhase(plan, decision.get(), now)).isPresent();
    }
    return moves.make(run.id(), r -> r.startPhase(plan, decision.get(), phase.name(null), now)).isPresent();
  }

  /** The run is inside a phase: its next step, its end, or a stop for a newer plan version. */
  private boolean runNext(Run run, Procedure procedure) {
    Phase phase = procedure.phase(run.phaseId()).orElseThrow();
    RunPhase runPhase = run.phase(phase.id()).orElseThrow();
    Optional<RunStep> underWay = run.stepUnderWay();
    if (underWay.isPresent()) {
      return underWay.get().state() == RunStep.State.WAITING && confirmationOverdue(run, phase, underWay.get());
    }
    Plan plan = plans.get(run.planId());
    if (!plan.hash().equals(runPhase.planHash())) {
      Optional<Approval> decision = standingDecision(run, phase.id(), plan)
          .filter(a -> a.decision() == Approval.Decision.APPROVED);
      Instant now = clock.instant();
      if (decision.isPresent()) {
        return moves.make(run.id(), r -> r.continuePhase(plan, decision.get(), now)).isPresent();
      }
      moves.make(run.id(), r -> r.holdForApproval(plan, now));
      return false;
    }
    Optional<RunStep> next = run.stepsOf(phase.id()).stream().filter(s -> s.state() == RunStep.State.PENDING)
        .findFirst();
    if (next.isEmpty()) {
      return moves.make(run.id(), r -> r.endPhase(clock.instant())).isPresent();
    }
    if (run.pauseRequested()) {
      return moves.make(run.id(), r -> r.pause(Run.keyed("run.message.pausedBeforeStep", RunMessage.step(next.get().key())), clock.instant()))
          .isPresent();
    }
    Step step = phase.step(next.get().stepId()).orElseThrow();
    return executeStep(run, procedure, phase, step, plan);
  }

  /**
   * One attempt at the step: the first of a series, or the next one once its time has come. A failed
   * attempt with retries left and within its bound is stored with the time of the next one, and the
   * worker ends: the step waits in the database (PENDING, {@link RunStep#nextAttemptAt()}), holding
   * no thread, and a timer looks at the run again then. So an abort or a pause ends the wait at once
   * (the run moved; the next start is refused or never tried), a console stop has nothing to
   * interrupt, and a restart finds the series where it was and goes on with it at its time.
   */
  private boolean executeStep(Run run, Procedure procedure, Phase phase, Step step, Plan plan) {
    String key = phase.id() + "." + step.id();
    RunStep current = run.step(key).orElseThrow();
    if (current.waitingForNextAttempt() && clock.instant().isBefore(current.nextAttemptAt())) {
      wakeAt(run.id(), current.nextAttemptAt());
      return false;
    }
    Map<String, Object> params;
    StepExecutor executor;
    try {
      Map<String, Object> scope = scope(run, plan, procedure);
      if (!ParamResolver.shouldRun(step, scope)) {
        return moves.make(run.id(), r -> r.passOver(key, step.when(), clock.instant())).isPresent();
      }
      params = ParamResolver.resolveParams(step, scope);
      executor = executors.of(step.type())
          .orElseThrow(() -> new IllegalStateException("no executor of type " + step.type()));
      if (executor instanceof ManualStep) {
        SecretScope secrets = services.masker().forRun(run.id());
        String instructions = secrets.mask(ManualStep.instructions(params));
        List<String> checklist = ManualStep.checklist(params).stream().map(secrets::mask).toList();
        Optional<RunEvent.StepAwaitingConfirmation> waiting = moves.make(run.id(),
            r -> r.awaitConfirmation(key, instructions, checklist, clock.instant()));
        waiting.ifPresent(w -> store.run(run.id()).flatMap(r -> r.step(key))
            .ifPresent(s -> timeConfirmation(run.id(), step, s)));
        return waiting.isEmpty();
      }
    } catch (RuntimeException e) {
      String error = services.masker().forRun(run.id()).mask("cannot start: " + e.getMessage());
      moves.make(run.id(), r -> r.failStep(key, error, step.name(null), clock.instant()));
      return false;
    }
    Duration timeout = step.timeout() != null ? step.timeout() : executor.defaultTimeout();
    Run.StepFacts facts = Run.StepFacts.of(step, timeout);
    int number = current.nextAttempt();
    EngineStepContext context = new EngineStepContext(run.id(), phase.id(), step.id(), params, timeout, services);
    StepTask task = new StepTask(() -> executor.execute(context));
    Instant startAt = clock.instant();
    Optional<RunEvent.StepStarted> started = moves.make(run.id(), r -> {
      RunEvent.StepStarted event = r.startStep(key, plan.version(), number, facts, startAt);
      runningSteps.put(run.id(), task); // before the start commits: an abort after it finds the handle
      return event;
    });
    if (started.isEmpty()) {
      runningSteps.remove(run.id(), task);
      return true; // the run moved meanwhile (aborted, paused, the plan changed): look again
    }
    services.progress().clear(run.id(), key);
    Outcome outcome = attempt(run.id(), task, timeout);
    if (outcome == null) {
      return false; // the console is stopping: the step stays RUNNING, as after a crash
    }
    Instant ended = clock.instant();
    if (outcome.failure() == null) {
      String summary = context.summary(outcome.summary());
      return moves.make(run.id(), r -> r.succeedStep(key, summary, step.name(null), ended)).isPresent();
    }
    String failure = services.masker().forRun(run.id()).mask(outcome.failure());
    Instant seriesStart = number == 1 || current.seriesStartedAt() == null ? startAt : current.seriesStartedAt();
    Duration elapsed = Duration.between(seriesStart, ended);
    Retry retry = step.retry();
    if (number < facts.attempts() && retry.mayRetryAfter(number, elapsed)) {
      Instant next = ended.plus(retry.waitAfter(number));
      if (moves.make(run.id(), r -> r.failAttempt(key, number, facts.attempts(), failure, step.name(null), ended,
          next)).isEmpty()) {
        return true;
      }
      wakeAt(run.id(), next);
      return false;
    }
    String why = failure + gaveUp(retry, number, elapsed);
    moves.make(run.id(), r -> r.failStep(key, why, step.name(null), ended));
    return false;
  }

  /** Why a retried step stopped trying: its attempts are used up, or the next would pass its bound. */
  private static String gaveUp(Retry retry, int number, Duration elapsed) {
    if (retry.retries() == 0) {
      return "";
    }
    String tried = " (" + number + (number == 1 ? " attempt" : " attempts") + " in " + Durations.format(elapsed);
    if (number < retry.attempts()) {
      return tried + "; the next would start after the bound of " + Durations.format(retry.within()) + ")";
    }
    return tried + ", every attempt the step has)";
  }

  /** Looks at the run again at {@code at} (a step's next attempt). */
  private void wakeAt(String runId, Instant at) {
    if (!running) {
      return;
    }
    long millis = Math.max(0, Duration.between(clock.instant(), at).toMillis());
    try {
      timers.schedule(() -> kick(runId), millis + 20, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: the next start finds the wait in the database
    }
  }

  /**
   * An attempt at a step on a step thread that can be stopped for sure: {@link #stop} cancels it and
   * then interrupts the thread running it again and again until the executor has returned. One
   * interrupt is not enough: a thread interrupted while it writes to the database or a file (a log
   * line, an audit row) may have the interrupt consumed there, and then wait on in a command that
   * should have been stopped.
   */
  final class StepTask extends FutureTask<String> {
    private volatile Thread runner;

    StepTask(java.util.concurrent.Callable<String> callable) {
      super(callable);
    }

    @Override
    public void run() {
      runner = Thread.currentThread();
      try {
        super.run();
      } finally {
        synchronized (this) {
          runner = null;
        }
        Thread.interrupted(); // a pooled thread starts its next task uninterrupted
      }
    }

    private synchronized boolean interruptRunner() {
      Thread thread = runner;
      if (thread != null) {
        thread.interrupt();
      }
      return thread != null;
    }

    /** Cancels the attempt and keeps interrupting its thread until the executor has returned. */
    void stop() {
      cancel(true);
      if (runner == null) {
        return;
      }
      try {
        java.util.concurrent.ScheduledFuture<?>[] again = new java.util.concurrent.ScheduledFuture<?>[1];
        again[0] = timers.scheduleWithFixedDelay(() -> {
          if (!interruptRunner()) {
            again[0].cancel(false);
          }
        }, 100, 250, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        // stopping: the pool interrupts its threads itself
      }
    }
  }

  /** Runs the attempt's task on a step thread and waits for it; null when the console is stopping. */
  private Outcome attempt(String runId, StepTask task, Duration timeout) {
    try {
      stepThreads.execute(task);
    } catch (RejectedExecutionException e) {
      runningSteps.remove(runId, task);
      return null;
    }
    try {
      return new Outcome(task.get(timeout.toMillis(), TimeUnit.MILLISECONDS), null);
    } catch (TimeoutException e) {
      task.stop();
      return new Outcome(null, "did not finish within " + Durations.format(timeout) + " and was stopped");
    } catch (CancellationException e) {
      return running ? new Outcome(null, "stopped") : null;
    } catch (ExecutionException e) {
      if (!running) {
        return null;
      }
      Throwable cause = e.getCause();
      String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      if (!(cause instanceof StepFailedException) && !(cause instanceof IllegalArgumentException)) {
        // its message may quote a secret (a library's error quoting a command line): logged masked
        log.warn("step of run {} failed", runId, services.masker().forRun(runId).mask(cause));
      }
      return new Outcome(null, message);
    } catch (InterruptedException e) {
      task.stop();
      Thread.currentThread().interrupt();
      return null;
    } finally {
      runningSteps.remove(runId, task);
    }
  }

  private record Outcome(String summary, String failure) {}

  /** Interrupts the run's running step (after an abort was stored). */
  void cancelStep(String runId) {
    StepTask step = runningSteps.get(runId);
    if (step != null) {
      step.stop();
    }
  }

  // ---- manual checkpoints with a timeout

  /** A waiting checkpoint with a timeout: the run is looked at again when it passes. */
  private void timeConfirmation(String runId, Step step, RunStep waiting) {
    if (step.timeout() == null || waiting.startedAt() == null || !running) {
      return;
    }
    Duration left = Duration.between(clock.instant(), waiting.startedAt().plus(step.timeout()));
    try {
      timers.schedule(() -> kick(runId), Math.max(0, left.toMillis()) + 50, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // stopping
    }
  }

  /** Fails a checkpoint whose timeout passed unconfirmed; true when it did. */
  private boolean confirmationOverdue(Run run, Phase phase, RunStep waiting) {
    Step step = phase.step(waiting.stepId()).orElse(null);
    if (step == null || step.timeout() == null || waiting.startedAt() == null
        || clock.instant().isBefore(waiting.startedAt().plus(step.timeout()))) {
      return false;
    }
    String error = "not confirmed within " + Durations.format(step.timeout());
    moves.make(run.id(), r -> r.failStep(waiting.key(), error, step.name(null), clock.instant()));
    return false;
  }

  // ---- on-demand actions and recovery checks

  /**
   * Carries out the steps of an on-demand action in order, each on a step thread with its timeout,
   * stopping at the first that fails. The run does not move meanwhile: it holds the action as
   * under way ({@link Run#startAction}).
   *
   * @return what it did, or why it failed (masked); null when the console is stopping
   */
  ActionOutcome executeAction(Run run, Procedure procedure, Action action, Plan plan) {
    Map<String, Object> scope;
    try {
      scope = scope(run, plan, procedure);
    } catch (RuntimeException e) {
      return new ActionOutcome(null, services.masker().forRun(run.id()).mask("cannot start: " + e.getMessage()));
    }
    java.util.List<String> done = new java.util.ArrayList<>();
    for (Step step : action.steps()) {
      String stepId = action.steps().size() == 1 ? action.id() : action.id() + "." + step.id();
      String label = action.steps().size() == 1 ? "" : step.id() + ": ";
      Map<String, Object> params;
      StepExecutor executor;
      try {
        if (!ParamResolver.shouldRun(step, scope)) {
          continue;
        }
        params = ParamResolver.resolveParams(step, scope);
        executor = executors.of(step.type())
            .orElseThrow(() -> new IllegalStateException("no executor of type " + step.type()));
      } catch (RuntimeException e) {
        return new ActionOutcome(String.join("; ", done), services.masker().forRun(run.id()).mask(label + "cannot start: "
            + e.getMessage()));
      }
      Duration timeout = step.timeout() != null ? step.timeout() : executor.defaultTimeout();
      if (action.steps().size() > 1) {
        runLog.append(run.id(), LogLine.sys(Procedure.ACTIONS + "." + stepId, "▶ " + step.name(null)
            + " (" + step.type() + ")"));
      }
      EngineStepContext context = new EngineStepContext(run.id(), Procedure.ACTIONS, stepId, params, timeout, services,
          EngineStepContext.Facts.ofAction(store, run.id(), action.id()));
      Outcome outcome = attempt(run.id() + "/" + Procedure.ACTIONS, new StepTask(() -> executor.execute(context)),
          timeout);
      if (outcome == null) {
        return null;
      }
      if (outcome.failure() != null) {
        String failure = services.masker().forRun(run.id()).mask(label + outcome.failure());
        return new ActionOutcome(String.join("; ", done), done.isEmpty() ? failure
            : failure + " (done before it: " + String.join("; ", done) + ")");
      }
      done.add(services.masker().forRun(run.id())
          .mask(label + (outcome.summary() == null ? "done" : outcome.summary())));
    }
    return new ActionOutcome(done.isEmpty() ? "nothing was needed" : String.join("; ", done), null);
  }

  /** What an action did; {@code failure} null when it succeeded. */
  record ActionOutcome(String summary, String failure) {}

  /**
   * Runs one read-only check of a recovery action, with its timeout: null when it found nothing
   * down, else what it found (masked).
   */
  String check(Run run, Procedure procedure, Plan plan, Action action, Step check) {
    Map<String, Object> params;
    StepExecutor executor;
    try {
      params = ParamResolver.resolveParams(check, scope(run, plan, procedure));
      executor = executors.of(check.type()).filter(StepExecutor::readOnly)
          .orElseThrow(() -> new IllegalStateException("no read-only executor of type " + check.type()));
    } catch (RuntimeException e) {
      return services.masker().forRun(run.id()).mask("cannot check: " + e.getMessage());
    }
    Duration timeout = check.timeout() != null ? check.timeout() : Duration.ofSeconds(30);
    CheckContext context = new CheckContext(run.id(), Procedure.ACTIONS + "." + action.id() + "." + check.id(), params,
        timeout, store, services.masker().forRun(run.id()));
    Outcome outcome = attempt(run.id() + "/check/" + action.id() + "/" + check.id(),
        new StepTask(() -> executor.execute(context)), timeout);
    if (outcome == null) {
      return "the console is stopping";
    }
    return outcome.failure() == null ? null : services.masker().forRun(run.id()).mask(outcome.failure());
  }

  // ---- helpers

  /**
   * The run's resolution scope ({@code params}, {@code plan}, {@code run}); the run is linked to its
   * plan first, so the plan's secret values mask in the run's output.
   */
  private Map<String, Object> scope(Run run, Plan plan, Procedure procedure) {
    services.masker().runOfPlan(run.id(), plan.id());
    return RunScope.of(run, plan, plans.bound(plan, procedure));
  }

  /** The standing decision on the phase for exactly the plan's current version, if any. */
  private Optional<Approval> standingDecision(Run run, String phaseId, Plan plan) {
    return store.approvals(run.id()).stream()
        .filter(a -> a.standing() && a.phaseId().equals(phaseId) && a.planHash().equals(plan.hash()))
        .findFirst();
  }

  /** Tells people why the run waits; never a reason to move again at once. */
  private boolean say(Run run, String message) {
    if (message != null && !message.equals(run.storedMessage())) {
      moves.make(run.id(), r -> {
        r.say(message);
        return null;
      });
    }
    return false;
  }

  private Optional<Procedure> procedureOf(Run run) {
    try {
      return Optional.of(plans.procedure(run.procedureId()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
