package io.lockstep.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.beans.TypeMismatchException;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Every problem an {@code /api} operation answers, whoever made it (a controller's own handler, a
 * feature's advice, {@link ApiProblems}), leaves in one shape: {@code type}, {@code title},
 * {@code instance} filled in, and a detail that is a person's text, never Java's (a
 * {@code NumberFormatException}'s "For input string" becomes the status's plain message).
 */
@ControllerAdvice
class ApiProblemBodies implements ResponseBodyAdvice<Object> {

  /** Where Boot's error attributes keep the exception being handled (first of the resolvers). */
  private static final String BOOT_ERROR = DefaultErrorAttributes.class.getName() + ".ERROR";

  @Override
  public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
    return true;
  }

  @Override
  public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
      Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
    if (body instanceof ProblemDetail problem && request instanceof ServletServerHttpRequest servlet
        && ApiPaths.isApi(servlet.getServletRequest())) {
      HttpServletRequest r = servlet.getServletRequest();
      if (Problems.isJavaText(problem.getDetail())
          && r.getAttribute(BOOT_ERROR) instanceof TypeMismatchException mismatch) {
        problem.setDetail(ApiProblems.mismatch(mismatch.getPropertyName(), mismatch.getRequiredType()) + ".");
      }
      if (problem.getInstance() == null) {
        problem.setInstance(URI.create(Problems.uri(ApiPaths.instance(r))));
      }
      Problems.humane(problem);
    }
    return body;
  }
}
