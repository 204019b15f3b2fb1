package io.lockstep.web;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for what it refuses before any application code runs (a URL it cannot
 * decode, {@code %2F}, {@code %00}, a request line too long): a problem for a raw URI under
 * {@code /api}, Tomcat's short HTML page (no server version, no report) for anything else.
 */
final class ApiErrorReportValve extends ErrorReportValve {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  ApiErrorReportValve() {
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    String uri = request.getRequestURI();
    // A request line Tomcat could not parse (too long, a character a URL cannot hold) has no URI:
    // nothing says it is a page, and a browser does not send such a line; a client is told in JSON.
    boolean unparsed = uri == null || uri.isEmpty();
    if (status < 400 || response.getContentWritten() > 0 || !(unparsed || ApiPaths.isApi(uri))) {
      super.report(request, response, throwable);
      return;
    }
    if (!response.setErrorReported()) {
      return;
    }
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", Problems.BLANK.toString());
    problem.put("title", org.springframework.http.HttpStatus.resolve(status) == null ? "Error"
        : org.springframework.http.HttpStatus.resolve(status).getReasonPhrase());
    problem.put("status", status);
    problem.put("detail", status == 400
        ? "The request's URL is refused: an encoded slash or backslash, a NUL, a character a URL cannot hold,"
            + " a malformed percent-encoding, or a request line or headers too long."
        : Problems.defaultDetail(status));
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the connection is gone; nothing more to say
    }
  }
}
