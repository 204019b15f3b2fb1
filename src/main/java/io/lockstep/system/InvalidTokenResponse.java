package io.lockstep.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer to a bearer token that does not authenticate: 401 with an RFC 9457 problem and an RFC
 * 6750 challenge. Unknown, revoked, expired, owner gone or caller throttled all read the same, so
 * the answer tells a holder of a stolen or guessed token nothing; the audit trail has the reason.
 */
final class InvalidTokenResponse implements AuthenticationFailureHandler {

  static final String DETAIL = "Invalid or revoked token.";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
      AuthenticationException exception) throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", "Unauthorized");
    problem.put("status", HttpServletResponse.SC_UNAUTHORIZED);
    problem.put("detail", DETAIL);
    problem.put("instance", request.getRequestURI());
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
        "Bearer realm=\"Lockstep\", error=\"invalid_token\", error_description=\"" + DETAIL + "\"");
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), problem);
  }
}
