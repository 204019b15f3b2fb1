package io.lockstep.lab.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeExtractor;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every watch the lab serves, over WebSockets (fabric8) or plain HTTP (kubectl), fed from one
 * journal of the store's changes. A watch selects changes by path (type, namespace), label selector
 * and field selector ({@code metadata.name}, {@code spec.nodeName}, …), and starts from the
 * resourceVersion it names, or with every selected object when it names none.
 */
final class Watches {

  private final WatchJournal journal;
  private final HttpWatch http;
  private final WebSocketWatches webSockets = new WebSocketWatches();
  private final AttributeExtractor attributes;
  private final ObjectMapper mapper;
  private final Function<String, String> lister;

  /**
   * @param lister answers a list request path with the store's list response (for watches that
   *     start with the current objects)
   */
  Watches(int capacity, AttributeExtractor attributes, ObjectMapper mapper, Function<String, String> lister) {
    this.journal = new WatchJournal(capacity);
    this.http = new HttpWatch(journal);
    this.attributes = attributes;
    this.mapper = mapper;
    this.lister = lister;
  }

  /** Records a change and passes it to the open watches. Never blocks. */
  void publish(WatchJournal.Event event) {
    journal.record(event);
    webSockets.publish(event);
  }

  /** Answers a watch request: a plain HTTP round of changes, or a WebSocket upgrade. */
  MockResponse answer(RecordedRequest request) {
    String pathWithQuery = request.getPath();
    if (HttpWatch.handles(request)) {
      return http.answer(request, selection(pathWithQuery));
    }
    return webSocket(pathWithQuery);
  }

  MockResponse webSocket(String pathWithQuery) {
    Predicate<WatchJournal.Event> selected = selection(pathWithQuery);
    Optional<Long> version = RestPath.parameter(pathWithQuery, "resourceVersion")
        .filter(v -> !v.isEmpty() && !v.equals("0")).map(HttpWatch::version);
    return new MockResponse().withWebSocketUpgrade(webSockets.watch(selected,
        () -> version.map(v -> replay(v, selected)).orElseGet(() -> current(pathWithQuery))));
  }

  void stop() {
    webSockets.stop();
  }

  /** What a watch from {@code version} missed: the journal's changes since, or 410 Gone if forgotten. */
  private WebSocketWatches.Start replay(long version, Predicate<WatchJournal.Event> selected) {
    return journal.since(version, selected)
        .map(events -> new WebSocketWatches.Start(events,
            events.isEmpty() ? version : Math.max(version, events.get(events.size() - 1).version())))
        .orElseGet(() -> new WebSocketWatches.Start(List.of(HttpWatch.gone(version)), Long.MAX_VALUE));
  }

  /** A watch without a resourceVersion starts with every selected object, as ADDED. */
  private WebSocketWatches.Start current(String pathWithQuery) {
    FieldSelector fields = FieldSelector.of(pathWithQuery);
    JsonNode list = mapper.readTree(lister.apply(HttpWatch.listPath(pathWithQuery)));
    List<WatchJournal.Event> events = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      if (fields.matches(item)) {
        long version = item.path("metadata").path("resourceVersion").asLong(0);
        events.add(new WatchJournal.Event(version, "ADDED", null, mapper.writeValueAsString(item)));
      }
    }
    return new WebSocketWatches.Start(events, list.path("metadata").path("resourceVersion").asLong(0));
  }

  /** Which changes a watch request selects: by path, label selector and field selector. */
  private Predicate<WatchJournal.Event> selection(String pathWithQuery) {
    AttributeSet byPath = attributes.fromPath(FieldSelector.without(pathWithQuery));
    FieldSelector fields = FieldSelector.of(pathWithQuery);
    AttributeSet query = fields.terms().stream().filter(t -> t.equal() && t.field().equals("metadata.name"))
        .findFirst().map(t -> byPath.add(new Attribute(KubernetesAttributesExtractor.NAME, t.value())))
        .orElse(byPath);
    return event -> event.attributes().matches(query)
        && (fields.isEmpty() || fields.matches(mapper.readTree(event.object())));
  }
}
