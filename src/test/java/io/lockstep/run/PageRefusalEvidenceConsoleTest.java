package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * "Every refusal is evidence", tried through the pages (session + CSRF, as a browser sends them):
 * a signed-in user's plan or run request that the page refuses, with a 4xx or a message, must leave
 * a {@code REFUSED} audit event just as the same request over the API does.
 */
class PageRefusalEvidenceConsoleTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);

  private final Plans plans;
  private final AuditLog audit;
  private final int port;

  @Autowired
  PageRefusalEvidenceConsoleTest(Plans plans, AuditLog audit, @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.audit = audit;
    this.port = port;
  }

  private List<AuditEntry> refusals(String actor) {
    List<AuditEntry> found = new ArrayList<>();
    audit.forEach(new AuditFilter(null, actor, Refusals.REFUSED, null, null), Long.MAX_VALUE, found::add);
    return found;
  }

  private ConsoleClient signedIn(String user) {
    ConsoleClient console = new ConsoleClient(port);
    console.logIn(user, DEMO_PASSWORD);
    return console;
  }

  // BROKE (fixed): a run request form without planId was answered 400 by Spring MVC (required
  // request parameter) before Runs.request, and left no REFUSED event.
  @Test
  void aPageRunRequestWithoutAPlanIsInTheAudit() {
    ConsoleClient op2 = signedIn("op2");
    int before = refusals("op2").size();

    HttpResponse<String> res = op2.htmxPost("/plans", "/runs", "");

    assertThat(res.statusCode()).isEqualTo(302);
    assertThat(refusals("op2")).hasSize(before + 1);
  }

  // BROKE (fixed): the page looked the procedure up before Plans.create: 500, no REFUSED event.
  @Test
  void aPagePlanOfAnUnknownProcedureIsInTheAudit() {
    ConsoleClient op2 = signedIn("op2");
    int before = refusals("op2").size();

    HttpResponse<String> res = op2.htmxPost("/plans", "/plans", "procedure=no-such-procedure&title=x");

    assertThat(res.statusCode()).isEqualTo(302);
    assertThat(refusals("op2")).hasSize(before + 1);
    assertThat(refusals("op2").get(before).summary()).contains("no-such-procedure");
  }

  // BROKE (fixed): the page looked the plan up before Plans.edit: 500, no REFUSED event, so an
  // insider could walk plan ids through the edit form unseen.
  @Test
  void aPageEditOfAnUnknownPlanIsInTheAudit() {
    ConsoleClient op2 = signedIn("op2");
    int before = refusals("op2").size();

    HttpResponse<String> res = op2.htmxPost("/plans", "/plans/no-such-plan", "title=x");

    assertThat(res.statusCode()).isEqualTo(302);
    assertThat(op2.page("/plans").body()).contains("there is no plan no-such-plan");
    assertThat(refusals("op2")).hasSize(before + 1);
    assertThat(refusals("op2").get(before).summary()).contains("no-such-plan");
  }

  @Test
  void aPageEditOfAStaleVersionIsInTheAudit() {
    Plan plan = plans.create(OP1, "engine-test", "page stale edit", Map.of("password", "pw-page-stale",
        "tag", "pagestale"), null);
    ConsoleClient op2 = signedIn("op2");
    int before = refusals("op2").size();

    op2.htmxPost("/plans", "/plans/" + plan.id(), "version=7&title=changed");

    assertThat(plans.get(plan.id()).version()).isEqualTo(plan.version());
    assertThat(refusals("op2")).hasSize(before + 1);
  }
}
