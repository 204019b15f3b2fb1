package io.lockstep.run;

import java.time.Instant;

/**
 * A decision on a phase of a run, for one plan version.
 *
 * @param id the row id
 * @param runId the run
 * @param phaseId the phase
 * @param planHash the plan version the decision was for
 * @param decision approved or rejected
 * @param actor who decided (an approver who is not the requester)
 * @param comment why
 * @param decidedAt when
 * @param voidedAt when a plan edit voided it; null while it stands
 * @param voidedReason why it was voided
 */
public record Approval(long id, String runId, String phaseId, String planHash, Decision decision,
    String actor, String comment, Instant decidedAt, Instant voidedAt, String voidedReason) {

  public enum Decision { APPROVED, REJECTED }

  public String decidedAtUtc() {
    return RunDetails.utc(decidedAt);
  }

  public boolean standing() {
    return voidedAt == null;
  }
}
