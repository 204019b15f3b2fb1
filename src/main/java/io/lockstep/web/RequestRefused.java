package io.lockstep.web;

import io.lockstep.system.Auditable;
import java.util.Map;

/**
 * A write to the API that Spring MVC refused before any use case saw it (a body that is not JSON
 * of the operation's shape, a value of the wrong type, a wrong method or content type), sent by a
 * signed-in user: evidence like every other refusal ({@code REFUSED}). Use cases record their own.
 *
 * @param actor who sent it
 * @param what the method and path, cut to a bounded line
 * @param reason what the answer told the sender
 */
record RequestRefused(String actor, String what, String reason) implements Auditable {

  static final String REFUSED = "REFUSED";

  @Override
  public String auditType() {
    return REFUSED;
  }

  @Override
  public String summary() {
    return actor + " was refused: " + what + ". " + reason;
  }

  @Override
  public Map<String, Object> details() {
    return Map.of("request", what, "reason", reason, "refusal", "invalid");
  }
}
