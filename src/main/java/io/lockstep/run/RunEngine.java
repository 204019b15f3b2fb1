package io.lockstep.run;

import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import io.lockstep.procedure.ParamResolver;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.SecretMasker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * Drives runs through their state machine. Every transition is written (and audited) before the
 * effect it announces starts and again after it ends; what a run does next is decided from the
 * database alone, so a restart picks up where the rows say the run was.
 *
 * <p>A run has a worker thread only while it can move on by itself; when it waits for a person
 * (approval, decision, resume) the worker ends, and the use case that changes that
 * ({@link Runs}) kicks the run again. A step runs on a thread of its own so that an abort or its
 * timeout can interrupt it. When the console shuts down, running steps are interrupted but their
 * rows stay RUNNING: to the next start that is exactly what a crash looks like, and recovery
 * resumes a repeatable step and stops at a non-repeatable one for an operator's decision.
 */
@Component
class RunEngine implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RunEngine.class);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final EnumSet<Run.State> ACTIVE =
      EnumSet.of(Run.State.CREATED, Run.State.AWAITING_APPROVAL, Run.State.RUNNING);

  private final RunStore store;
  private final Plans plans;
  private final StepExecutors executors;
  private final RunLog runLog;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final EngineStepContext.Services services;
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();
  private final Map<String, Future<String>> runningSteps = new ConcurrentHashMap<>();
  private final java.util.Set<String> actionsRunning = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threadNumber = new AtomicInteger();
  private ExecutorService workerThreads;
  private ExecutorService stepThreads;
  private volatile boolean running;

  RunEngine(RunStore store, Plans plans, StepExecutors executors, RunLog runLog, SecretMasker masker,
      ApplicationEventPublisher events, TransactionTemplate tx, Clock clock, RunProgress progress) {
    this.store = store;
    this.plans = plans;
    this.executors = executors;
    this.runLog = runLog;
    this.events = events;
    this.tx = tx;
    this.clock = clock;
    this.services = new EngineStepContext.Services(store, runLog, masker, events, tx, clock, progress);
  }

  // ---- lifecycle and recovery

  @Override
  public void start() {
    workerThreads = Executors.newCachedThreadPool(r -> thread(r, "run-worker-"));
    stepThreads = Executors.newCachedThreadPool(r -> thread(r, "run-step-"));
    running = true;
    recover();
  }

  @Override
  public void stop() {
    running = false;
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

  /** What a start finds: steps left RUNNING by a stop or crash resume or wait for a decision. */
  void recover() {
    for (Run run : store.inStates(List.of(Run.State.RUNNING))) {
      Optional<Procedure> procedure = procedureOf(run);
      for (RunStep step : store.steps(run.id())) {
        if (step.state() != RunStep.State.RUNNING && step.state() != RunStep.State.WAITING) {
          continue;
        }
        boolean repeatable = procedure.flatMap(p -> p.step(step.key())).map(Step::repeatable).orElse(false);
        if (repeatable) {
          tx.executeWithoutResult(status -> {
            store.resetStep(run.id(), step.phaseId(), step.stepId());
            events.publishEvent(new RunAudit("STEP_RESUMED", "system", run.id(),
                "the console restarted while " + step.key() + " was running; it is repeatable and runs again",
                Map.of("step", step.key(), "attempts", step.attempts())));
          });
          runLog.append(run.id(), LogLine.sys(step.key(), "The console restarted while this step was running."
              + " It is repeatable, so it runs again."));
        } else {
          String message = "The console stopped while step " + step.key() + " was running. It is not repeatable,"
              + " so it is not run again by itself. Last action: " + orNone(step.lastAction())
              + "; last exit status: " + orNone(step.lastExit())
              + ". Check the node or cluster, then retry the step, skip it (an approver, with a reason) or abort the run.";
          tx.executeWithoutResult(status -> {
            store.stepState(run.id(), step.phaseId(), step.stepId(), List.of(step.state()), RunStep.State.INTERRUPTED,
                "interrupted by a console restart", clock.instant());
            store.move(run.id(), Run.State.RUNNING, Run.State.NEEDS_DECISION, run.phaseId(), step.stepId(), message,
                clock.instant());
            events.publishEvent(new RunAudit("RUN_NEEDS_DECISION", "system", run.id(), message,
                Map.of("step", step.key(), "lastAction", orNone(step.lastAction()), "lastExit", orNone(step.lastExit()))));
          });
          runLog.append(run.id(), LogLine.sys(step.key(), message));
          events.publishEvent(new RunNotifications.RunStopped(run.id(), run.procedureId(),
              procedure.map(Procedure::name).orElse(run.procedureId()), Run.State.NEEDS_DECISION.name(), step.key(),
              message, clock.instant()));
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
      workerThreads.execute(worker);
    }
  }

  // ---- on-demand actions

  /** Whether an on-demand action of the run is under way. */
  boolean actionRunning(String runId) {
    return actionsRunning.contains(runId);
  }

  /**
   * Runs an on-demand action of the run's procedure (a restore) on a step thread, logged under
   * {@code actions.<id>} and audited; the run does not move while it runs.
   *
   * @return false when another action of the run is under way (nothing started)
   */
  boolean startAction(Run run, Procedure procedure, Step action, String actor) {
    if (!running || !actionsRunning.add(run.id())) {
      return false;
    }
    try {
      workerThreads.execute(() -> {
        try {
          runAction(run, procedure, action, actor);
        } catch (RuntimeException e) {
          log.error("action {} of run {} failed", action.id(), run.id(), e);
        } finally {
          actionsRunning.remove(run.id());
          kick(run.id());
        }
      });
      return true;
    } catch (java.util.concurrent.RejectedExecutionException e) {
      actionsRunning.remove(run.id());
      return false;
    }
  }

  private void runAction(Run run, Procedure procedure, Step action, String actor) {
    String key = Procedure.ACTIONS + "." + action.id();
    Plan plan = plans.get(run.planId());
    Map<String, Object> params;
    StepExecutor executor;
    try {
      params = ParamResolver.resolveParams(action, RunScope.of(run, plan, plans.bound(plan, procedure)));
      executor = executors.of(action.type())
          .orElseThrow(() -> new IllegalStateException("no executor of type " + action.type()));
    } catch (RuntimeException e) {
      actionEnded(run.id(), key, actor, null, "cannot start: " + e.getMessage());
      return;
    }
    Duration timeout = action.timeout() != null ? action.timeout() : executor.defaultTimeout();
    runLog.append(run.id(), LogLine.sys(key, "▶ " + action.name() + " (" + action.type() + "), asked for by " + actor));
    EngineStepContext context = new EngineStepContext(run.id(), Procedure.ACTIONS, action.id(), params, timeout, services);
    Outcome outcome = attempt(run.id(), executor, context, timeout);
    if (outcome != null) {
      actionEnded(run.id(), key, actor, outcome.summary(), outcome.failure());
    }
  }

  private void actionEnded(String runId, String key, String actor, String summary, String failure) {
    String shown = failure == null ? summary : failure;
    tx.executeWithoutResult(status -> events.publishEvent(new RunAudit(failure == null ? "ACTION_SUCCEEDED" : "ACTION_FAILED",
        actor, runId, key + (failure == null ? " succeeded: " : " failed: ") + shown,
        Map.of("action", key, "result", String.valueOf(shown)))));
    runLog.append(runId, failure == null ? LogLine.sys(key, "✔ " + summary) : LogLine.err(key, null, "✘ " + failure));
  }

  /** Interrupts the run's running step (after an abort was stored). */
  void cancelStep(String runId) {
    Future<String> step = runningSteps.get(runId);
    if (step != null) {
      step.cancel(true);
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
            log.error("run {} could not move on", runId, e);
            more = false;
            failRun(runId, "the engine could not move the run on: " + e.getMessage());
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

  // ---- the state machine

  /** One move of the run; true when it can move again at once. */
  private boolean advance(String runId) {
    Run run = store.run(runId).orElse(null);
    if (run == null || !running || actionsRunning.contains(runId)) {
      return false; // a run moves on again when its on-demand action has ended (it kicks)
    }
    Procedure procedure = procedureOf(run).orElse(null);
    if (procedure == null) {
      failRun(runId, "procedure " + run.procedureId() + " is not in the catalogue any more");
      return false;
    }
    return switch (run.state()) {
      case CREATED -> awaitFirstPhase(run, procedure);
      case AWAITING_APPROVAL -> startPhaseIfApproved(run, procedure);
      case RUNNING -> runNextStep(run, procedure);
      default -> false;
    };
  }

  private boolean awaitFirstPhase(Run run, Procedure procedure) {
    Phase first = procedure.phases().get(0);
    tx.executeWithoutResult(status -> {
      if (store.move(run.id(), Run.State.CREATED, Run.State.AWAITING_APPROVAL, first.id(), null,
          waitingMessage(first), clock.instant())) {
        events.publishEvent(RunAudit.of("PHASE_AWAITING_APPROVAL", "system", run.id(),
            "phase " + first.id() + " waits for approval"));
      }
    });
    announceIfWaiting(run.id(), procedure, first);
    return true;
  }

  private boolean startPhaseIfApproved(Run run, Procedure procedure) {
    Phase phase = procedure.phase(run.phaseId()).orElseThrow();
    Plan plan = plans.get(run.planId());
    if (run.pauseRequested()) {
      return pause(run, "paused before phase " + phase.id());
    }
    if (!plan.procedureHash().equals(procedure.contentHash())) {
      note(run, "procedure " + procedure.id() + " changed since plan version " + plan.version()
          + " was saved: an operator saves the plan again, and the phase needs a new approval");
      return false;
    }
    Optional<Approval> decision = store.approvals(run.id()).stream()
        .filter(a -> a.standing() && a.phaseId().equals(phase.id()) && a.planHash().equals(plan.hash()))
        .findFirst();
    if (decision.isEmpty()) {
      note(run, waitingMessage(phase));
      return false;
    }
    if (decision.get().decision() == Approval.Decision.REJECTED) {
      note(run, "phase " + phase.id() + " was rejected by " + decision.get().actor() + ": " + decision.get().comment()
          + ". Edit the plan (which asks for approval again) or abort the run.");
      return false;
    }
    Approval approval = decision.get();
    Instant now = clock.instant();
    boolean started = Boolean.TRUE.equals(tx.execute(status -> {
      if (!store.move(run.id(), Run.State.AWAITING_APPROVAL, Run.State.RUNNING, phase.id(), null, null, now)) {
        return false;
      }
      store.startPhase(run.id(), phase.id(), plan.version(), plan.hash(), now);
      events.publishEvent(new RunAudit("PHASE_STARTED", "system", run.id(),
          "phase " + phase.id() + " started with plan version " + plan.version() + " " + plan.shortHash()
              + ", approved by " + approval.actor(),
          Map.of("phase", phase.id(), "planVersion", plan.version(), "planHash", plan.hash(),
              "approvedBy", approval.actor())));
      return true;
    }));
    if (started) {
      runLog.append(run.id(), LogLine.sys(null, "Phase " + phase.id() + " (" + phase.name() + ") starts, approved by "
          + approval.actor() + " for plan version " + plan.version() + " " + plan.shortHash()));
    }
    return true;
  }

  private boolean runNextStep(Run run, Procedure procedure) {
    Phase phase = procedure.phase(run.phaseId()).orElseThrow();
    List<RunStep> steps = store.steps(run.id()).stream().filter(s -> s.phaseId().equals(phase.id())).toList();
    Optional<RunStep> next = steps.stream().filter(s -> s.state() == RunStep.State.PENDING).findFirst();
    if (next.isEmpty()) {
      return endPhase(run, procedure, phase);
    }
    if (run.pauseRequested()) {
      return pause(run, "paused before step " + next.get().key());
    }
    Step step = phase.step(next.get().stepId()).orElseThrow();
    RunPhase runPhase = store.phases(run.id()).stream().filter(p -> p.phaseId().equals(phase.id())).findFirst().orElseThrow();
    Plan plan = plans.version(run.planId(), runPhase.planVersion());
    return executeStep(run, procedure, phase, step, plan);
  }

  private boolean endPhase(Run run, Procedure procedure, Phase phase) {
    int index = procedure.phases().indexOf(phase);
    Instant now = clock.instant();
    Phase following = index + 1 < procedure.phases().size() ? procedure.phases().get(index + 1) : null;
    tx.executeWithoutResult(status -> {
      if (following == null) {
        if (store.move(run.id(), Run.State.RUNNING, Run.State.SUCCEEDED, null, null, null, now)) {
          store.endPhase(run.id(), phase.id(), RunPhase.State.SUCCEEDED, now);
          events.publishEvent(RunAudit.of("PHASE_ENDED", "system", run.id(), "phase " + phase.id() + " succeeded"));
          events.publishEvent(RunAudit.of("RUN_SUCCEEDED", "system", run.id(), "run " + run.id() + " succeeded"));
        }
      } else if (store.move(run.id(), Run.State.RUNNING, Run.State.AWAITING_APPROVAL, following.id(), null,
          waitingMessage(following), now)) {
        store.endPhase(run.id(), phase.id(), RunPhase.State.SUCCEEDED, now);
        events.publishEvent(RunAudit.of("PHASE_ENDED", "system", run.id(), "phase " + phase.id() + " succeeded"));
      }
    });
    runLog.append(run.id(), LogLine.sys(null, "Phase " + phase.id() + " succeeded."));
    if (following == null) {
      runLog.append(run.id(), LogLine.sys(null, "Run " + run.id() + " succeeded."));
      runLog.finish(run.id());
      return false;
    }
    announceIfWaiting(run.id(), procedure, following);
    return true;
  }

  private boolean executeStep(Run run, Procedure procedure, Phase phase, Step step, Plan plan) {
    String key = phase.id() + "." + step.id();
    Map<String, Object> scope = RunScope.of(run, plan, plans.bound(plan, procedure));
    Map<String, Object> params;
    StepExecutor executor;
    try {
      if (!ParamResolver.shouldRun(step, scope)) {
        tx.executeWithoutResult(status -> {
          store.stepState(run.id(), phase.id(), step.id(), List.of(RunStep.State.PENDING), RunStep.State.SKIPPED,
              "not run: " + step.when() + " is false", clock.instant());
          events.publishEvent(new RunAudit("STEP_NOT_RUN", "system", run.id(), key + " not run: " + step.when() + " is false",
              Map.of("step", key)));
        });
        runLog.append(run.id(), LogLine.sys(key, "Not run: " + step.when() + " is false."));
        return true;
      }
      params = ParamResolver.resolveParams(step, scope);
      executor = executors.of(step.type())
          .orElseThrow(() -> new IllegalStateException("no executor of type " + step.type()));
    } catch (RuntimeException e) {
      return failStep(run, procedure, phase, step, "cannot start: " + e.getMessage());
    }
    Duration timeout = step.timeout() != null ? step.timeout() : executor.defaultTimeout();
    int attempts = step.retries() + 1;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      Instant started = clock.instant();
      int number = attempt;
      tx.executeWithoutResult(status -> {
        store.startStep(run.id(), phase.id(), step.id(), started);
        store.move(run.id(), Run.State.RUNNING, Run.State.RUNNING, phase.id(), step.id(), null, started);
        events.publishEvent(new RunAudit("STEP_STARTED", "system", run.id(),
            key + " (" + step.type() + ") started" + (number > 1 ? ", attempt " + number + " of " + attempts : ""),
            Map.of("step", key, "type", step.type(), "attempt", number, "repeatable", step.repeatable(),
                "timeout", timeout.toString())));
      });
      runLog.append(run.id(), LogLine.sys(key, "▶ " + step.name() + " (" + step.type()
          + (attempts > 1 ? ", attempt " + number + " of " + attempts : "") + ")"));
      services.progress().clear(run.id(), key);
      EngineStepContext context = new EngineStepContext(run.id(), phase.id(), step.id(), params, timeout, services);
      Outcome outcome = attempt(run.id(), executor, context, timeout);
      if (outcome == null) {
        return false;
      }
      Duration took = Duration.between(started, clock.instant());
      if (store.run(run.id()).map(Run::state).orElse(Run.State.ABORTED) == Run.State.ABORTED) {
        store.stepState(run.id(), phase.id(), step.id(), List.of(RunStep.State.RUNNING, RunStep.State.WAITING),
            RunStep.State.ABORTED, "aborted", clock.instant());
        return false;
      }
      if (outcome.failure() == null) {
        String summary = services.masker().mask(outcome.summary() == null ? "done" : outcome.summary());
        tx.executeWithoutResult(status -> {
          store.stepState(run.id(), phase.id(), step.id(), List.of(RunStep.State.RUNNING, RunStep.State.WAITING),
              RunStep.State.SUCCEEDED, summary, clock.instant());
          events.publishEvent(new RunAudit("STEP_SUCCEEDED", "system", run.id(), key + " succeeded in "
              + took.toMillis() + " ms: " + summary, endDetails(run.id(), phase.id(), step.id(), took, "summary", summary)));
        });
        runLog.append(run.id(), LogLine.sys(key, "✔ " + step.name() + ": " + summary + " (" + took.toMillis() + " ms)"));
        return true;
      }
      String failure = services.masker().mask(outcome.failure());
      runLog.append(run.id(), LogLine.sys(key, "✘ " + step.name() + ": " + failure));
      if (number < attempts) {
        tx.executeWithoutResult(status -> events.publishEvent(new RunAudit("STEP_ATTEMPT_FAILED", "system", run.id(),
            key + " attempt " + number + " failed: " + failure + "; trying again",
            Map.of("step", key, "attempt", number, "durationMs", took.toMillis(), "error", failure))));
        continue;
      }
      return failStep(run, procedure, phase, step, failure);
    }
    return false;
  }

  /** The result of one attempt; null when the console is stopping (the step's row stays RUNNING). */
  private Outcome attempt(String runId, StepExecutor executor, EngineStepContext context, Duration timeout) {
    Future<String> future;
    try {
      future = stepThreads.submit(() -> executor.execute(context));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return null;
    }
    runningSteps.put(runId, future);
    try {
      return new Outcome(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS), null);
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Outcome(null, "did not finish within " + io.lockstep.procedure.Durations.format(timeout)
          + " and was stopped");
    } catch (CancellationException e) {
      return running ? new Outcome(null, "stopped") : null;
    } catch (ExecutionException e) {
      if (!running) {
        return null;
      }
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException && !running) {
        return null;
      }
      String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
      if (!(cause instanceof StepFailedException) && !(cause instanceof IllegalArgumentException)) {
        log.warn("step {} of run {} failed", context.step(), runId, cause);
      }
      return new Outcome(null, message);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return null;
    } finally {
      runningSteps.remove(runId, future);
    }
  }

  private record Outcome(String summary, String failure) {}

  /** What the audit keeps of a step's end: the step, how long, the result, the nodes' exit statuses. */
  private Map<String, Object> endDetails(String runId, String phaseId, String stepId, Duration took, String resultKey,
      String result) {
    Map<String, Object> details = new java.util.LinkedHashMap<>();
    details.put("step", phaseId + "." + stepId);
    if (took != null) {
      details.put("durationMs", took.toMillis());
    }
    details.put(resultKey, result);
    store.step(runId, phaseId, stepId).ifPresent(step -> {
      if (step.lastExit() != null) {
        details.put("exitStatus", step.lastExit());
      }
      if (step.lastAction() != null) {
        details.put("lastAction", step.lastAction());
      }
    });
    return details;
  }

  private boolean failStep(Run run, Procedure procedure, Phase phase, Step step, String failure) {
    String key = phase.id() + "." + step.id();
    String message = "Step " + key + " failed: " + failure;
    Instant now = clock.instant();
    boolean moved = Boolean.TRUE.equals(tx.execute(status -> {
      store.stepState(run.id(), phase.id(), step.id(),
          List.of(RunStep.State.PENDING, RunStep.State.RUNNING, RunStep.State.WAITING), RunStep.State.FAILED, failure, now);
      if (!store.move(run.id(), Run.State.RUNNING, Run.State.FAILED, phase.id(), step.id(), message, now)) {
        return false;
      }
      events.publishEvent(new RunAudit("STEP_FAILED", "system", run.id(), message,
          endDetails(run.id(), phase.id(), step.id(), null, "error", failure)));
      return true;
    }));
    if (moved) {
      events.publishEvent(new RunNotifications.RunStopped(run.id(), procedure.id(), procedure.name(),
          Run.State.FAILED.name(), key, message, now));
    }
    return false;
  }

  private void failRun(String runId, String why) {
    store.run(runId).filter(r -> r.state() == Run.State.RUNNING || r.state() == Run.State.CREATED
        || r.state() == Run.State.AWAITING_APPROVAL).ifPresent(run -> {
          boolean moved = Boolean.TRUE.equals(tx.execute(status -> {
            if (!store.move(runId, run.state(), Run.State.FAILED, run.phaseId(), run.stepId(), why, clock.instant())) {
              return false;
            }
            events.publishEvent(RunAudit.of("RUN_FAILED", "system", runId, why));
            return true;
          }));
          if (moved) {
            events.publishEvent(new RunNotifications.RunStopped(runId, run.procedureId(), run.procedureId(),
                Run.State.FAILED.name(), null, why, clock.instant()));
          }
        });
  }

  private boolean pause(Run run, String why) {
    tx.executeWithoutResult(status -> {
      if (store.move(run.id(), run.state(), Run.State.PAUSED, run.phaseId(), null, why, clock.instant())) {
        events.publishEvent(RunAudit.of("RUN_PAUSED", "system", run.id(), why));
      }
    });
    runLog.append(run.id(), LogLine.sys(null, "Run paused: " + why + "."));
    return false;
  }

  private void note(Run run, String message) {
    if (!message.equals(run.message())) {
      store.move(run.id(), run.state(), run.state(), run.phaseId(), run.stepId(), message, clock.instant());
    }
  }

  private void announceIfWaiting(String runId, Procedure procedure, Phase phase) {
    Run run = store.run(runId).orElseThrow();
    Plan plan = plans.get(run.planId());
    boolean decided = store.approvals(runId).stream()
        .anyMatch(a -> a.standing() && a.phaseId().equals(phase.id()) && a.planHash().equals(plan.hash()));
    if (!decided && run.state() == Run.State.AWAITING_APPROVAL) {
      events.publishEvent(new RunNotifications.ApprovalWaiting(runId, procedure.id(), procedure.name(), phase.id(),
          phase.name(), run.requester(), plan.hash(), clock.instant()));
    }
  }

  static String waitingMessage(Phase phase) {
    return "phase " + phase.id() + " waits for approval by an approver who is not the requester";
  }

  private Optional<Procedure> procedureOf(Run run) {
    try {
      return Optional.of(plans.procedure(run.procedureId()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String orNone(String text) {
    return text == null || text.isBlank() ? "none recorded" : text;
  }
}
