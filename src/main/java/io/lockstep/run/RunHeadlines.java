package io.lockstep.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Computes the {@link RunHeadline} of a run for one viewer from what the page shows anyway (the
 * run's details) and who may act: the approvers who may approve (not the requester, not an author
 * of the plan) and the operators.
 */
final class RunHeadlines {

  static final String YOU = "you";

  private RunHeadlines() {}

  /**
   * @param d the run as the page shows it
   * @param approvable the phases this viewer may approve now
   * @param viewerOperates the viewer is an operator (may confirm, resume, retry)
   * @param viewerMaySkip the viewer may skip a failed step (or sign a guard's override): an approver
   *     who neither requested the run nor wrote a version of its plan, as {@link Runs#skip} allows
   * @param approvers the approvers who may approve this run's phases (other than the viewer)
   * @param operators the operators (other than the viewer)
   * @param comma the separator of the other names ({@code ", "}, {@code "、"})
   * @param or the word joining the last two names ({@code " or "})
   */
  static RunHeadline of(RunDetails d, Set<String> approvable, boolean viewerOperates, boolean viewerMaySkip,
      List<String> approvers, List<String> operators, String comma, String or) {
    // phase n of N counts the phases that run: those the plan switched off are not among them
    List<RunDetails.PhaseView> phases = d.phases().stream()
        .filter(p -> p.state() != RunPhase.State.SKIPPED).toList();
    int index = 0;
    RunDetails.PhaseView phase = null;
    for (int i = 0; i < phases.size(); i++) {
      if (phases.get(i).current()) {
        index = i + 1;
        phase = phases.get(i);
      }
    }
    int count = phases.size();
    String phaseName = phase == null ? "" : phase.name();
    RunDetails.StepView waiting = phase == null ? null : step(phase, RunStep.State.WAITING);
    switch (d.run().state()) {
      case SUCCEEDED:
        return new RunHeadline(RunHeadline.Kind.SUCCEEDED, "run.head.succeeded", List.of(), "", false, index, count, null);
      case ABORTED:
        return new RunHeadline(RunHeadline.Kind.ABORTED, "run.head.aborted", List.of(), "", false, index, count, null);
      case CREATED:
        return new RunHeadline(RunHeadline.Kind.STARTING, "run.head.starting", List.of(), "", false, index, count, null);
      case AWAITING_APPROVAL: {
        if (phase != null && phase.rejectedForCurrentPlan()) {
          // a standing rejection of this plan version: no approver may approve it any more, the run
          // waits for an operator to edit the plan (which voids the rejection) or to abort it
          String by = phase.approvals().stream()
              .filter(a -> a.standing() && a.decision() == Approval.Decision.REJECTED
                  && a.planHash().equals(d.plan().hash()))
              .map(Approval::actor).findFirst().orElse("");
          if (viewerOperates) {
            return new RunHeadline(RunHeadline.Kind.REJECTED, "run.head.rejected.you", List.of(index, phaseName, by), YOU,
                true, index, count, new RunHeadline.Next("run.head.next.rejected", "phase-" + phase.id(), false));
          }
          String who = RunHeadline.names(operators, comma, or);
          return new RunHeadline(RunHeadline.Kind.REJECTED, "run.head.rejected.others",
              List.of(index, phaseName, by, who), who, false, index, count, null);
        }
        if (phase != null && approvable.contains(phase.id())) {
          return new RunHeadline(RunHeadline.Kind.APPROVAL, "run.head.approval.you", List.of(index, phaseName), YOU, true,
              index, count, new RunHeadline.Next("run.head.next.approve", "phase-" + phase.id(), false));
        }
        String who = RunHeadline.names(approvers, comma, or);
        return new RunHeadline(RunHeadline.Kind.APPROVAL, who.isEmpty() ? "run.head.approval.nobody" : "run.head.approval.others",
            List.of(index, phaseName, who), who, false, index, count, null);
      }
      case PAUSED:
        return paused(d, viewerOperates, RunHeadline.names(operators, comma, or), index, count);
      case FAILED:
      case NEEDS_DECISION:
        return decision(phase == null ? null : stopped(phase), phaseName, viewerOperates, viewerMaySkip,
            RunHeadline.names(approvers, comma, or), RunHeadline.names(operators, comma, or), index, count);
      default:
        break;
    }
    if (waiting != null) {
      if (viewerOperates) {
        return new RunHeadline(RunHeadline.Kind.MANUAL, "run.head.manual.you", List.of(waiting.name()), YOU, true, index,
            count, new RunHeadline.Next("run.head.next.checklist", waiting.anchor(), false));
      }
      String who = RunHeadline.names(operators, comma, or);
      return new RunHeadline(RunHeadline.Kind.MANUAL, "run.head.manual.others", List.of(waiting.name(), who), who, false,
          index, count, null);
    }
    RunDetails.StepView running = phase == null ? null : step(phase, RunStep.State.RUNNING);
    String what = running != null ? running.name() : phaseName;
    if (running != null) {
      List<RunDetails.ProgressView> rows = new ArrayList<>();
      for (RunDetails.ProgressView p : d.progress()) {
        if (p.step().equals(running.key())) {
          rows.add(p);
        }
      }
      if (!rows.isEmpty()) {
        long done = rows.stream().filter(p -> p.progress().finished()).count();
        return new RunHeadline(RunHeadline.Kind.RUNNING, "run.head.running.rows", List.of(what, done, rows.size()), "",
            false, index, count, null);
      }
    }
    return new RunHeadline(RunHeadline.Kind.RUNNING, "run.head.running", List.of(what), "", false, index, count, null);
  }

