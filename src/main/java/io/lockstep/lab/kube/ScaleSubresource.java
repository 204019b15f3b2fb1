package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of Deployments, StatefulSets and ReplicaSets ({@code kubectl scale},
 * fabric8's {@code scale(n)}): reads and writes an {@code autoscaling/v1 Scale} that mirrors the
 * workload's {@code spec.replicas}. The CRUD store knows no subresources, so without this a scale
 * request would patch or return the workload itself.
 */
final class ScaleSubresource {

  private static final Set<String> SCALABLE = Set.of("deployments", "statefulsets", "replicasets");

  private final ObjectMapper mapper;

  ScaleSubresource(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  static boolean handles(RestPath path) {
    return "scale".equals(path.subresource()) && path.groupVersion().equals("apps/v1")
        && SCALABLE.contains(path.plural());
  }

  MockResponse handle(String method, RestPath path, RecordedRequest request, LabDispatcher store) {
    String workloadPath = path.objectPath();
    MockResponse current = store.handleGet(workloadPath);
    if (current.code() != 200) {
      return current;
    }
    JsonNode workload = mapper.readTree(current.getBody().readUtf8());
    ObjectNode scale = scaleOf(workload);
    if (method.equals("GET")) {
      return ok(scale);
    }
    Optional<Integer> replicas = switch (method) {
      case "PUT" -> Optional.of(mapper.readTree(request.getUtf8Body()).path("spec").path("replicas").asInt());
      case "PATCH" -> Optional.of(patched(scale, request).path("spec").path("replicas").asInt());
      default -> Optional.empty();
    };
    if (replicas.isEmpty()) {
      return new MockResponse().setResponseCode(405);
    }
    String op = workload.path("spec").has("replicas") ? "replace" : "add";
    MockResponse updated = store.jsonPatch(workloadPath,
        "[{\"op\":\"" + op + "\",\"path\":\"/spec/replicas\",\"value\":" + replicas.get() + "}]");
    if (updated.code() != 200) {
      return updated;
    }
    return ok(scaleOf(mapper.readTree(updated.getBody().readUtf8())));
  }

  private JsonNode patched(ObjectNode scale, RecordedRequest request) {
    JsonNode patch = mapper.readTree(request.getUtf8Body());
    String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("");
    return contentType.contains("json-patch") ? JsonPatch.apply(patch, scale) : MergePatch.apply(scale, patch);
  }

  private ObjectNode scaleOf(JsonNode workload) {
    ObjectNode scale = mapper.createObjectNode();
    scale.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    JsonNode source = workload.path("metadata");
    for (String key : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (source.has(key)) {
        metadata.set(key, source.get(key));
      }
    }
    scale.putObject("spec").put("replicas", workload.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status").put("replicas", workload.path("status").path("replicas").asInt());
    JsonNode labels = workload.path("spec").path("selector").path("matchLabels");
    StringBuilder selector = new StringBuilder();
    labels.properties().forEach(e -> selector.append(selector.length() == 0 ? "" : ",")
        .append(e.getKey()).append('=').append(e.getValue().asString()));
    status.put("selector", selector.toString());
    return scale;
  }

  private MockResponse ok(JsonNode scale) {
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
        .setBody(mapper.writeValueAsString(scale));
  }
}
