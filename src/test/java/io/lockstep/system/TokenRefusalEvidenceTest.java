package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * "Every refusal is evidence" for API tokens: an insider probing another user's token ids, or
 * asking for a token the rules refuse, leaves a {@code REFUSED} audit event.
 */
class TokenRefusalEvidenceTest extends LabConsoleTest {

  @LocalServerPort
  int port;

  @Autowired
  AuditLog audit;

  @Autowired
  ApiTokens tokens;

  private final HttpClient http = HttpClient.newHttpClient();

  private List<AuditEntry> refusals(String actor) {
    List<AuditEntry> found = new ArrayList<>();
    audit.forEach(new AuditFilter(null, actor, "REFUSED", null, null), Long.MAX_VALUE, found::add);
    return found;
  }

  private HttpResponse<String> send(String user, String path, HttpRequest.BodyPublisher body, String method) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (user + ":" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8)))
        .header("Content-Type", "application/json").method(method, body).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // BROKE (fixed): op1 revoking ap1's token id got 404 and left no trace; an insider could walk the ids.
  @Test
  void revokingSomeoneElsesTokenIsRefusedAndInTheAudit() {
    HttpResponse<String> created = send("ap1", "/api/tokens",
        HttpRequest.BodyPublishers.ofString("{\"label\": \"ap1's script\"}"), "POST");
    assertThat(created.statusCode()).isEqualTo(201);
    long id = JsonMapper.builder().build().readTree(created.body()).get("id").asLong();
    int before = refusals("op1").size();

    HttpResponse<String> refused = send("op1", "/api/tokens/" + id, HttpRequest.BodyPublishers.noBody(), "DELETE");

    assertThat(refused.statusCode()).isEqualTo(404);
    assertThat(tokens.find(id).orElseThrow().revokedAt()).as("ap1's token still works").isNull();
    assertThat(refusals("op1")).hasSize(before + 1);
    assertThat(refusals("op1").get(before).summary()).contains("op1 was refused").contains("revoke API token " + id);
  }

  // BROKE (fixed): a token request the rules refuse (no label) got 400 and left no trace.
  @Test
  void aRefusedTokenRequestIsInTheAuditWithoutTheHostileLabel() {
    int before = refusals("op2").size();
    String hostile = "evil\u0000" + "A".repeat(50_000);

    HttpResponse<String> refused = send("op2", "/api/tokens",
        HttpRequest.BodyPublishers.ofString("{\"label\": \"" + hostile.replace("\u0000", "\\u0000") + "\"}"), "POST");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refusals("op2")).hasSize(before + 1);
    AuditEntry entry = refusals("op2").get(before);
    assertThat(entry.summary()).contains("create an API token").doesNotContain("AAAAAAAAAA").doesNotContain("\u0000");
  }
}
