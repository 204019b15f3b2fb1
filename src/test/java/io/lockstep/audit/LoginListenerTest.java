package io.lockstep.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.TestDatabases;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/** What the audit trail records of Spring Security's login events. */
class LoginListenerTest {

  AnAuditTrail trail;
  LoginListener listener;

  @BeforeEach
  void setUp() {
    trail = AnAuditTrail.on(TestDatabases.h2());
    listener = new LoginListener(trail.log);
  }

  @Test
  void aFailedLoginKeepsTheNameAsTypedTheAddressAndTheReason() {
    listener.on(new AuthenticationFailureBadCredentialsEvent(attempt("op1 ", "10.1.2.3"), new BadCredentialsException("Bad credentials")));
    listener.on(new AuthenticationFailureLockedEvent(attempt("ap2", "10.1.2.4"),
        new LockedException("Too many failed logins; try again in 15 min")));

    List<AuditEntry> rows = trail.log.page(AuditFilter.ALL, AuditOrder.OLDEST_FIRST, 0, 10).entries();
    assertThat(rows).extracting(AuditEntry::type).containsOnly("LOGIN_FAILED");
    assertThat(rows.get(0).details()).containsEntry("username", "op1 ").containsEntry("remoteAddress", "10.1.2.3")
        .containsEntry("reason", "Bad credentials").containsEntry("failure", "AuthenticationFailureBadCredentialsEvent");
    assertThat(rows.get(0).summary()).isEqualTo("Login as 'op1 ' from 10.1.2.3 failed: Bad credentials");
    assertThat(rows.get(1).actor()).isEqualTo("ap2");
    assertThat(rows.get(1).summary()).contains("try again in 15 min");
  }

  @Test
  void formLoginsAndLogoutsAreRecordedWithTheUserAndAddress() {
    UsernamePasswordAuthenticationToken lead = UsernamePasswordAuthenticationToken.authenticated("lead", null,
        AuthorityUtils.createAuthorityList("ROLE_OPERATOR"));
    lead.setDetails(new WebAuthenticationDetails(request("10.9.8.7")));
    listener.on(new InteractiveAuthenticationSuccessEvent(lead, getClass()));
    listener.on(new LogoutSuccessEvent(lead));

    List<AuditEntry> rows = trail.log.page(AuditFilter.ALL, AuditOrder.OLDEST_FIRST, 0, 10).entries();
    assertThat(rows).extracting(AuditEntry::type).containsExactly("LOGIN_SUCCEEDED", "LOGOUT");
    assertThat(rows).extracting(AuditEntry::actor).containsOnly("lead");
    assertThat(rows.get(0).details()).containsEntry("remoteAddress", "10.9.8.7").containsEntry("method", "form");
  }

  private static UsernamePasswordAuthenticationToken attempt(String name, String address) {
    UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(name, "typed-password");
    token.setDetails(new WebAuthenticationDetails(request(address)));
    return token;
  }

  private static HttpServletRequest request(String address) {
    MockHttpServletRequest request = new MockHttpServletRequest();
    request.setRemoteAddr(address);
    return request;
  }
}