  /**
   * A paused run: who paused it and when (when the run keeps it; a run paused before it did names
   * only who may resume), and who may resume — this viewer, if an operator.
   */
  private static RunHeadline paused(RunDetails d, boolean viewerOperates, String operators, int index, int count) {
    String by = d.run().pausedBy();
    java.time.Instant at = by == null ? null : d.run().pausedAt();
    if (viewerOperates) {
      return new RunHeadline(RunHeadline.Kind.PAUSED, by == null ? "run.head.paused.you" : "run.head.pausedBy.you",
          by == null ? List.of() : List.of(by), YOU, true, index, count,
          new RunHeadline.Next("run.head.next.resume", null, true), at);
    }
    return new RunHeadline(RunHeadline.Kind.PAUSED, by == null ? "run.head.paused.others" : "run.head.pausedBy.others",
        by == null ? List.of(operators) : List.of(by, operators), operators, false, index, count, null, at);
  }

  /**
   * A run stopped on a failed (or interrupted) step, as {@link Runs} lets each person decide: any
   * operator retries or aborts; an approver who neither requested the run nor wrote its plan skips
   * it, with a reason — or, for a guard, signs its override, which takes two such approvers. The
   * sentence says what this viewer may do, and whom the run waits for for the rest.
   *
   * @param approvers the approvers, other than the viewer, who may skip (or sign), joined
   * @param operators the operators other than the viewer, joined
   */
  private static RunHeadline decision(RunDetails.StepView failed, String phaseName, boolean viewerOperates,
      boolean viewerMaySkip, String approvers, String operators, int index, int count) {
    String step = failed == null ? phaseName : failed.name();
    String anchor = failed == null ? null : failed.anchor();
    boolean guard = failed != null && failed.guard();
    RunHeadline.Kind kind = RunHeadline.Kind.DECISION;
    if (viewerOperates && viewerMaySkip) {
      return new RunHeadline(kind, guard ? "run.head.decision.you.guard" : "run.head.decision.you", List.of(step), YOU,
          true, index, count, new RunHeadline.Next(guard ? "run.head.next.decideGuard" : "run.head.next.decide",
              anchor, false));
    }
    if (viewerOperates) {
      String key = approvers.isEmpty() ? "run.head.decision.operator.noApprover"
          : guard ? "run.head.decision.operator.guard" : "run.head.decision.operator";
      return new RunHeadline(kind, key, approvers.isEmpty() ? List.of(step) : List.of(step, approvers), YOU, true,
          index, count, new RunHeadline.Next("run.head.next.retryOrAbort", anchor, false));
    }
    if (viewerMaySkip) {
      return new RunHeadline(kind, guard ? "run.head.decision.approver.guard" : "run.head.decision.approver",
          List.of(step, operators), YOU, true, index, count,
          new RunHeadline.Next(guard ? "run.head.next.override" : "run.head.next.skip", anchor, false));
    }
    if (approvers.isEmpty()) {
      return new RunHeadline(kind, "run.head.decision.others.noApprover", List.of(step, operators), operators, false,
          index, count, null);
    }
    return new RunHeadline(kind, guard ? "run.head.decision.others.guard" : "run.head.decision.others.skip",
        List.of(step, operators, approvers), operators, false, index, count, null);
  }

  private static RunDetails.StepView step(RunDetails.PhaseView phase, RunStep.State state) {
    return phase.steps().stream().filter(s -> s.state() == state).findFirst().orElse(null);
  }

  private static RunDetails.StepView stopped(RunDetails.PhaseView phase) {
    return phase.steps().stream()
        .filter(s -> s.state() == RunStep.State.FAILED || s.state() == RunStep.State.INTERRUPTED)
        .findFirst().orElse(null);
  }
}
