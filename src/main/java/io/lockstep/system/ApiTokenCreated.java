package io.lockstep.system;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A user created an API token for themselves. Names the token by id and label, never its value. */
record ApiTokenCreated(long tokenId, String actor, String label, Instant expiresAt) implements Auditable {

  @Override
  public String auditType() {
    return "TOKEN_CREATED";
  }

  @Override
  public String summary() {
    return "API token '" + label + "' of " + actor + " created, "
        + (expiresAt == null ? "does not expire" : "expires " + expiresAt);
  }

  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("id", tokenId);
    details.put("owner", actor);
    details.put("label", label);
    details.put("expiresAt", expiresAt == null ? "never" : expiresAt.toString());
    return details;
  }
}
