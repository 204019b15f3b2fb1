package io.lockstep.run;

import io.lockstep.procedure.ParamResolver;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Service;

/** Reads runs as people see them: details with phases and steps, and previews for approvers. */
@Service
public class RunViews {

  private final Runs runs;
  private final Plans plans;
  private final SecretMasker masker;
  private final Clock clock;
  private final RunProgress progress;
  private final RunActions actions;
  private final PhasePreviews previews;
  private final RunMessages messages;

  RunViews(Runs runs, Plans plans, SecretMasker masker, Clock clock, RunProgress progress,
      RunActions actions, PhasePreviews previews, RunMessages messages) {
    this.messages = messages;
    this.previews = previews;
    this.progress = progress;
    this.actions = actions;
    this.runs = runs;
    this.plans = plans;
    this.masker = masker;
    this.clock = clock;
  }

  public RunDetails details(String runId, Locale locale) {
    Run run = runs.get(runId);
    Plan plan = plans.get(run.planId());
    Procedure procedure = plans.procedure(run.procedureId());
    Instant now = clock.instant();
    SecretScope secrets = masker.forRun(runId);
    List<Approval> approvals = runs.approvals(runId);
    List<RunStep> steps = run.steps();
    List<RunDetails.PhaseView> phases = new ArrayList<>();
    for (RunPhase runPhase : run.phases()) {
      Phase phase = procedure.phase(runPhase.phaseId()).orElse(null);
      if (phase == null) {
        continue;
      }
      long used = runPhase.used(now).toSeconds();
      List<Approval> mine = approvals.stream().filter(a -> a.phaseId().equals(phase.id())).toList();
      boolean approved = mine.stream().anyMatch(a -> a.standing() && a.planHash().equals(plan.hash())
          && a.decision() == Approval.Decision.APPROVED);
      boolean rejected = mine.stream().anyMatch(a -> a.standing() && a.planHash().equals(plan.hash())
          && a.decision() == Approval.Decision.REJECTED);
      List<RunDetails.StepView> stepViews = new ArrayList<>();
      for (RunStep runStep : steps) {
        if (!runStep.phaseId().equals(phase.id())) {
          continue;
        }
        Step step = phase.step(runStep.stepId()).orElse(null);
        if (step == null) {
          continue;
        }
        String instructions = null;
        List<String> checklist = runStep.checklist();
        if (step.type().equals("manual")) {
          boolean chinese = locale != null && "zh".equals(locale.getLanguage());
          Object text = step.params().get(chinese && step.params().containsKey("instructions_zh") ? "instructions_zh"
              : "instructions");
          instructions = text == null ? null : resolvedText(run, plan, procedure, text);
          if (chinese && step.params().get("checklist_zh") instanceof List<?> zh && zh.size() == checklist.size()) {
            checklist = zh.stream().map(item -> resolvedText(run, plan, procedure, item)).toList();
          }
        }
        stepViews.add(new RunDetails.StepView(runStep.key(), step.id(), step.name(locale), step.type(), step.repeatable(),
            runStep.state(), runStep.attempts(), runStep.startedAt(), runStep.endedAt(), runStep.took(now).toMillis(),
            // masked again as shown: stored masked argument by argument, a language's words around them are new
            secrets.mask(messages.of(runStep.said(), procedure, locale)), runStep.lastAction(), runStep.lastExit(), instructions,
            checklist, step.guard(), runStep.attempt(), step.retry().attempts(),
            runStep.waitingForNextAttempt() ? runStep.nextAttemptAt() : null,
            runStep.waitingForNextAttempt() ? RunDetails.StepView.retryStatus(runStep.attempt() + 1,
                step.retry().attempts(), java.time.Duration.between(now, runStep.nextAttemptAt()).isNegative()
                    ? java.time.Duration.ZERO : java.time.Duration.between(now, runStep.nextAttemptAt())) : null,
            runStep.overrideBy(), runStep.overrideReason()));
      }
      phases.add(new RunDetails.PhaseView(phase.id(), phase.name(locale), phase.description(locale), phase.downtime(),
          phase.budget() == null ? null : phase.budget().toSeconds(), used, runPhase.state(), runPhase.requestedBy(),
          runPhase.planVersion(), runPhase.startedAt(), runPhase.endedAt(), mine, approved, rejected,
          phase.id().equals(run.phaseId()), stepViews));
    }
    // One figure for downtime, computed once by the window clock: the header, the clock, the API and
    // the PDF all read it (approval waits between downtime phases count: the applications are down).
    WindowClock window = window(run, plan, procedure, now, locale);
    long downtime = window == null ? 0 : window.downtimeSeconds();
    return new RunDetails(run, procedure.name(locale),
        new RunDetails.PlanSummary(plan.id(), plan.title(), plan.version(), plan.hash(), plan.shortHash()),
        plans.shownValues(plan), phases, runs.undoRecords(runId).stream()
            .map(u -> new UndoRecord(u.key(), u.step(), secrets.mask(u.value()), u.recordedAt(), u.settledAt())).toList(),
        downtime, window, progress(runId), now,
        run.isFinal() ? null : procedure.warning(locale).orElse(null), actions.recovery(runId, locale),
        actions.attempts(runId), messages.of(run, procedure, locale),
        run.said() == null ? null : run.said().key(), run.said() == null ? List.of() : run.said().args());
  }

  /** The maintenance-window clock; null when the procedure has no downtime phase. */
  private WindowClock window(Run run, Plan plan, Procedure procedure, Instant now, Locale locale) {
    if (procedure.phases().stream().noneMatch(Phase::downtime)) {
      return null;
    }
    Map<String, Object> bound;
    try {
      bound = plans.bound(plan, procedure);
    } catch (IllegalArgumentException e) {
      bound = Map.of();
    }
    return WindowClocks.of(procedure, bound, run.phases(), runs.figures(run.id()), now,
        run.isFinal() ? run.endedAt() : null, locale);
  }

  /** The progress bars of the run, as the steps last reported them. */
  public List<RunDetails.ProgressView> progress(String runId) {
    return progress.of(runId).stream().map(e -> new RunDetails.ProgressView(e.step(), e.progress())).toList();
  }

  /** What the phase will do with the plan's current version, step by step. */
  public PhasePreview preview(String runId, String phaseId, Locale locale) {
    Run run = runs.get(runId);
    return previews.of(run, plans.get(run.planId()), phaseId, locale);
  }

  private String resolvedText(Run run, Plan plan, Procedure procedure, Object template) {
    try {
      return masker.forRun(run.id())
          .mask(String.valueOf(ParamResolver.resolve(template, scope(run, plan, procedure))));
    } catch (RuntimeException e) {
      return String.valueOf(template);
    }
  }

  /**
   * The run's resolution scope ({@code params}, {@code plan}, {@code run}); the run is linked to its
   * plan first, so the plan's secret values mask in the run's output.
   */
  private Map<String, Object> scope(Run run, Plan plan, Procedure procedure) {
    masker.runOfPlan(run.id(), plan.id());
    return RunScope.of(run, plan, plans.bound(plan, procedure));
  }
}
