package io.lockstep.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/** Which requests belong to the REST API, whose errors are problems, never HTML pages. */
final class ApiPaths {

  private ApiPaths() {}

  /**
   * Whether the request, or the request an error dispatch is about, is under {@code /api}. Looks at
   * the raw URI, so it also answers for URIs the container could not decode.
   */
  static boolean isApi(HttpServletRequest request) {
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String uri = original instanceof String s ? s : request.getRequestURI();
    String context = request.getContextPath();
    if (uri != null && context != null && !context.isEmpty() && uri.startsWith(context)) {
      uri = uri.substring(context.length());
    }
    return isApi(uri);
  }

  static boolean isApi(String rawPath) {
    return rawPath != null && (rawPath.equals("/api") || rawPath.startsWith("/api/") || rawPath.startsWith("/api;")
        || rawPath.startsWith("/api?"));
  }

  /** The path as a problem's {@code instance}: clipped, without control characters. */
  static String instance(HttpServletRequest request) {
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    return Problems.clean(original instanceof String s ? s : request.getRequestURI(), 200);
  }
}
