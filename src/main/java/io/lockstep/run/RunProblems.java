package io.lockstep.run;

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
