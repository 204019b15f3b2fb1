package io.lockstep.audit;

import io.lockstep.system.Refused;
import jakarta.servlet.http.HttpServletRequest;
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
    Refused refused = new Refused(user.getName(), null, what(event.getSource()),
        "The request needs a role the user does not hold.", "not allowed",
        Map.of("roles", String.join(",", user.getAuthorities().stream().map(a -> a.getAuthority()).sorted().toList())));
    log.append(refused.auditType(), refused.actor(), null, refused.summary(), refused.details());
  }

  private static String what(Object source) {
    if (source instanceof HttpServletRequest request) {
      return request.getMethod() + " " + request.getRequestURI();
    }
    if (source instanceof MethodInvocation invocation) {
      return invocation.getMethod().getDeclaringClass().getSimpleName() + "." + invocation.getMethod().getName();
    }
    return String.valueOf(source.getClass().getSimpleName());
  }
}
