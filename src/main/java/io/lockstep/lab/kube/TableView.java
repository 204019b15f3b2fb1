package io.lockstep.lab.kube;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code meta.k8s.io/v1 Table} a real API server renders for kubectl's {@code get}, so an
 * operator at the lab's terminal sees the familiar columns — a pod's READY, STATUS and RESTARTS, a
 * node's STATUS, ROLES and VERSION — rather than bare names. Rows come in the server's order
 * (namespace, then name). Kinds without columns of their own show NAME and AGE.
 */
final class TableView {

  private record Column(String name, String type, int priority, Function<JsonNode, Object> cell) {}

  private static final Column NAME = new Column("Name", "string", 0, o -> o.path("metadata").path("name").asString());
  private static final Map<String, List<Column>> COLUMNS = Map.of(
      "pods", List.of(NAME, text("Ready", TableCells::ready), text("Status", TableCells::status),
          new Column("Restarts", "integer", 0, TableCells::restarts), age(),
          wide("IP", o -> o.path("status").path("podIP").asString("<none>")),
          wide("Node", o -> o.path("spec").path("nodeName").asString("<none>"))),
      "nodes", List.of(NAME, text("Status", TableCells::nodeStatus), text("Roles", TableCells::roles), age(),
          text("Version", o -> o.path("status").path("nodeInfo").path("kubeletVersion").asString("")),
          wide("Internal-IP", TableCells::internalIp),
          wide("OS-Image", o -> o.path("status").path("nodeInfo").path("osImage").asString("")),
          wide("Container-Runtime", o -> o.path("status").path("nodeInfo").path("containerRuntimeVersion").asString(""))),
      "statefulsets", List.of(NAME, text("Ready", o -> count(o, "status", "readyReplicas") + "/" + count(o, "spec", "replicas")),
          age()),
      "deployments", List.of(NAME, text("Ready", o -> count(o, "status", "readyReplicas") + "/" + count(o, "spec", "replicas")),
          new Column("Up-to-date", "integer", 0, o -> count(o, "status", "updatedReplicas")),
          new Column("Available", "integer", 0, o -> count(o, "status", "availableReplicas")), age()),
      "daemonsets", List.of(NAME, new Column("Desired", "integer", 0, o -> count(o, "status", "desiredNumberScheduled")),
          new Column("Current", "integer", 0, o -> count(o, "status", "currentNumberScheduled")),
          new Column("Ready", "integer", 0, o -> count(o, "status", "numberReady")),
          new Column("Available", "integer", 0, o -> count(o, "status", "numberAvailable")),
          text("Node Selector", TableCells::nodeSelector), age()),
      "persistentvolumes", List.of(NAME, text("Capacity", o -> o.path("spec").path("capacity").path("storage").asString("")),
          text("Reclaim Policy", o -> o.path("spec").path("persistentVolumeReclaimPolicy").asString("")),
          text("Status", o -> o.path("status").path("phase").asString("")),
          text("Claim", TableCells::claim),
          text("StorageClass", o -> o.path("spec").path("storageClassName").asString("")), age()),
      "persistentvolumeclaims", List.of(NAME, text("Status", o -> o.path("status").path("phase").asString("")),
          text("Volume", o -> o.path("spec").path("volumeName").asString("")),
          text("Capacity", o -> o.path("status").path("capacity").path("storage").asString("")),
          text("StorageClass", o -> o.path("spec").path("storageClassName").asString("")), age()),
      "namespaces", List.of(NAME, text("Status", o -> o.path("status").path("phase").asString("Active")), age()),
      "secrets", List.of(NAME, text("Type", o -> o.path("type").asString("")),
          new Column("Data", "integer", 0, o -> o.path("data").size()), age()));

  private final ObjectMapper mapper;

  TableView(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Whether the client asked for a Table (kubectl's {@code get} does). */
  static boolean wanted(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /** The Table for a list or a single object of the given resource type. */
  String render(String plural, String body, Instant now) {
    JsonNode document = mapper.readTree(body);
    List<JsonNode> objects = new ArrayList<>();
    if (document.has("items")) {
      document.path("items").forEach(objects::add);
      objects.sort(Comparator.comparing((JsonNode o) -> o.path("metadata").path("namespace").asString(""))
          .thenComparing(o -> o.path("metadata").path("name").asString("")));
    } else {
      objects.add(document);
    }
    List<Column> columns = COLUMNS.getOrDefault(plural, List.of(NAME, age()));
    ObjectNode table = mapper.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion", document.path("metadata").path("resourceVersion").asString(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    columns.forEach(c -> definitions.addObject().put("name", c.name()).put("type", c.type())
        .put("format", c == NAME ? "name" : "").put("description", c.name()).put("priority", c.priority()));
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column column : columns) {
        Object cell = column.name().equals("Age") ? age(object, now) : column.cell().apply(object);
        cells.addPOJO(cell);
      }
      row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1")
          .set("metadata", object.path("metadata"));
    }
    return mapper.writeValueAsString(table);
  }

  private static Column text(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", 0, cell);
  }

  private static Column wide(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", 1, cell);
  }

  private static Column age() {
    return new Column("Age", "string", 0, o -> "");
  }

  private static int count(JsonNode object, String part, String field) {
    return object.path(part).path(field).asInt(0);
  }

  /** Kubernetes' human duration ({@code 45s}, {@code 3m12s}, {@code 17m}, {@code 5h3m}, {@code 12d}). */
  static String age(JsonNode object, Instant now) {
    try {
      Instant created = Instant.parse(object.path("metadata").path("creationTimestamp").asString(""));
      return human(Duration.between(created, now));
    } catch (DateTimeParseException e) {
      return "<unknown>";
    }
  }

  static String human(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = d.toMinutes();
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = d.toHours();
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
    }
    return hours / 24 + "d";
  }
}
