package io.lockstep.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.webmvc.autoconfigure.error.BasicErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The servlet container's error path ({@code /error}) for errors raised before or around Spring MVC:
 * the firewall's refusals ({@code ;}, {@code ..}, encoded slashes), {@code sendError} from filters,
 * exceptions out of filters. For a request under {@code /api} it answers a problem, whatever the
 * request accepts; a 5xx is logged under the id the problem names. Pages get the console's error page
 * ({@link ErrorPages}), in the layout, with the id a 5xx is logged under.
 */
class ApiErrorController extends BasicErrorController {

  private final ApiFailures failures;

  ApiErrorController(ErrorAttributes attributes, ErrorProperties properties, List<ErrorViewResolver> resolvers,
      ApiFailures failures) {
    super(attributes, properties, resolvers);
    this.failures = failures;
  }

  @Override
  public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
    if (ApiPaths.isApi(request)) {
      problem(request, response);
      return null;
    }
    int status = getStatus(request).value();
    String id = null;
    if (status >= 500) {
      Object cause = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      id = failures.log(request, cause instanceof Throwable t ? t : null);
    }
    response.setStatus(status);
    return ErrorPages.of(request, status, id);
  }

  /**
   * An htmx request's error, whatever it accepts (htmx sends {@code Accept: *}{@code /*}, which would
   * pick the JSON answer): the error page's notice, which {@code lockstep.js} shows over the page.
   */
  @RequestMapping(headers = "HX-Request=true")
  public ModelAndView htmxError(HttpServletRequest request, HttpServletResponse response) {
    return errorHtml(request, response);
  }

  @Override
  public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
    HttpServletResponse response = RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
        ? a.getResponse() : null;
    if (response != null && ApiPaths.isApi(request)) {
      problem(request, response);
      return null;
    }
    return super.error(request);
  }

  private void problem(HttpServletRequest request, HttpServletResponse response) {
    int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer s ? s : 500;
    Map<String, Object> more = Map.of();
    String detail;
    if (ApiFailures.badParameterEncoding((Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
      status = 400;
      detail = ApiFailures.BAD_PARAMETER;
    } else if (status >= 500) {
      Object cause = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      String id = failures.log(request, cause instanceof Throwable t ? t : null);
      detail = ApiFailures.detail(id);
      more = Map.of("errorId", id);
    } else if (status == 400) {
      detail = "The request's URL or headers are refused: an encoded slash or backslash, a path parameter (';'),"
          + " '..', a NUL, a character a URL cannot hold, or a malformed percent-encoding.";
    } else {
      detail = Problems.defaultDetail(status);
    }
    try {
      response.resetBuffer();
      Problems.write(response, status, detail, ApiPaths.instance(request), more);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
