package io.lockstep.run;

import io.lockstep.procedure.ParamResolver;
import io.lockstep.procedure.Phase;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What a phase will do with a plan version, step by step, as the approver sees it. The page, the
 * API and the approval itself read the same preview: a phase whose preview shows a problem cannot
 * be approved, since the approver would approve something nobody could see.
 */
@Component
class PhasePreviews {

  private final Plans plans;
  private final StepExecutors executors;
  private final SecretMasker masker;
  private final RunMessages messages;

  PhasePreviews(Plans plans, StepExecutors executors, SecretMasker masker, RunMessages messages) {
    this.plans = plans;
    this.executors = executors;
    this.masker = masker;
    this.messages = messages;
  }

  /** The phase's preview for {@code plan} (the plan's current version, normally). */
  PhasePreview of(Run run, Plan plan, String phaseId, Locale given) {
    Locale locale = given == null ? Locale.ENGLISH : given;
    Procedure procedure = plans.procedure(run.procedureId());
    Phase phase = procedure.phase(phaseId)
        .orElseThrow(() -> new RunException.NotFound(run.id() + " has no phase " + phaseId,
            RunMessage.of("run.refusal.noPhase", RunMessage.text(run.id()), RunMessage.text(phaseId))));
    // the run is linked to its plan first, so the plan's secret values mask in what is shown
    masker.runOfPlan(run.id(), plan.id());
    SecretScope secrets = masker.forRun(run.id());
    Map<String, Object> scope;
    try {
      scope = RunScope.of(run, plan, plans.bound(plan, procedure));
    } catch (IllegalArgumentException e) {
      return new PhasePreview(run.id(), phaseId, plan.version(), plan.hash(), List.of(new PhasePreview.StepLines(
          phaseId, phase.name(locale), "-", true, null, List.of(), List.of(), null, secrets.mask(e.getMessage()))));
    }
    List<PhasePreview.StepLines> lines = new ArrayList<>();
    for (Step step : phase.steps()) {
      String key = phase.id() + "." + step.id();
      try {
        Map<String, Object> params = ParamResolver.resolveParams(step, scope);
        StepExecutor executor = executors.of(step.type())
            .orElseThrow(() -> new IllegalArgumentException("no executor of type " + step.type()));
        StepPreview preview = executor.preview(params);
        lines.add(new PhasePreview.StepLines(key, step.name(locale), step.type(), step.repeatable(), step.when(),
            preview.actions().stream().map(secrets::mask).toList(),
            // masked after rendering: a secret is an argument, so it reads as itself in every language
            preview.lines().stream().map(line -> secrets.mask(messages.line(line, locale))).toList(),
            preview.diff() == null ? null : secrets.mask(preview.diff()), null));
      } catch (RuntimeException e) {
        lines.add(new PhasePreview.StepLines(key, step.name(locale), step.type(), step.repeatable(), step.when(),
            List.of(), List.of(), null, secrets.mask(String.valueOf(e.getMessage()))));
      }
    }
    return new PhasePreview(run.id(), phaseId, plan.version(), plan.hash(), lines);
  }
}
