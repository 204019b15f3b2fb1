package io.lockstep.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.LabConsoleTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** The OpenAPI document describes the REST API scripts drive, and only that. */
class ApiDocumentIT extends LabConsoleTest {

  final int port;

  @Autowired
  ApiDocumentIT(@Value("${local.server.port}") int port) {
    this.port = port;
  }

  @Test
  void theOpenApiDocumentListsTheApiPaths() throws Exception {
    HttpResponse<String> doc = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v3/api-docs")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(doc.statusCode()).isEqualTo(200);
    assertThat(doc.body()).contains("\"openapi\"")
        .contains("/api/inventory").contains("/api/procedures").contains("/api/audit")
        .contains("/api/audit/verify")
        .contains("/api/plans").contains("/api/plans/{id}").contains("/api/runs").contains("/api/runs/{id}")
        .contains("/api/runs/{id}/phases/{phase}/approve").contains("/api/runs/{id}/phases/{phase}/reject")
        .contains("/api/runs/{id}/pause").contains("/api/runs/{id}/resume").contains("/api/runs/{id}/abort")
        .contains("/api/runs/{id}/steps/{step}/retry").contains("/api/runs/{runId}/log")
        .contains("/api/runs/{runId}/audit.pdf").contains("/api/runs/{runId}/audit.csv").contains("\"title\":\"Lockstep API\"")
        .doesNotContain("\"/inventory\"").doesNotContain("\"/login\"");
  }
}
