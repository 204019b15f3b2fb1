package io.lockstep.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Where an htmx request without a login goes (an expired session, a console restarted): not a login
 * form swapped into the page, but {@code 401} with {@code HX-Redirect} to the login page, so the
 * browser leaves the page; the page the person was on ({@code HX-Current-URL}) is remembered as
 * where the login returns to. Only a path of this console is remembered, never another origin's
 * address. The request itself did nothing: it never reached the console's use cases, and it is not
 * repeated after the login (an approval is given again, on the plan version then shown).
 */
final class HtmxLogin implements AuthenticationEntryPoint {

  /** An htmx request (htmx sets this header on every request it sends). */
  static final RequestMatcher HTMX = request -> "true".equals(request.getHeader("HX-Request"));

  /**
   * Requests worth returning to after a login: a page a person opened, not the badge, a banner's
   * poll, an htmx swap or an event stream, which would land them on a bare fragment.
   */
  static final RequestMatcher PAGE_GET = request -> "GET".equals(request.getMethod())
      && !HTMX.matches(request)
      && !String.valueOf(request.getHeader("Accept")).contains("text/event-stream")
      && (request.getHeader("Sec-Fetch-Dest") == null || "document".equals(request.getHeader("Sec-Fetch-Dest")));

  /** The session attribute {@link HttpSessionRequestCache} reads the saved request from. */
  private static final String SAVED_REQUEST = "SPRING_SECURITY_SAVED_REQUEST";

  private final String loginPage;

  HtmxLogin(String loginPage) {
    this.loginPage = loginPage;
  }

  /** The session's request cache, remembering page GETs only. */
  static RequestCache pageCache() {
    HttpSessionRequestCache cache = new HttpSessionRequestCache();
    cache.setRequestMatcher(PAGE_GET);
    return cache;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String back = sameOriginPath(request, request.getHeader("HX-Current-URL"));
    if (back != null) {
      request.getSession(true).setAttribute(SAVED_REQUEST, new SimpleSavedRequest(back));
    }
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setHeader("HX-Redirect", request.getContextPath() + loginPage);
    response.setContentLength(0);
  }

  /**
   * The path and query of {@code url} when it is a page of this console (same scheme, host and
   * port as the request, under its context path, not the login page), without the context path;
   * null otherwise.
   */
  static String sameOriginPath(HttpServletRequest request, String url) {
    if (url == null || url.isBlank() || url.length() > 2000) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
    if (!uri.isAbsolute() || uri.getRawAuthority() == null || uri.getRawUserInfo() != null
        || !request.getScheme().equalsIgnoreCase(uri.getScheme())
        || !request.getServerName().equalsIgnoreCase(uri.getHost()) || port(uri) != request.getServerPort()) {
      return null;
    }
    String path = uri.getRawPath();
    String context = request.getContextPath();
    if (path == null || !path.startsWith(context + "/") || path.startsWith(context + "//")
        || path.indexOf('\\') >= 0 || path.startsWith(context + "/login")) {
      return null;
    }
    // without the context path: the login's redirect adds it
    return path.substring(context.length()) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }
}
