package io.lockstep.system;

import java.util.Map;

/**
 * A user was refused a change to API tokens (another user's token, a label the rules refuse):
 * a {@code REFUSED} audit event like every other refusal. Carries no token value and no label, a
 * label being whatever the user typed.
 */
record ApiTokenRefused(String actor, String request, String reason, String refusal) implements Auditable {

  @Override
  public String auditType() {
    return "REFUSED";
  }

  @Override
  public String summary() {
    return actor + " was refused: " + request + ". " + reason;
  }

  @Override
  public Map<String, Object> details() {
    return Map.of("request", request, "reason", reason, "refusal", refusal);
  }
}
