package io.lockstep.system;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request somebody was refused, as evidence: who, what, why. Every module records its refusals
 * with this one event (use cases, the security layer, Spring MVC's own refusals, API tokens), so
 * they read alike and are cut alike: the request and the reason are each one line of at most
 * {@value #MAX_LINE} characters, control and format characters shown as spaces, since either may
 * carry what a hostile user typed.
 *
 * @param actor who asked
 * @param runId the run it concerns, or null
 * @param request what was asked, in words ({@code approve phase stop-apps})
 * @param reason why it was refused, as the person was told
 * @param refusal the kind: {@code not allowed}, {@code conflict}, {@code not found}, {@code invalid}
 * @param more further facts (the plan, the user's roles); no secrets
 */
public record Refused(String actor, String runId, String request, String reason, String refusal,
    Map<String, Object> more) implements Auditable {

  public static final String TYPE = "REFUSED";
  public static final int MAX_LINE = 500;

  public Refused {
    request = line(request);
    reason = line(reason == null || reason.isBlank() ? "(no reason given)" : reason);
    more = more == null ? Map.of() : Map.copyOf(more);
  }

  public Refused(String actor, String request, String reason, String refusal) {
    this(actor, null, request, reason, refusal, Map.of());
  }

  @Override
  public String auditType() {
    return TYPE;
  }

  @Override
  public String summary() {
    return actor + " was refused: " + request + ". " + reason;
  }

  @Override
  public Map<String, Object> details() {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("request", request);
    details.put("reason", reason);
    details.put("refusal", refusal);
    details.putAll(more);
    return details;
  }

  /** The text as one line of bounded length, control and format characters shown as spaces. */
  public static String line(String text) {
    String value = text == null ? "" : text;
    StringBuilder line = new StringBuilder(Math.min(value.length(), MAX_LINE + 1));
    for (int i = 0; i < value.length() && line.length() <= MAX_LINE; i++) {
      char c = value.charAt(i);
      line.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c);
    }
    return line.length() > MAX_LINE ? line.substring(0, MAX_LINE - 1) + "…" : line.toString();
  }
}
