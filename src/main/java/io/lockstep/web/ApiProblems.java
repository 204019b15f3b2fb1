package io.lockstep.web;

import io.lockstep.procedure.Procedure;
import io.lockstep.system.Refused;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Spring MVC's own refusals (bad JSON, wrong type, wrong method, wrong content type, no such path)
 * and plain {@link IllegalArgumentException}s as problems whose detail a person understands: the
 * field named, never the parser's or the converter's text. First of the advices, so a type mismatch
 * is not taken for a use case's {@code IllegalArgumentException} by the {@code NumberFormatException}
 * inside it. Pages get the error page ({@link ErrorPages}) instead; a use case's exceptions keep their own advices
 * (e.g. the plan and run API's). Unexpected exceptions end in {@link ApiFailures}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiProblems extends ResponseEntityExceptionHandler {

  private final ApiFailures failures;
  private final ApplicationEventPublisher events;

  ApiProblems(ApiFailures failures, ApplicationEventPublisher events) {
    this.failures = failures;
    this.events = events;
  }

  /** A use case's refusal of a value: its message is written for a person (unless Java wrote it). */
  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException e, HttpServletRequest request) throws IllegalArgumentException {
    if (!ApiPaths.isApi(request)) {
      throw e; // pages: as before
    }
    String detail = e instanceof NumberFormatException ? "A value in the request is not a number." : e.getMessage();
    ProblemDetail problem = Problems.humane(Problems.of(HttpStatus.BAD_REQUEST, detail, ApiPaths.instance(request)));
    if (e instanceof Procedure.InvalidValues values) {
      // this advice comes first, so it keeps the fields a plan's refusal names
      problem.setTitle("Invalid parameter values");
      problem.setProperty("errors", values.errors());
    }
    return problem;
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    if (ApiRequestSizeLimit.tooLarge(ex) != null) {
      ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
          ApiRequestSizeLimit.tooLarge(ex).getMessage());
      return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }
    String where = JsonPaths.of(ex);
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, where == null
        ? "The request body is not JSON of the shape this operation takes."
        : "The request body is not JSON of the shape this operation takes (at '" + where + "').");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, mismatch(ex.getPropertyName(), ex.getRequiredType()));
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    List<String> fields = ex.getBindingResult().getFieldErrors().stream().map(ApiProblems::fieldError).toList();
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, fields.isEmpty()
        ? "The request is not valid." : String.join("; ", fields) + ".");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
        "No API operation answers " + ex.getHttpMethod() + " at this path.");
    return handleExceptionInternal(ex, problem, headers, status, request);
  }

  /** Every problem of this advice for {@code /api}: humane; a 5xx also logged under an id it names. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    HttpServletRequest servlet = request instanceof NativeWebRequest n ? n.getNativeRequest(HttpServletRequest.class) : null;
    if (servlet != null && ApiPaths.isApi(servlet) && body instanceof ProblemDetail problem) {
      if (statusCode.is5xxServerError()) {
        Exception cause = (Exception) servlet.getAttribute(ApiFailures.HANDLED);
        String id = failures.log(servlet, cause);
        problem.setDetail(ApiFailures.detail(id));
        problem.setProperty("errorId", id);
      }
      if (problem.getInstance() == null) {
        problem.setInstance(java.net.URI.create(Problems.uri(ApiPaths.instance(servlet))));
      }
      Problems.humane(problem);
      recordRefusal(servlet, statusCode, problem);
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  /** A signed-in user's write refused here, before a use case could record it, is evidence too. */
  private void recordRefusal(HttpServletRequest servlet, HttpStatusCode status, ProblemDetail problem) {
    boolean write = !"GET".equals(servlet.getMethod()) && !"HEAD".equals(servlet.getMethod());
    if (status.is4xxClientError() && write && servlet.getUserPrincipal() != null) {
      events.publishEvent(new Refused(servlet.getUserPrincipal().getName(),
          servlet.getMethod() + " " + servlet.getRequestURI(), String.valueOf(problem.getDetail()), "invalid"));
    }
  }

  /**
   * Spring MVC's refusals of a page's request (no such page, a wrong method) answer with the
   * status's error page ({@link ErrorPages}), not JSON a person cannot read; only {@code /api}
   * answers problems.
   */
  @Override
  protected @Nullable ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body,
      HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    HttpServletRequest servlet = request instanceof NativeWebRequest n ? n.getNativeRequest(HttpServletRequest.class) : null;
    jakarta.servlet.http.HttpServletResponse response = request instanceof NativeWebRequest n
        ? n.getNativeResponse(jakarta.servlet.http.HttpServletResponse.class) : null;
    if (servlet != null && response != null && !ApiPaths.isApi(servlet) && !response.isCommitted()) {
      try {
        response.sendError(statusCode.value());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return null;
    }
    request.setAttribute(ApiFailures.HANDLED, ex, WebRequest.SCOPE_REQUEST);
    return super.handleExceptionInternal(ex, body, headers, statusCode, request);
  }

  private static String fieldError(FieldError error) {
    if (error.isBindingFailure() || "typeMismatch".equals(error.getCode())) {
      Class<?> type = error.contains(TypeMismatchException.class)
          ? error.unwrap(TypeMismatchException.class).getRequiredType() : null;
      return mismatch(error.getField(), type);
    }
    String message = error.getDefaultMessage();
    return "'" + error.getField() + "' " + (Problems.isJavaText(message) ? "is not valid" : message);
  }

  /** "'size' must be a whole number": what was expected, not what Java could not parse. */
  static String mismatch(String name, Class<?> type) {
    String what;
    if (type == null) {
      what = "of another form";
    } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class
        || type == Short.class || type == short.class) {
      what = "a whole number";
    } else if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      what = "a number";
    } else if (type == Boolean.class || type == boolean.class) {
      what = "true or false";
    } else if (type.isEnum()) {
      what = "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
          .map(s -> s.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
    } else if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
      what = "a date and time (ISO 8601)";
    } else {
      what = "of another form";
    }
    return "'" + (name == null ? "a value" : Problems.clean(name, 64)) + "' must be " + what;
  }
}
