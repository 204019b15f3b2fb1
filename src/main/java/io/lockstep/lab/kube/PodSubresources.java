package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Instant;
import java.util.Optional;
import java.time.temporal.ChronoUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The pod subresources clients of a maintenance console use: {@code log} (what the lab's containers
 * print: when and where they started) and {@code eviction} (how {@code kubectl drain} and fabric8's
 * {@code evict()} take a pod off a node: a graceful delete, refused with 429 while a
 * PodDisruptionBudget allows no more disruptions, see {@link DisruptionBudgets}). The store knows no subresources and
 * would answer them with every object it holds.
 */
final class PodSubresources {

  private final ObjectMapper mapper;
  private final DisruptionBudgets budgets;

  PodSubresources(ObjectMapper mapper) {
    this.mapper = mapper;
    this.budgets = new DisruptionBudgets(mapper);
  }

  static boolean handles(RestPath path) {
    return path.plural().equals("pods") && path.groupVersion().equals("v1")
        && ("log".equals(path.subresource()) || "eviction".equals(path.subresource()));
  }

  MockResponse handle(String method, RestPath path, LabDispatcher store) {
    MockResponse current = store.handleGet(path.objectPath());
    if (current.code() != 200) {
      return Statuses.of(404, "NotFound", "pods \"" + path.name() + "\" not found");
    }
    JsonNode pod = mapper.readTree(current.getBody().readUtf8());
    if (path.subresource().equals("eviction") && method.equals("POST")) {
      Optional<String> blocked = budgets.blocking(pod, store);
      if (blocked.isPresent()) {
        return DisruptionBudgets.refused(blocked.get());
      }
      store.handleDelete(path.objectPath());
      return Statuses.of(201, null, null);
    }
    if (path.subresource().equals("log") && method.equals("GET")) {
      return log(pod);
    }
    return Statuses.of(405, "MethodNotAllowed", method + " is not supported on pods/" + path.subresource());
  }

  /** What the container says about why it is not ready (its readiness probe's complaint), if anything. */
  private static Optional<String> unreadyMessage(JsonNode pod) {
    for (JsonNode condition : pod.path("status").path("conditions")) {
      if ("Ready".equals(condition.path("type").asString("")) && "False".equals(condition.path("status").asString(""))
          && !condition.path("message").asString("").isEmpty()) {
        return Optional.of(condition.path("message").asString());
      }
    }
    return Optional.empty();
  }

  private MockResponse log(JsonNode pod) {
    JsonNode container = pod.path("spec").path("containers").path(0);
    JsonNode status = pod.path("status").path("containerStatuses").path(0);
    String started = status.path("state").path("running").path("startedAt").asString("");
    if (started.isEmpty()) {
      return Statuses.of(400, "BadRequest", "container \"" + container.path("name").asString()
          + "\" in pod \"" + pod.path("metadata").path("name").asString() + "\" is waiting to start: ContainerCreating");
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String text = started + " lab: container " + container.path("name").asString() + " ("
        + container.path("image").asString() + ") started on " + pod.path("spec").path("nodeName").asString() + "\n"
        + now + " lab: " + (status.path("ready").asBoolean(false) ? "ready" : "not ready") + "\n"
        + unreadyMessage(pod).map(message -> now + " " + message + "\n").orElse("");
    return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain").setBody(text);
  }
}
