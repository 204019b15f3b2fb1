package io.lockstep.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.util.UriUtils;

/**
 * The error page of the console's pages ({@code error/page.html}, in the layout, in the reader's
 * language): what was not found with a link back, or why it was refused, or the id a failure is
 * logged under; never a stack trace. An htmx request gets the page's {@code notice} fragment
 * alone, which {@code lockstep.js} shows as a notification instead of swapping it into the page.
 */
final class ErrorPages {

  static final String PAGE = "error/page";
  static final String NOTICE = "error/page :: notice";

  /** A run's or a plan's page (and what hangs below it): {@code /runs/{id}…}, {@code /migration/plans/{id}}. */
  private static final Pattern THING = Pattern.compile("^/(runs|plans|migration/plans)/([^/?;#]+).*$");

  private ErrorPages() {}

  /**
   * The page (or, for htmx, the notice) for {@code status}.
   *
   * @param errorId the id a failure is logged under; null for a refusal
   */
  static ModelAndView of(HttpServletRequest request, int status, String errorId) {
    boolean htmx = "true".equals(request.getHeader("HX-Request"));
    ModelAndView page = new ModelAndView(htmx ? NOTICE : PAGE, HttpStatusCode.valueOf(status));
    String path = path(request);
    page.addObject("status", status);
    page.addObject("path", Problems.clean(path, 200));
    page.addObject("errorId", errorId);
    page.addObject("back", "/");
    // a logged-in page whose CSRF token is stale (a login in another tab renews it): not a matter of roles
    page.addObject("staleToken", request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof CsrfException);
    Matcher thing = THING.matcher(path);
    if (thing.matches() && !"new".equals(thing.group(2))) {
      boolean run = thing.group(1).equals("runs");
      page.addObject("kind", run ? "run" : "plan");
      page.addObject("thing", Problems.clean(decoded(thing.group(2)), 100));
      page.addObject("back", run ? "/runs" : "/plans");
    }
    return page;
  }

  /** The path the error is about, without the context path. */
  private static String path(HttpServletRequest request) {
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String uri = original instanceof String s ? s : request.getRequestURI();
    String context = request.getContextPath();
    if (uri == null) {
      return "/";
    }
    return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
  }

  private static String decoded(String segment) {
    try {
      return UriUtils.decode(segment, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }
}
