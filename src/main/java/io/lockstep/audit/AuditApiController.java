package io.lockstep.audit;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail over the REST API: {@code GET /api/audit} pages through rows with the page's
 * filters ({@code run, actor, type, from, to, page, size, order=newest|oldest}), {@code GET
 * /api/audit/verify} walks the chain. Both read-only, open to every role.
 */
@RestController
class AuditApiController {

  private final AuditLog log;
  private final AuditProperties properties;

  AuditApiController(AuditLog log, AuditProperties properties) {
    this.log = log;
    this.properties = properties;
  }

  @GetMapping("/api/audit")
  AuditPage list(AuditFilterForm query, @RequestParam(required = false) Integer size) {
    int pageSize = size == null ? properties.pageSize() : size;
    if (pageSize < 1 || pageSize > properties.maxPageSize()) {
      throw new IllegalArgumentException("size must be between 1 and " + properties.maxPageSize());
    }
    return log.page(query.toFilter(), query.auditOrder(), query.pageNumber(), pageSize);
  }

  @GetMapping("/api/audit/verify")
  Verification verify() {
    return log.verify();
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setTitle("Invalid audit query");
    return problem;
  }
}
