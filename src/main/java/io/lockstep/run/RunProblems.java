package io.lockstep.run;

import io.lockstep.procedure.Procedure;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Refusals of the plan and run API as RFC 9457 problems whose detail a person understands. */
@RestControllerAdvice(assignableTypes = RunApiController.class)
class RunProblems {

  @ExceptionHandler(RunException.NotFound.class)
  ProblemDetail notFound(RunException e) {
    return problem(HttpStatus.NOT_FOUND, "Not found", e);
  }

  @ExceptionHandler(RunException.NotAllowed.class)
  ProblemDetail notAllowed(RunException e) {
    return problem(HttpStatus.FORBIDDEN, "Not allowed", e);
  }

  @ExceptionHandler(RunException.Conflict.class)
  ProblemDetail conflict(RunException e) {
    return problem(HttpStatus.CONFLICT, "Not now", e);
  }

  /**
   * The platform did not do what the action asked: 502, as from a gateway whose upstream failed,
   * so no script takes a failed way back for a success.
   */
  @ExceptionHandler(RunException.ActionFailed.class)
  ProblemDetail failed(RunException e) {
    return problem(HttpStatus.BAD_GATEWAY, "The action failed", e);
  }

  /**
   * Parameter values a procedure refuses: 400 whose {@code errors} name each refused field, as in
   * RFC 9457's example: {@code {"parameter": "namespace", "pointer": "#/values/namespace",
   * "detail": "…"}}. Nothing was stored.
   */
  @ExceptionHandler(Procedure.InvalidValues.class)
  ProblemDetail invalidValues(Procedure.InvalidValues e) {
    ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid parameter values", e);
    problem.setProperty("errors", e.errors());
    return problem;
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail invalid(IllegalArgumentException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid request", e);
  }

  private static ProblemDetail problem(HttpStatus status, String title, RuntimeException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, e.getMessage());
    problem.setTitle(title);
    return problem;
  }
}
