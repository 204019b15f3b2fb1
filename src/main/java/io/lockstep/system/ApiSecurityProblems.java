package io.lockstep.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The security layer's refusals of {@code /api/**} as RFC 9457 problems: 401 with a Basic challenge
 * (scripts and curl then send credentials) when nobody is logged in, 403 when the roles do not allow
 * the request. The detail says which, never why a password was wrong.
 */
final class ApiSecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Lockstep\"");
    write(request, response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized",
        "Authentication is required: HTTP Basic with a console user, or a personal API token"
            + " (Authorization: Bearer lst_…).");
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    write(request, response, HttpServletResponse.SC_FORBIDDEN, "Forbidden", "Your roles do not allow this.");
  }

  private static void write(HttpServletRequest request, HttpServletResponse response, int status, String title,
      String detail) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "about:blank");
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", instance(request.getRequestURI()));
    response.resetBuffer();
    response.setStatus(status);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    JSON.writeValue(response.getOutputStream(), problem);
  }

  /** The path as a URI reference: at most 200 characters, nothing a URI cannot hold. */
  private static String instance(String uri) {
    String path = uri == null ? "" : uri.length() <= 200 ? uri : uri.substring(0, 200);
    return path.replaceAll("[^A-Za-z0-9/._~%!$&'()*+,;=:@-]", "_");
  }
}
