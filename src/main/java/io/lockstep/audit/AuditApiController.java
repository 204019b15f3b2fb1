package io.lockstep.audit;

import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail over the REST API: {@code GET /api/audit} pages through rows with the page's
 * filters ({@code run, actor, type, from, to, page, size, order=newest|oldest}), {@code GET
 * /api/audit/verify} walks the chain and compares it with the anchor file, reporting every break
 * ({@code ok}, and {@code brokenSeq} and {@code problem} for the first break as before, {@code
 * breaks} for all); both read-only, open to every role. {@code POST
 * /api/audit/breaks/acknowledge} (APPROVER) records that the breaks raised have been seen.
 */
@RestController
class AuditApiController {

  private final AuditLog log;
  private final ChainAlarm alarm;
  private final AuditProperties properties;

  AuditApiController(AuditLog log, ChainAlarm alarm, AuditProperties properties) {
    this.log = log;
    this.alarm = alarm;
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
    return alarm.verify();
  }

  @PostMapping("/api/audit/breaks/acknowledge")
  @PreAuthorize("hasRole('APPROVER')")
  Verification acknowledge(Principal user) {
    return alarm.acknowledge(user.getName());
  }

  @ExceptionHandler(IllegalStateException.class)
  ProblemDetail conflict(IllegalStateException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    problem.setTitle("Nothing to acknowledge");
    return problem;
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setTitle("Invalid audit query");
    return problem;
  }
}
