package io.lockstep.logstream;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A run's log over HTTP: the SSE stream pages and scripts follow, the full log as a text download,
 * and a page showing nothing but the log. Reading needs a login (pages) or HTTP Basic ({@code
 * /api/**}), any role.
 */
@Controller
class LogStreamController {

  static final String PAGE = "logstream/page";
  /** Run ids as the URLs accept them; anything else is not found. */
  private static final String RUN = "{runId:[A-Za-z0-9][A-Za-z0-9._-]*}";
  /** The longest run id stored (the log's {@code run_id} column). */
  private static final int MAX_RUN_ID = 64;
  private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

  private final LogSubscribers subscribers;
  private final RunLog runLog;
  private final KnownRuns knownRuns;

  LogStreamController(LogSubscribers subscribers, RunLog runLog, ObjectProvider<KnownRuns> knownRuns) {
    this.subscribers = subscribers;
    this.runLog = runLog;
    this.knownRuns = knownRuns.getIfAvailable(() -> runId -> true);
  }

  /**
   * The run's log as server-sent events: {@code line} events (id = seq; data = the line as HTML, or
   * JSON with {@code ?format=json}) from after {@code Last-Event-ID} (the header, or {@code
   * ?lastEventId=} on a first connect) or else the tail, then live; comments as heartbeats; {@code
   * end} when the log is finished. The stream has no time limit. While the console is stopping the
   * answer is 503, and browsers retry. A run that does not exist (and has no stored log) is 404 at
   * once.
   */
  @ResponseBody
  @ApiResponse(responseCode = "200", description = "The log as server-sent events; each event is a LogEvent",
      content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
          schema = @Schema(ref = "#/components/schemas/LogEvent")))
  @GetMapping(path = {"/runs/" + RUN + "/log/stream", "/api/runs/" + RUN + "/log"},
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  ResponseEntity<SseEmitter> stream(@PathVariable String runId,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
      @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
      @RequestParam(name = "format", required = false) String format) {
    requireKnown(runId);
    SseEmitter emitter = new SseEmitter(0L);
    String lastEventId = lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam;
    if (!subscribers.subscribe(runId, seqOrNull(lastEventId), LogFormat.of(format), emitter)) {
      ResponseStatusException stopping = new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
          "The console is stopping; try again shortly.");
      stopping.getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
      throw stopping;
    }
    return ResponseEntity.ok()
        .header(HttpHeaders.CACHE_CONTROL, "no-cache")
        .header("X-Accel-Buffering", "no")
        .body(emitter);
  }

  /** The whole stored log as text ({@link LogText}), streamed, as a file to save. */
  @ResponseBody
  @ApiResponse(responseCode = "200", description = "The whole stored log, one line per log line",
      content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
  @GetMapping(path = {"/runs/" + RUN + "/log.txt", "/api/runs/" + RUN + "/log.txt"})
  ResponseEntity<StreamingResponseBody> download(@PathVariable String runId) {
    requireKnown(runId);
    ContentDisposition file = ContentDisposition.attachment().filename("run-" + runId + ".log").build();
    StreamingResponseBody body = out -> {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
      runLog.writeAll(runId, writer);
    };
    return ResponseEntity.ok().contentType(TEXT).header(HttpHeaders.CONTENT_DISPOSITION, file.toString()).body(body);
  }

  /** A page with only the run's log (for a second screen while the run page shows the phases). */
  @GetMapping("/runs/" + RUN + "/log")
  String page(@PathVariable String runId, Model model) {
    model.addAttribute("runId", runId);
    return PAGE;
  }

  /** A run whose log can be read: a run, or a log with lines or an end (a run's log outlives nothing). */
  private void requireKnown(String runId) {
    if (runId.length() > MAX_RUN_ID
        || runLog.lastSeq(runId) == 0 && !runLog.isFinished(runId) && !knownRuns.exists(runId)) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no run "
          + (runId.length() > MAX_RUN_ID ? runId.substring(0, MAX_RUN_ID) + "…" : runId) + ".");
    }
  }

  /** A seq from a {@code Last-Event-ID}; {@code null} (start from the tail) when it is not one. */
  static Long seqOrNull(String lastEventId) {
    if (lastEventId == null || !lastEventId.strip().matches("\\d{1,18}")) {
      return null;
    }
    return Long.parseLong(lastEventId.strip());
  }
}
