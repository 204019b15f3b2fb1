package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14, "attention where it is needed", through the running console: a manual checkpoint
 * waiting shows on the dashboard and in the badge of every operator who may confirm it (as
 * {@link Runs#confirm} allows: any operator), not on an approver's, and the webhook announces it;
 * an approval that blocks a run now is counted apart from those that may be given ahead. A context
 * of its own: the webhook points at a receiver in this test, and nothing else runs in its lab.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("lab")
@Import(TestSteps.class)
class AttentionConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String PW = LabConsoleTest.DEMO_PASSWORD;
  static final List<String> POSTED = new CopyOnWriteArrayList<>();
  static final HttpServer RECEIVER = receiver();
  static final Pattern NOW = Pattern.compile("id=\"approval-badge\"[^>]*>(\\d+)<");
  static final Pattern AHEAD = Pattern.compile("id=\"approval-badge-ahead\"[^>]*>\\+(\\d+)<");

  private final Plans plans;
  private final Runs runs;
  private final ConsoleClient console;
  private final JsonMapper json = JsonMapper.builder().build();
  private String tag;
  private String runId;

  @DynamicPropertySource
  static void ownContext(DynamicPropertyRegistry registry) {
    int sshPort = LabConsoleTest.freePortOnNodeAddresses();
    // a console and a database of its own: see LabConsoleTest.labProperties
    LabConsoleTest.labProperties(registry, LabConsoleTest.stateDir().resolve("attention-lab"), sshPort, "lockstep-attention");
    registry.add("lockstep.webhook.url", () -> "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hook");
    registry.add("lockstep.webhook.console-url", () -> "http://lockstep.test");
    registry.add("lockstep.webhook.retries", () -> 0);
  }

  @Autowired
  AttentionConsoleTest(Plans plans, Runs runs, @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.console = new ConsoleClient(port);
  }

  @BeforeEach
  void fresh() {
    TestSteps.reset();
    tag = "att" + UUID.randomUUID().toString().substring(0, 6);
  }

  @AfterEach
  void abortWhatIsLeft() {
    if (runId != null && !runs.get(runId).isFinal()) {
      runs.abort(OP1, runId, "test over");
    }
  }

  private RunStep step(String key) {
    return runs.steps(runId).stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
  }

  /** A run of engine-test requested by op1, waiting for the approval of its first phase. */
  private Plan requested() {
    Plan plan = plans.create(OP1, "engine-test", "attention " + tag, Map.of("password", "pw-" + tag + "-1234",
        "tag", tag), null);
    runId = runs.request(OP1, plan.id()).id();
    await().atMost(WAIT).until(() -> runs.get(runId).state() == Run.State.AWAITING_APPROVAL);
    return plan;
  }

  private int count(Pattern pattern, String user) {
    String badge = console.getAs(user, PW, "/approvals/badge").body();
    Matcher m = pattern.matcher(badge);
    assertThat(m.find()).as(badge).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private String dashboard(String user, String language) {
    HttpResponse<String> page = console.getAs(user, PW, "/", "Accept-Language", language);
    assertThat(page.statusCode()).isEqualTo(200);
    return page.body();
  }

  @Test
  void theApprovalARunWaitsForNowIsCountedApartFromThoseAhead() {
    requested();
    // engine-test has three phases: one blocks the run now, two and three may be approved ahead
    assertThat(count(NOW, "ap1")).isEqualTo(1);
    assertThat(count(AHEAD, "ap1")).isEqualTo(2);
    assertThat(count(NOW, "op1")).as("the requester approves nothing").isZero();

    String page = dashboard("ap1", "en");
    int blocking = page.indexOf("class=\"approval-waiting blocking");
    int ahead = page.indexOf("class=\"approval-waiting ahead");
    assertThat(blocking).as("the blocking approval is listed").isPositive();
    assertThat(ahead).as("approvals ahead are listed apart, after it").isGreaterThan(blocking);
    assertThat(page.substring(blocking, ahead)).contains("data-run=\"" + runId + "\"").contains("data-phase=\"one\"")
        .contains(runId + " · Phase one");
    assertThat(dashboard("ap1", "zh-CN")).as("phase names in the reader's language")
        .contains(runId + " · 第一阶段").contains("引擎测试");
    String list = console.getAs("ap1", PW, "/runs", "Accept-Language", "zh-CN").body();
    int row = list.indexOf(">" + runId + "<");
    assertThat(row).as("the run is listed").isPositive();
    assertThat(list.substring(row, list.indexOf("</tr>", row))).as("the runs list in the reader's language")
        .contains("引擎测试").contains("第一阶段").contains("等待审批").contains("data-state=\"AWAITING_APPROVAL\"");
  }

  @Test
  void aChecklistWaitingShowsOnTheDashboardAndBadgeOfEveryOperatorAndTheWebhookAnnouncesIt() throws Exception {
    Plan plan = requested();
    runs.approve(AP1, runId, "one", "ok", plan.hash());
    runs.approve(AP1, runId, "two", "ok", plan.hash());
    TestSteps.open("one-" + tag + "-" + runId);
    await().atMost(WAIT).until(() -> step("two.risky").state() == RunStep.State.RUNNING);
    assertThat(dashboard("op1", "en")).doesNotContain("checklist-waiting");
    TestSteps.open("two-" + tag + "-" + runId);
    await().atMost(WAIT).until(() -> step("two.check").state() == RunStep.State.WAITING);

    for (String operator : List.of("op1", "op2")) {
      String page = dashboard(operator, "en");
      assertThat(page).as(operator + "'s dashboard").contains("class=\"checklist-waiting")
          .contains("data-step=\"two.check\"").contains("Run " + runId + " waits for you to tick the checklist of check")
          .doesNotContain("Nothing waits for you now.");
      assertThat(count(NOW, operator)).as(operator + "'s badge").isEqualTo(1);
    }
    assertThat(dashboard("op1", "zh-CN")).contains("运行 " + runId + " 正在等待您勾选“check”的检查清单");
    assertThat(dashboard("ap1", "en")).as("an approver may not confirm a checkpoint").doesNotContain("checklist-waiting");
    assertThat(count(NOW, "ap1")).isZero();

    await().atMost(WAIT).until(() -> POSTED.stream().anyMatch(p -> p.contains("manual-step.waiting")
        && p.contains(runId)));
    JsonNode doc = json.readTree(POSTED.stream().filter(p -> p.contains("manual-step.waiting") && p.contains(runId))
        .findFirst().orElseThrow());
    assertThat(doc.get("event").asText()).isEqualTo("manual-step.waiting");
    assertThat(doc.get("step").get("key").asText()).isEqualTo("two.check");
    assertThat(doc.get("phase").get("name").asText()).isEqualTo("Phase two");
    assertThat(doc.get("requester").asText()).isEqualTo("op1");
    assertThat(doc.get("checklist").get(0).asText()).isEqualTo("It looks fine");
    assertThat(doc.get("link").asText()).isEqualTo("http://lockstep.test/runs/" + runId);
    assertThat(POSTED.stream().filter(p -> p.contains("manual-step.waiting") && p.contains(runId))).hasSize(1);

    runs.confirm(OP1, runId, "two.check", 1);
    await().atMost(WAIT).until(() -> step("two.check").state() == RunStep.State.SUCCEEDED);
    assertThat(count(NOW, "op2")).as("confirmed: nothing waits any more").isZero();
    assertThat(dashboard("op2", "en")).doesNotContain("checklist-waiting").contains("Nothing waits for you now.");
  }

  private static HttpServer receiver() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        POSTED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
      });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
