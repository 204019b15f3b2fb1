package io.lockstep.audit;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Locale;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

/**
 * Downloads of the audit trail: {@code /audit/export.csv|json|pdf} with the page's filters, and a
 * run's report at {@code /api/runs/{id}/audit.csv|json|pdf} (the PDF for the run page's session at
 * {@code /runs/{id}/audit.pdf} too). The export is audited before the
 * first byte is sent.
 */
@Controller
class AuditExportController {

  private final AuditExports exports;
  private final AuditLog log;

  AuditExportController(AuditExports exports, AuditLog log) {
    this.exports = exports;
    this.log = log;
  }

  @GetMapping("/audit/export.{format:csv|json|pdf}")
  void export(@PathVariable String format, AuditFilterForm query, Principal user, Locale locale,
      HttpServletResponse response) throws IOException {
    send(exports.start(ExportFormat.of(format), query.toFilter(), false, user.getName()), locale, response);
  }

  // One mapping per format: the OpenAPI document lists each path (springdoc drops "audit.{format}").
  // The run page links to /runs/…/audit.pdf: /api/** takes no session cookie.
  @ResponseBody
  @ApiResponse(responseCode = "200", description = "The run's audit report as PDF",
      content = @Content(mediaType = "application/pdf", schema = @Schema(type = "string", format = "binary")))
  @GetMapping({"/api/runs/{runId}/audit.pdf", "/runs/{runId}/audit.pdf"})
  void runPdf(@PathVariable String runId, Principal user, Locale locale, HttpServletResponse response)
      throws IOException {
    runReport(runId, "pdf", user, locale, response);
  }

  @ResponseBody
  @ApiResponse(responseCode = "200", description = "The run's audit events as CSV",
      content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
  @GetMapping("/api/runs/{runId}/audit.csv")
  void runCsv(@PathVariable String runId, Principal user, Locale locale, HttpServletResponse response)
      throws IOException {
    runReport(runId, "csv", user, locale, response);
  }

  @ResponseBody
  @ApiResponse(responseCode = "200", description = "The run's audit report as JSON",
      content = @Content(mediaType = "application/json", schema = @Schema(type = "object")))
  @GetMapping("/api/runs/{runId}/audit.json")
  void runJson(@PathVariable String runId, Principal user, Locale locale, HttpServletResponse response)
      throws IOException {
    runReport(runId, "json", user, locale, response);
  }

  private void runReport(String runId, String format, Principal user, Locale locale,
      HttpServletResponse response) throws IOException {
    AuditFilter filter = AuditFilter.forRun(runId);
    if (log.count(filter) == 0) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "the audit trail holds no events of run '" + runId + "'");
    }
    send(exports.start(ExportFormat.of(format), filter, true, user.getName()), locale, response);
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ProblemDetail badRequest(IllegalArgumentException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    problem.setTitle("Invalid audit export");
    return problem;
  }

  private void send(AuditExports.Export export, Locale locale, HttpServletResponse response) throws IOException {
    response.setContentType(export.format().contentType());
    response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment().filename(export.filename(), StandardCharsets.UTF_8).build().toString());
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    exports.write(export, locale, response.getOutputStream());
  }
}
