package io.lockstep.web;

import io.lockstep.run.RunException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * A page about a run or plan that does not exist ({@code /runs/nope}, {@code /plans/nope}) answers
 * 404 with the error page, not a failure. Before the advices, so it decides for pages only: the
 * API's own advice keeps answering problems.
 */
@Component
class PageNotFound implements HandlerExceptionResolver, Ordered {

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10;
  }

  @Override
  public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
      Exception ex) {
    if (!(ex instanceof RunException.NotFound) || ApiPaths.isApi(request) || response.isCommitted()) {
      return null;
    }
    return ErrorPages.of(request, HttpServletResponse.SC_NOT_FOUND, null);
  }
}
