package io.lockstep.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

/**
 * Records what Spring Security refused a signed-in user (a viewer posting an approval, an operator
 * calling an approver's URL) as a {@code REFUSED} event, the same type the use cases write for
 * their own refusals. Requests without a signed-in user are not recorded here: they are answered
 * with a login challenge, and failed logins are recorded by {@link LoginListener}.
 */
@Component
class RefusedAccessListener {

  static final String REFUSED = "REFUSED";
  private static final int MAX_PATH = 200;

  private final AuditLog log;
  private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

  RefusedAccessListener(AuditLog log) {
    this.log = log;
  }

  @EventListener
  void on(AuthorizationDeniedEvent<?> event) {
    Authentication user = event.getAuthentication().get();
    if (user == null || !user.isAuthenticated() || trust.isAnonymous(user)) {
      return;
    }
    String what = what(event.getSource());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("request", what);
    details.put("reason", "missing role");
    details.put("refusal", "not allowed");
    details.put("roles", String.join(",", user.getAuthorities().stream().map(a -> a.getAuthority()).sorted().toList()));
    log.append(REFUSED, user.getName(), null,
        user.getName() + " was refused: " + what + ". The request needs a role the user does not hold.", details);
  }

  private static String what(Object source) {
    if (source instanceof HttpServletRequest request) {
      String path = request.getRequestURI();
      path = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "…" : path;
      return request.getMethod() + " " + path.replaceAll("\\p{Cntrl}", " ");
    }
    if (source instanceof MethodInvocation invocation) {
      return invocation.getMethod().getDeclaringClass().getSimpleName() + "." + invocation.getMethod().getName();
    }
    return String.valueOf(source.getClass().getSimpleName());
  }
}
