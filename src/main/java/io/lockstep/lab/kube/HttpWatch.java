package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Watches over a plain HTTP stream — kubectl's, while {@code delete} waits for the object to go or
 * {@code rollout status} for the rollout to finish — answered from the {@link WatchJournal}: the
 * matching changes since the requested resourceVersion at once, or, when there are none yet, an
 * empty stream after {@link #QUIET_ROUND} (long enough that client-go takes it for a normal end of
 * a watch rather than a failure to back off from). fabric8's watches use WebSockets and are served
 * by {@link WebSocketWatches}.
 */
final class HttpWatch {

  static final Duration QUIET_ROUND = Duration.ofMillis(1100);
  private static final String GONE = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
      + "\"message\":\"too old resource version\",\"reason\":\"Expired\",\"code\":410}";

  private final WatchJournal journal;

  HttpWatch(WatchJournal journal) {
    this.journal = journal;
  }

  /** Whether the request is a watch that did not ask for a WebSocket. */
  static boolean handles(RecordedRequest request) {
    boolean watch = RestPath.isWatch(request.getPath());
    String upgrade = Optional.ofNullable(request.getHeader("Upgrade")).orElse("");
    return watch && !upgrade.equalsIgnoreCase("websocket");
  }

  /** Answers a watch of the changes {@code selected} accepts. */
  MockResponse answer(RecordedRequest request, Predicate<WatchJournal.Event> selected) {
    long since = RestPath.parameter(request.getPath(), "resourceVersion").filter(v -> !v.isEmpty() && !v.equals("0"))
        .map(HttpWatch::version).orElseGet(journal::latest);
    Optional<List<WatchJournal.Event>> events = journal.since(since, selected);
    MockResponse response = new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json");
    if (events.isEmpty()) {
      return response.setBody(gone(since).message() + "\n");
    }
    if (events.get().isEmpty()) {
      return response.setBodyDelay(QUIET_ROUND).setBody("\n");
    }
    StringBuilder stream = new StringBuilder();
    events.get().forEach(e -> stream.append(e.message()).append('\n'));
    return response.setBody(stream.toString());
  }

  /** The ERROR event telling a watcher its resourceVersion is too old: list again. */
  static WatchJournal.Event gone(long version) {
    return new WatchJournal.Event(version, "ERROR", null, GONE);
  }

  /** The list request matching a watch request: the same path and label selector, without the watch. */
  static String listPath(String pathWithQuery) {
    return RestPath.withoutQuery(pathWithQuery) + RestPath.parameter(pathWithQuery, "labelSelector")
        .map(selector -> "?labelSelector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)).orElse("");
  }

  static long version(String version) {
    try {
      return Long.parseLong(version);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
