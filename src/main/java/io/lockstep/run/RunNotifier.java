package io.lockstep.run;

import io.lockstep.procedure.Procedure;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Turns the run's events into the notifications other modules act on ({@link RunNotifications}:
 * the webhook, the dashboard's badge), once the change has committed: a phase that starts waiting
 * for an approval nobody has given yet, a manual checkpoint that waits for an operator, a run that stopped for a person (a failed step, a step a
 * restart interrupted, a run the engine could not move on).
 */
@Component
class RunNotifier {

  private final RunStore store;
  private final Plans plans;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  RunNotifier(RunStore store, Plans plans, ApplicationEventPublisher events, Clock clock) {
    this.store = store;
    this.plans = plans;
    this.events = events;
    this.clock = clock;
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void on(RunEvent event) {
    if (event instanceof RunEvent.PhaseAwaitingApproval || event instanceof RunEvent.PhaseSucceeded
        || event instanceof RunEvent.PhaseHeldForApproval) {
      announceIfWaiting(event.runId());
    } else if (event instanceof RunEvent.StepAwaitingConfirmation e) {
      checklistWaiting(e);
    } else if (event instanceof RunEvent.StepFailed e) {
      stopped(e.runId(), Run.State.FAILED, e.step(), e.message());
    } else if (event instanceof RunEvent.StepInterrupted e) {
      stopped(e.runId(), Run.State.NEEDS_DECISION, e.step(), e.message());
    } else if (event instanceof RunEvent.RunFailed e) {
      stopped(e.runId(), Run.State.FAILED, null, e.why());
    }
  }

  /** The run waits at a phase for which no decision names the plan's current version. */
  void announceIfWaiting(String runId) {
    Run run = store.run(runId).orElse(null);
    if (run == null || run.state() != Run.State.AWAITING_APPROVAL) {
      return;
    }
    Plan plan = plans.get(run.planId());
    boolean decided = store.approvals(runId).stream()
        .anyMatch(a -> a.standing() && a.phaseId().equals(run.phaseId()) && a.planHash().equals(plan.hash()));
    Procedure procedure = procedure(run);
    if (!decided && procedure != null) {
      procedure.phase(run.phaseId()).ifPresent(phase -> events.publishEvent(new RunNotifications.ApprovalWaiting(
          runId, procedure.id(), procedure.name(), phase.id(), phase.name(), run.requester(), plan.hash(),
          clock.instant())));
    }
  }

  /** A manual checkpoint waits for an operator: told once, when it starts waiting. */
  private void checklistWaiting(RunEvent.StepAwaitingConfirmation e) {
    store.run(e.runId()).ifPresent(run -> {
      Procedure procedure = procedure(run);
      String phaseId = e.step().substring(0, e.step().indexOf('.'));
      String phaseName = procedure == null ? phaseId
          : procedure.phase(phaseId).map(p -> p.name()).orElse(phaseId);
      String stepName = procedure == null ? e.step()
          : procedure.step(e.step()).map(s -> s.name()).orElse(e.step());
      events.publishEvent(new RunNotifications.ChecklistWaiting(e.runId(), run.procedureId(),
          procedure == null ? run.procedureId() : procedure.name(), phaseId, phaseName, e.step(), stepName,
          run.requester(), e.checklist(), clock.instant()));
    });
  }

  private void stopped(String runId, Run.State state, String step, String message) {
    store.run(runId).ifPresent(run -> {
      Procedure procedure = procedure(run);
      events.publishEvent(new RunNotifications.RunStopped(runId, run.procedureId(),
          procedure == null ? run.procedureId() : procedure.name(), state.name(), step, message, clock.instant()));
    });
  }

  private Procedure procedure(Run run) {
    try {
      return plans.procedure(run.procedureId());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
