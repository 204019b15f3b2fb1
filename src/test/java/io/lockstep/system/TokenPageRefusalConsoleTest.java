package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * "Every refusal is evidence" on the token page: a token the page's form refuses is a
 * {@code REFUSED} event, as the same request over the API is.
 */
class TokenPageRefusalConsoleTest extends LabConsoleTest {

  private final AuditLog audit;
  private final ApiTokens tokens;
  private final int port;

  @Autowired
  TokenPageRefusalConsoleTest(AuditLog audit, ApiTokens tokens, @Value("${local.server.port}") int port) {
    this.audit = audit;
    this.tokens = tokens;
    this.port = port;
  }

  private List<AuditEntry> refusals(String actor) {
    List<AuditEntry> found = new ArrayList<>();
    audit.forEach(new AuditFilter(null, actor, "REFUSED", null, null), Long.MAX_VALUE, found::add);
    return found;
  }

  // BROKE (fixed): the page's form validation (@Valid) refused a blank label or 0 days before
  // PersonalTokens, so the refusal left no REFUSED event, unlike POST /api/tokens.
  @Test
  void aTokenThePageRefusesIsInTheAudit() {
    ConsoleClient viewer = new ConsoleClient(port);
    viewer.logIn("viewer", DEMO_PASSWORD);
    int before = refusals("viewer").size();
    int owned = tokens.ownedBy("viewer").size();

    HttpResponse<String> res = viewer.htmxPost("/tokens", "/tokens", "label=&expiresInDays=0");

    assertThat(res.statusCode()).isEqualTo(200);
    assertThat(tokens.ownedBy("viewer")).hasSize(owned);
    assertThat(refusals("viewer")).hasSize(before + 1);
    assertThat(refusals("viewer").get(before).summary()).contains("create an API token").contains("label")
        .contains("expiresInDays");
  }
}
