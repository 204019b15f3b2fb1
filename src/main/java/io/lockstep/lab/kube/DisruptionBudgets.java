package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The eviction check of a real API server: a pod may be evicted only while every
 * PodDisruptionBudget selecting it allows one more disruption. A budget allows
 * {@code healthy - minAvailable} disruptions, or {@code maxUnavailable - (expected - healthy)};
 * healthy pods are the Ready, not terminating pods the budget selects, expected ones all it selects.
 * Percentages are taken of the expected pods (minAvailable rounded up, maxUnavailable down, as
 * the disruption controller does). A pod that is not Ready itself is always evictable (the
 * {@code IfHealthyBudget} policy's effect when its budget is already broken).
 */
final class DisruptionBudgets {

  static final String PATH = "/apis/policy/v1/namespaces/%s/poddisruptionbudgets";

  private final ObjectMapper mapper;

  DisruptionBudgets(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Why {@code pod} may not be evicted now: the budget's name and what it needs; empty when it may. */
  Optional<String> blocking(JsonNode pod, LabDispatcher store) {
    if (!ready(pod)) {
      return Optional.empty();
    }
    String namespace = pod.path("metadata").path("namespace").asString("");
    List<JsonNode> budgets = items(store, String.format(PATH, namespace));
    if (budgets.isEmpty()) {
      return Optional.empty();
    }
    List<JsonNode> pods = items(store, "/api/v1/namespaces/" + namespace + "/pods");
    for (JsonNode budget : budgets) {
      JsonNode selector = budget.path("spec").path("selector");
      if (!matches(selector, pod.path("metadata").path("labels"))) {
        continue;
      }
      List<JsonNode> selected = pods.stream().filter(p -> matches(selector, p.path("metadata").path("labels"))).toList();
      int expected = Math.max(selected.size(), expectedByOwners(selected, namespace, store));
      int healthy = (int) selected.stream().filter(p -> ready(p) && p.path("metadata").path("deletionTimestamp").isMissingNode()).count();
      JsonNode spec = budget.path("spec");
      int allowed;
      int needed;
      if (spec.has("minAvailable")) {
        needed = amount(spec.get("minAvailable"), expected, true);
        allowed = healthy - needed;
      } else if (spec.has("maxUnavailable")) {
        int max = amount(spec.get("maxUnavailable"), expected, false);
        needed = expected - max;
        allowed = max - (expected - healthy);
      } else {
        continue;
      }
      if (allowed <= 0) {
        return Optional.of("The disruption budget " + budget.path("metadata").path("name").asString()
            + " needs " + needed + " healthy pods and has " + healthy + " currently");
      }
    }
    return Optional.empty();
  }

  /**
   * How many pods the selected pods' controllers want (the disruption controller's "expected
   * pods"): a pod just evicted and not yet replaced still counts.
   */
  private int expectedByOwners(List<JsonNode> pods, String namespace, LabDispatcher store) {
    java.util.Set<String> owners = new java.util.LinkedHashSet<>();
    for (JsonNode pod : pods) {
      for (JsonNode owner : pod.path("metadata").path("ownerReferences")) {
        if (owner.path("controller").asBoolean(false)) {
          owners.add(owner.path("kind").asString() + "/" + owner.path("name").asString());
        }
      }
    }
    int expected = 0;
    for (String owner : owners) {
      String kind = owner.substring(0, owner.indexOf('/'));
      String plural = switch (kind) {
        case "StatefulSet" -> "statefulsets";
        case "ReplicaSet" -> "replicasets";
        case "Deployment" -> "deployments";
        default -> null;
      };
      if (plural == null) {
        continue;
      }
      MockResponse workload = store.handleGet("/apis/apps/v1/namespaces/" + namespace + "/" + plural + "/"
          + owner.substring(owner.indexOf('/') + 1));
      if (workload.code() == 200) {
        expected += mapper.readTree(workload.getBody().readUtf8()).path("spec").path("replicas").asInt(0);
      }
    }
    return expected;
  }

  /** The 429 a real server answers a refused eviction with. */
  static MockResponse refused(String cause) {
    MockResponse response = Statuses.of(429, "TooManyRequests",
        "Cannot evict pod as it would violate the pod's disruption budget.");
    String body = response.getBody().readUtf8();
    body = body.substring(0, body.length() - 1) + ",\"details\":{\"causes\":[{\"reason\":\"DisruptionBudget\",\"message\":\""
        + cause.replace("\"", "'") + "\"}]}}";
    return response.setBody(body);
  }

  private List<JsonNode> items(LabDispatcher store, String path) {
    MockResponse list = store.handleGet(path);
    List<JsonNode> items = new ArrayList<>();
    if (list.code() == 200) {
      mapper.readTree(list.getBody().readUtf8()).path("items").forEach(items::add);
    }
    return items;
  }

  private static boolean ready(JsonNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asString())) {
        return "True".equals(condition.path("status").asString());
      }
    }
    return false;
  }

  private static int amount(JsonNode value, int expected, boolean roundUp) {
    if (value.isNumber()) {
      return value.asInt();
    }
    String text = value.asString("0").trim();
    if (text.endsWith("%")) {
      double share = Double.parseDouble(text.substring(0, text.length() - 1)) * expected / 100.0;
      return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }
    return Integer.parseInt(text);
  }

  /** Label selector semantics: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist). */
  static boolean matches(JsonNode selector, JsonNode labels) {
    if (selector.isMissingNode() || selector.isNull()) {
      return false;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().asString().equals(labels.path(e.getKey()).asString(null))) {
        return false;
      }
    }
    for (JsonNode expr : selector.path("matchExpressions")) {
      String key = expr.path("key").asString();
      String value = labels.path(key).asString(null);
      List<String> values = new ArrayList<>();
      expr.path("values").forEach(v -> values.add(v.asString()));
      boolean ok = switch (expr.path("operator").asString()) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> false;
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
