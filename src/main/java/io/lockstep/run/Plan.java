package io.lockstep.run;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a plan: a procedure and the values it runs with. Every edit makes a new version
 * with a new {@link #hash()}; approvals name the hash they approved.
 *
 * @param id e.g. {@code plan-12}
 * @param procedureId the procedure's id
 * @param title what the operator calls it ({@code Move kafka off node-1..3, Sat 28 Nov})
 * @param version 1 for the first, counting up with every edit
 * @param hash SHA-256 of the procedure's content hash, the values and the data: the version's name
 * @param procedureHash the content hash of the procedure this version was planned against
 * @param values the parameter values as given (secret ones included; mask before showing)
 * @param data what a planner adds beyond parameters, the {@code plan.*} scope (P1: {@code rows})
 * @param createdBy who made the plan
 * @param createdAt when
 * @param editedBy who made this version
 * @param editedAt when
 */
public record Plan(String id, String procedureId, String title, int version, String hash,
    String procedureHash, Map<String, Object> values, Map<String, Object> data, String createdBy,
    Instant createdAt, String editedBy, Instant editedAt) {

  /** The first 12 characters of the hash, as shown next to approvals. */
  public String shortHash() {
    return hash.substring(0, 12);
  }
}
