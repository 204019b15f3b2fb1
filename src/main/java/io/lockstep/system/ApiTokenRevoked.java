package io.lockstep.system;

import java.util.Map;

/** The owner of an API token revoked it; from then on it authenticates nothing. */
record ApiTokenRevoked(long tokenId, String actor, String label) implements Auditable {

  @Override
  public String auditType() {
    return "TOKEN_REVOKED";
  }

  @Override
  public String summary() {
    return "API token '" + label + "' of " + actor + " revoked";
  }

  @Override
  public Map<String, Object> details() {
    return Map.of("id", tokenId, "owner", actor, "label", label);
  }
}
