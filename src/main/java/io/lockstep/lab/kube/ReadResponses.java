package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shapes what the store reads out the way a real API server would: lists filtered by field
 * selectors (which the store cannot apply), lists named after their items' type ({@code PodList},
 * not the store's {@code v1 List}, which client-go's typed clients — kubectl drain's — read as
 * empty), and Tables for kubectl's {@code get}.
 */
final class ReadResponses {

  private static final String JSON = "application/json";

  private final ObjectMapper mapper;
  private final Function<String, MockResponse> store;
  private final Supplier<List<ApiResourceType>> types;
  private final TableView tables;

  /**
   * @param store answers a GET path (with query) from the store
   * @param types the resource types served, to name lists by
   */
  ReadResponses(ObjectMapper mapper, Function<String, MockResponse> store, Supplier<List<ApiResourceType>> types) {
    this.mapper = mapper;
    this.store = store;
    this.types = types;
    this.tables = new TableView(mapper);
  }

  /** A GET with a field selector: the store reads without it, and keeps only the objects it selects. */
  MockResponse selected(String pathWithQuery) {
    FieldSelector fields = FieldSelector.of(pathWithQuery);
    MockResponse response = store.apply(FieldSelector.without(pathWithQuery));
    if (response.code() != 200) {
      return response;
    }
    ObjectNode document = (ObjectNode) mapper.readTree(response.getBody().readUtf8());
    if (document.has("items")) {
      ArrayNode selected = mapper.createArrayNode();
      document.path("items").forEach(item -> {
        if (fields.matches(item)) {
          selected.add(item);
        }
      });
      document.set("items", selected);
    } else if (!fields.matches(document)) {
      return Statuses.notFound("no object matches the field selector");
    }
    return response.setHeader("Content-Type", JSON).setBody(mapper.writeValueAsString(document));
  }

  /** A successful read of {@code path}, as the client asked for it (a Table, or typed JSON). */
  MockResponse shaped(RestPath path, MockResponse response, String accept) {
    if (TableView.wanted(accept)) {
      return response.setHeader("Content-Type", JSON)
          .setBody(tables.render(path.plural(), response.getBody().readUtf8(), Instant.now()));
    }
    return path.name() == null ? typedList(path, response) : response;
  }

  private MockResponse typedList(RestPath path, MockResponse response) {
    Optional<ApiResourceType> type = types.get().stream()
        .filter(t -> t.plural().equals(path.plural()) && t.apiVersion().equals(path.groupVersion())).findFirst();
    String body = response.getBody().readUtf8();
    int items = body.indexOf("\"items\"");
    if (type.isEmpty() || items < 0) {
      return response.setBody(body);
    }
    String head = body.substring(0, items)
        .replaceFirst("\"kind\"\\s*:\\s*\"List\"", "\"kind\":\"" + type.get().kind() + "List\"")
        .replaceFirst("\"apiVersion\"\\s*:\\s*\"v1\"", "\"apiVersion\":\"" + type.get().apiVersion() + "\"");
    return response.setHeader("Content-Type", JSON).setBody(head + body.substring(items));
  }
}
