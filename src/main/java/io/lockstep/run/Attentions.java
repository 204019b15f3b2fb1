package io.lockstep.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Builds what waits for one person ({@link Attention}) from the runs: the manual checkpoints they
 * may confirm and the approvals blocking a run now first, the approvals that may be given ahead
 * apart. The rules of who may give what are {@link Runs}'s ({@link Runs#checklistsFor},
 * {@link Runs#approvableBy}); this only sorts and names.
 */
@Component
class Attentions {

  private final Runs runs;
  private final Plans plans;

  Attentions(Runs runs, Plans plans) {
    this.runs = runs;
    this.plans = plans;
  }

  /** The names of procedures, phases and steps in {@code locale}. */
  RunNames names(Locale locale) {
    return new RunNames(plans, locale);
  }

  Attention of(Actor actor, Locale locale) {
    RunNames names = names(locale);
    List<Attention.Item> now = new ArrayList<>();
    List<Attention.Item> ahead = new ArrayList<>();
    for (Runs.WaitingStep waiting : runs.checklistsFor(actor)) {
      Run run = waiting.run();
      RunStep step = waiting.step();
      now.add(new Attention.Item(Attention.Kind.CHECKLIST, run.id(), run.requester(),
          names.procedure(run.procedureId()), step.phaseId(), names.phase(run.procedureId(), step.phaseId()),
          step.key(), names.step(run.procedureId(), step.key()), waiting.requestedByActor()));
    }
    for (Runs.PendingApproval pending : runs.approvableBy(actor)) {
      Run run = pending.run();
      Attention.Item item = new Attention.Item(Attention.Kind.APPROVAL, run.id(), run.requester(),
          names.procedure(run.procedureId()), pending.phaseId(), names.phase(run.procedureId(), pending.phaseId()),
          null, null, false);
      (pending.blocking() ? now : ahead).add(item);
    }
    return new Attention(now, ahead);
  }
}
