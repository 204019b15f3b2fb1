package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * "Every refusal is evidence", tried over the REST API by insiders with valid accounts: each 4xx
 * answer to a signed-in user who asked to change something (or to look at what is down) must leave
 * a {@code REFUSED} audit event naming who and what.
 */
class RefusalEvidenceConsoleTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Duration WAIT = Duration.ofSeconds(20);

  private final Plans plans;
  private final Runs runs;
  private final AuditLog audit;
  private final ConsoleClient console;

  @Autowired
  RefusalEvidenceConsoleTest(Plans plans, Runs runs, AuditLog audit, @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.audit = audit;
    this.console = new ConsoleClient(port);
  }

  private List<AuditEntry> refusals(String actor) {
    List<AuditEntry> found = new ArrayList<>();
    audit.forEach(new AuditFilter(null, actor, Refusals.REFUSED, null, null), Long.MAX_VALUE, found::add);
    return found;
  }

  private String waitingRun(String tag) {
    Plan plan = plans.create(OP1, "engine-test", "evidence " + tag, Map.of("password", "pw-evidence-" + tag,
        "tag", tag), null);
    String id = runs.request(OP1, plan.id()).id();
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    return id;
  }

  // BROKE (fixed): POST /api/runs without a planId answered 400 from the controller, before the use
  // case, and left no REFUSED event.
  @Test
  void aRunRequestWithoutAPlanIsInTheAudit() {
    int before = refusals("op2").size();

    HttpResponse<String> res = console.postAs("op2", DEMO_PASSWORD, "/api/runs", "{\"planId\": \" \"}");

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(refusals("op2")).hasSize(before + 1);
    assertThat(refusals("op2").get(before).summary()).contains("request a run").contains("planId is required");
  }

  /** Refused by Spring MVC before Runs.approve could record it: the API's problem advice records it. */
  @Test
  void anApprovalWithAnUnreadableBodyIsInTheAudit() {
    String id = waitingRun("unreadable");
    int before = refusals("ap1").size();

    HttpResponse<String> res = console.postAs("ap1", DEMO_PASSWORD, "/api/runs/" + id + "/phases/one/approve",
        "{\"planHash\": ");

    assertThat(res.statusCode()).isEqualTo(400);
    assertThat(runs.approvals(id)).isEmpty();
    assertThat(refusals("ap1")).hasSize(before + 1);
    runs.abort(OP1, id, "test over");
  }
}
