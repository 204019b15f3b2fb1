package io.lockstep.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/**
 * Records logins, failed logins and logouts from Spring Security's events.
 *
 * <p>Successes are recorded for interactive (form) logins only. HTTP Basic authenticates every
 * API request anew, so recording its successes would write a row per call (a script polling a run
 * every second: 86,400 rows a day) and bury what matters; what an API caller changes is audited
 * with its name by the use case anyway. Failures are recorded for every kind of login, since
 * failures are what an auditor looks for (guessing, a blocked user); the throttle keeps their
 * rate bounded. The user name is recorded as typed, with the remote address and the reason.
 */
@Component
class LoginListener {

  static final String LOGIN_SUCCEEDED = "LOGIN_SUCCEEDED";
  static final String LOGIN_FAILED = "LOGIN_FAILED";
  static final String LOGOUT = "LOGOUT";

  private final AuditLog log;

  LoginListener(AuditLog log) {
    this.log = log;
  }

  @EventListener
  void on(InteractiveAuthenticationSuccessEvent event) {
    Authentication auth = event.getAuthentication();
    String address = remoteAddress(auth);
    log.append(LOGIN_SUCCEEDED, auth.getName(), null,
        "Logged in from " + address, Map.of("remoteAddress", address, "method", "form"));
  }

  @EventListener
  void on(AbstractAuthenticationFailureEvent event) {
    Authentication attempt = event.getAuthentication();
    String typed = attempt == null || attempt.getName() == null || attempt.getName().isBlank()
        ? "(no name)" : attempt.getName();
    String address = remoteAddress(attempt);
    String reason = event.getException().getMessage();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("username", typed);
    details.put("remoteAddress", address);
    details.put("reason", reason);
    details.put("failure", event.getClass().getSimpleName());
    log.append(LOGIN_FAILED, typed, null,
        "Login as '" + typed + "' from " + address + " failed: " + reason, details);
  }

  @EventListener
  void on(LogoutSuccessEvent event) {
    Authentication auth = event.getAuthentication();
    String address = remoteAddress(auth);
    log.append(LOGOUT, auth.getName(), null, "Logged out from " + address, Map.of("remoteAddress", address));
  }

  private static String remoteAddress(Authentication auth) {
    return auth != null && auth.getDetails() instanceof WebAuthenticationDetails details
            && details.getRemoteAddress() != null
        ? details.getRemoteAddress()
        : "unknown";
  }
}
