package io.lockstep.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;

/**
 * Reads {@code Authorization: Bearer <token>} (RFC 6750). Any bearer value is an attempt, also
 * one that is not shaped like a Lockstep token, so it is refused and counted rather than ignored;
 * requests without a bearer header pass on to the other ways of logging in.
 */
final class BearerTokenConverter implements AuthenticationConverter {

  private static final String SCHEME = "Bearer";

  private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();

  @Override
  public Authentication convert(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)) {
      return null;
    }
    ApiTokenAuthentication attempt = ApiTokenAuthentication.attempt(header.substring(SCHEME.length() + 1).strip());
    attempt.setDetails(details.buildDetails(request));
    return attempt;
  }
}
