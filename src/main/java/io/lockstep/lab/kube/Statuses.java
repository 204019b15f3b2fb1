package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.http.MockResponse;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code v1 Status} responses, the body a real API server answers errors (and some successes) with. */
final class Statuses {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private Statuses() {}

  /** Success for a 2xx code, otherwise Failure with its reason and message. */
  static MockResponse of(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", code < 300 ? "Success" : "Failure");
    if (message != null) {
      status.put("message", message).put("reason", reason);
    }
    status.put("code", code);
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
        .setBody(JSON.writeValueAsString(status));
  }

  static MockResponse notFound(String message) {
    return of(404, "NotFound", message);
  }
}
