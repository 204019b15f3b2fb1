package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.logstream.RunLog;
import io.lockstep.logstream.StoredLine;
import io.lockstep.system.Role;
import io.lockstep.system.SecretMasker;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 12, "nobody reads a secret", where {@code SecretCanaryIT} does not look: the webhook's
 * POSTs, the console's output at DEBUG, a step that fails with an unexpected exception naming the
 * password, a refused secret value, a refused edit's secret in the plan's own run, and every row of
 * the database (H2's {@code SCRIPT}). A context of its own: the webhook points at a receiver in this
 * test, io.lockstep logs at DEBUG, and its lab and database are its own.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("lab")
@Import(TestSteps.class)
class SecretLeakAdversaryTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);
  static final List<String> POSTED = new CopyOnWriteArrayList<>();
  static final HttpServer RECEIVER = receiver();
  static final String WEBHOOK_KEY = "WebhookHmac-7f1d";

  private final Plans plans;
  private final Runs runs;
  private final RunViews views;
  private final RunLog log;
  private final AuditLog audit;
  private final JdbcClient jdbc;
  private final ConsoleClient console;
  private String unique;

  @DynamicPropertySource
  static void ownContext(DynamicPropertyRegistry registry) {
    int sshPort = LabConsoleTest.freePortOnNodeAddresses();
    // a console and a database of its own: see LabConsoleTest.labProperties
    LabConsoleTest.labProperties(registry, LabConsoleTest.stateDir().resolve("leak-lab"), sshPort, "lockstep-leak");
    registry.add("lockstep.webhook.url",
        () -> "http://127.0.0.1:" + RECEIVER.getAddress().getPort() + "/hook/k3y");
    registry.add("lockstep.webhook.console-url", () -> "http://lockstep.test");
    registry.add("lockstep.webhook.retries", () -> 0);
    registry.add("lockstep.webhook.secret", () -> WEBHOOK_KEY);
    registry.add("logging.level.io.lockstep", () -> "DEBUG");
  }

  @Autowired
  SecretLeakAdversaryTest(Plans plans, Runs runs, RunViews views, RunLog log, AuditLog audit, DataSource dataSource,
      @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.views = views;
    this.log = log;
    this.audit = audit;
    this.jdbc = JdbcClient.create(dataSource);
    this.console = new ConsoleClient(port);
  }

  @BeforeEach
  void fresh() {
    TestSteps.reset();
    unique = UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A step that fails with an exception no executor expected (an SSH library's error quoting the
   * command line, say) whose message holds the plan's password: the run fails; the password is in
   * no webhook POST (approval waiting, run failed), no line of the console's output at DEBUG, no
   * row of the database.
   */
  @Test
  void aStepCrashingWithThePasswordLeaksItNowhere(CapturedOutput output) {
    String secret = "Crash5ecret-" + unique;
    Plan plan = plans.create(OP1, "engine-test", "crashes " + unique, Map.of("password", secret, "tag",
        "c" + unique), null);
    Run run = runs.request(OP1, plan.id());
    await().atMost(WAIT).until(() -> runs.get(run.id()).state() == Run.State.AWAITING_APPROVAL);
    await().atMost(WAIT).until(() -> POSTED.stream().anyMatch(p -> p.contains(run.id())
        && p.contains("approval.waiting")));
    runs.approve(AP1, run.id(), "one", "go", plan.hash());
    String gate = "one-c" + unique + "-" + run.id();
    await().atMost(WAIT).until(() -> TestSteps.starts(gate) == 1);
    TestSteps.CRASHES.put(gate, "sshpass -p " + secret + " proton-cli apply: connection reset");
    TestSteps.open(gate);
    await().atMost(WAIT).until(() -> runs.get(run.id()).state() == Run.State.FAILED);
    await().atMost(WAIT).until(() -> POSTED.stream().anyMatch(p -> p.contains(run.id()) && p.contains("run.failed")));

    String posts = String.join("\n", POSTED);
    assertThat(posts).as("the webhook heard the failure, masked").contains("connection reset")
        .contains("sshpass -p " + SecretMasker.MASK);
    assertNoSecret("webhook POSTs", posts, secret);
    assertThat(logText(run.id())).contains("connection reset");
    assertNoSecret("the run's log", logText(run.id()), secret);
    assertNoSecret("the run's audit", auditText(AuditFilter.forRun(run.id())), secret);
    assertThat(output.getAll()).as("the engine logged the failure, masked")
        .contains("step of run " + run.id() + " failed").contains("sshpass -p " + SecretMasker.MASK);
    assertNoSecret("the console's output at DEBUG", output.getAll(), secret);
    assertNoSecret("the console's output at DEBUG (the webhook's URL, often a key)", output.getAll(), "/hook/k3y");
    assertNoSecret("the console's output at DEBUG (the webhook's signing key)", output.getAll(), WEBHOOK_KEY);
    assertNoSecret("webhook POSTs (the signing key)", posts, WEBHOOK_KEY);
    assertThat(database()).as("the script holds the plan's rows, its secret sealed").contains("crashes " + unique)
        .contains("lss1:");
    assertNoSecret("the database (SCRIPT)", database(), secret);
  }

  /**
   * A secret given as a JSON number the secret type refuses (too long for a whole number): the
   * refusal (the API's answer, the REFUSED event, the database) says what is wrong without the
   * value, as {@link io.lockstep.procedure.Parameter#accept} promises for a secret.
   */
  @Test
  void aRefusedSecretValueIsNotEchoed(CapturedOutput output) {
    String digits = "31415926535897932384626433" + Math.abs(unique.hashCode());
    assertThatThrownBy(() -> plans.create(OP1, "engine-test", "refused " + unique,
        Map.of("password", new BigInteger(digits), "tag", "r" + unique), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parameter 'password'")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(digits.substring(0, 20)));

    String api = console.postAs("op1", LabConsoleTest.DEMO_PASSWORD, "/api/plans", "{\"procedure\":\"engine-test\",\"values\":"
        + "{\"password\":" + digits + "1,\"tag\":\"a" + unique + "\"}}").body();
    assertThat(api).contains("password");
    assertNoSecret("the API's refusal", api, digits.substring(0, 20));
    String refusals = auditText(new AuditFilter(null, "op1", Refusals.REFUSED, null, null));
    assertThat(refusals).contains("parameter 'password'");
    assertNoSecret("REFUSED events", refusals, digits.substring(0, 20));
    assertNoSecret("the console's output", output.getAll(), digits.substring(0, 20));
    assertNoSecret("the database (SCRIPT)", database(), digits.substring(0, 20));
  }

  /**
   * A refused edit of plan A that would make an ordinary word A's secret registers nothing: A's own
   * run, whose non-secret word it is, still shows it (preview, log, audit), and so does plan B's.
   */
  @Test
  void aRefusedEditsSecretBlanksNoWordInThePlansOwnRun() {
    String word = "kubelet" + unique;
    Plan a = plans.create(OP1, "engine-test", "word " + unique, Map.of("word", word, "password", "pw-a-" + unique,
        "tag", "a" + unique), null);
    assertThatThrownBy(() -> plans.edit(OP1, a.id(), a.version(), null, Map.of("word", word, "password", word,
        "tag", "bad\u0001tag"), null)).isInstanceOf(IllegalArgumentException.class);
    String refused = auditText(new AuditFilter(null, "op1", Refusals.REFUSED, null, null));
    assertThat(refused).contains("edit plan " + a.id());
    assertNoSecret("the refused edit's event", refused, word);

    Run run = runs.request(OP1, a.id());
    try {
      assertThat(views.preview(run.id(), "one", null).toString()).contains("echo " + word + " " + SecretMasker.MASK);
      await().atMost(WAIT).until(() -> runs.get(run.id()).state() == Run.State.AWAITING_APPROVAL);
      runs.approve(AP1, run.id(), "one", "go", a.hash());
      await().atMost(WAIT).until(() -> runs.steps(run.id()).stream()
          .anyMatch(s -> s.key().equals("one.echo") && s.state() == RunStep.State.SUCCEEDED));
      assertThat(logText(run.id())).contains(word + " " + SecretMasker.MASK);
      assertThat(auditText(AuditFilter.forRun(run.id()))).contains("echo " + word);
    } finally {
      runs.abort(OP1, run.id(), "test over");
    }
  }

  /**
   * The masker leaves values shorter than 4 characters alone (they would blank out ordinary words),
   * so a secret that short would go into the run's preview, log and audit in clear: the secret type
   * refuses it when the plan is saved, without showing it, and nothing is stored.
   */
  @Test
  void aSecretTooShortToMaskIsRefused() {
    String title = "short " + unique;
    assertThatThrownBy(() -> plans.create(OP1, "engine-test", title, Map.of("password", "x7q", "tag", "s" + unique),
        null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter 'password'")
        .hasMessageContaining("at least 4 characters").hasMessageNotContaining("x7q");
    assertThat(plans.recent(1000)).noneMatch(p -> p.title().equals(title));
    assertThat(auditText(new AuditFilter(null, "op1", Refusals.REFUSED, null, null)))
        .contains("at least 4 characters");
  }

  /**
   * A plan request whose JSON the parser cannot read, the password written without quotes: the
   * parser's complaint quotes the token it choked on. Neither the answer nor the console's output
   * may hold it (the answer goes back to whoever typed it, but a proxy or a log may keep it).
   */
  @Test
  void anUnreadablePlanRequestDoesNotEchoThePassword(CapturedOutput output) {
    String secret = "Unquoted5ecret" + unique.replace("-", "");
    var answer = console.postAs("op1", LabConsoleTest.DEMO_PASSWORD, "/api/plans", "{\"procedure\":\"engine-test\",\"values\":"
        + "{\"password\":" + secret + ",\"tag\":\"u" + unique + "\"}}");
    assertThat(answer.statusCode()).isEqualTo(400);
    assertNoSecret("the console's output", output.getAll(), secret);
    assertNoSecret("the answer", answer.body(), secret);
  }

  /**
   * An API token pasted into free text (an abort's reason, by mistake or to hand it on): whoever
   * reads the run's audit or page could call the API as its owner. The token's shape ({@code lst_}
   * and 43 base64url characters) masks everywhere, as {@code password=…} does; what a person writes
   * about a run (an approval's comment, an abort's reason) is kept masked in the run's scope.
   */
  @Test
  void anApiTokenOrPasswordInACommentOrReasonIsKeptMasked() {
    String token = "lst_" + "Zq7TokenCanary0123456789abcdefghijklmnopqrst".substring(0, 43);
    Plan plan = plans.create(OP1, "engine-test", "token " + unique, Map.of("password", "pw-t-" + unique, "tag",
        "t" + unique), null);
    Run run = runs.request(OP1, plan.id());
    await().atMost(WAIT).until(() -> runs.get(run.id()).state() == Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, run.id(), "one", "my token " + token + ", password=pw-t-" + unique, plan.hash());
    runs.abort(OP1, run.id(), "use " + token + " for the rest");
    await().atMost(WAIT).until(() -> runs.get(run.id()).state() == Run.State.ABORTED);
    String audited = auditText(AuditFilter.forRun(run.id()));
    assertThat(audited).contains("for the rest");
    assertNoSecret("the run's audit", audited, token);
    assertNoSecret("the run's details", views.details(run.id(), null).toString(), token);
    assertNoSecret("the database (SCRIPT)", database(), token);
    assertNoSecret("the database (SCRIPT)", database(), "pw-t-" + unique);
  }

  private static void assertNoSecret(String where, String text, String secret) {
    int at = text.indexOf(secret);
    assertThat(at).as("%s holds the secret at %d: …%s…", where, at,
        at < 0 ? "" : text.substring(Math.max(0, at - 200), Math.min(text.length(), at + secret.length() + 40)))
        .isNegative();
  }

  /** Every row of every table, as H2 scripts it. */
  private String database() {
    return String.join("\n", jdbc.sql("SCRIPT").query(String.class).list());
  }

  private String logText(String runId) {
    List<String> lines = new ArrayList<>();
    for (StoredLine line : log.after(runId, 0, 10_000)) {
      lines.add(line.text());
    }
    return String.join("\n", lines);
  }

  private String auditText(AuditFilter filter) {
    List<String> rows = new ArrayList<>();
    audit.forEach(filter, Long.MAX_VALUE, e -> rows.add(e.summary() + " " + e.details()));
    return String.join("\n", rows);
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
