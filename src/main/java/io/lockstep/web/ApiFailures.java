package io.lockstep.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * The last word on an exception no advice answered, for {@code /api/**}: 500 with a problem that
 * names an id, and the exception in the console's log under that id, so the operator can find what
 * the caller saw without the caller seeing Java. Runs after Spring's own resolvers; lets pass what
 * the security filters answer (401, 403) and what the pages show.
 */
@Component
class ApiFailures implements HandlerExceptionResolver, Ordered {

  /** Request attribute: the exception an advice turned into a problem (for the log of a 5xx). */
  static final String HANDLED = ApiFailures.class.getName() + ".handled";

  private static final Logger log = LoggerFactory.getLogger(ApiFailures.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception ex) {
    if (!ApiPaths.isApi(request) || response.isCommitted() || ex instanceof AccessDeniedException
        || ex instanceof AuthenticationException || ex instanceof AsyncRequestNotUsableException) {
      return null;
    }
    if (badParameterEncoding(ex)) {
      try {
        response.resetBuffer();
        Problems.write(response, 400, BAD_PARAMETER, ApiPaths.instance(request), Map.of());
      } catch (IOException | IllegalStateException e) {
        return null;
      }
      return new ModelAndView();
    }
    String id = log(request, ex);
    try {
      response.resetBuffer();
      Problems.write(response, 500, detail(id), ApiPaths.instance(request), Map.of("errorId", id));
    } catch (IOException | IllegalStateException e) {
      log.warn("could not answer the failure {} of {} {}: {}", id, request.getMethod(), request.getRequestURI(),
          e.toString());
    }
    return new ModelAndView();
  }

  /** Logs a failure with a new id and answers the id. */
  String log(HttpServletRequest request, Throwable cause) {
    String id = HexFormat.of().formatHex(bytes());
    log.error("internal error {} answering {} {}", id, request.getMethod(), ApiPaths.instance(request), cause);
    return id;
  }

  static final String BAD_PARAMETER = "A parameter of the request is not valid percent-encoding.";

  /** Tomcat parses parameters when first asked and throws then for a malformed {@code %}-escape: the caller's fault. */
  static boolean badParameterEncoding(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.apache.tomcat.util.http.InvalidParameterException) {
        return true;
      }
    }
    return false;
  }

  static String detail(String id) {
    return "Internal error, see the console log (id " + id + ").";
  }

  private static byte[] bytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }
}
