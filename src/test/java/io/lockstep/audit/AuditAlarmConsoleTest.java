package io.lockstep.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.system.SecretMasker;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A console started on a trail whose newest rows were deleted, with the head rewritten to match,
 * before it started: the start-up check raises the alarm on every page, an approver acknowledges
 * it, and the acknowledgement is in the trail, numbered past the rows that are gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("lab")
class AuditAlarmConsoleTest {

  private static final String PASSWORD = "lockstep-demo";
  private static final String DATABASE = "jdbc:h2:mem:audit-alarm-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  private static final String KEY = AnAuditTrail.randomKey();
  /** Taken once: a supplier that picks a free port each time it is read gives each reader another port. */
  private static final int SSH_PORT = LabConsoleTest.freePortOnNodeAddresses();

  @LocalServerPort
  int port;

  final JsonMapper json = JsonMapper.builder().build();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) throws IOException {
    Path dir = Files.createTempDirectory("lockstep-audit-alarm-");
    Path anchorFile = dir.resolve("audit-anchor");
    tamperedTrail(anchorFile);
    registry.add("lockstep.lab.state-dir", () -> dir.resolve("lab").toString());
    registry.add("lockstep.lab.ssh-port", () -> SSH_PORT);
    registry.add("lockstep.lab.api-port", () -> 0);
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("lockstep.audit.anchor-file", anchorFile::toString);
    registry.add("lockstep.audit.anchor-key", () -> KEY);
  }

  /** Five rows, each anchored as the console does; then rows 4 and 5 deleted and the head moved back to row 3. */
  private static void tamperedTrail(Path anchorFile) {
    JdbcDataSource db = new JdbcDataSource();
    db.setURL(DATABASE);
    db.setUser("sa");
    Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
    AuditAnchor anchor = AuditAnchor.open(anchorFile, AnchorKey.of(KEY, null), Clock.systemUTC());
    anchor.start(0, AuditChain.GENESIS);
    AuditLog log = new AuditLog(new AuditEvents(JdbcClient.create(db)), new SecretMasker(), Clock.systemUTC(),
        new DataSourceTransactionManager(db), anchor);
    for (int i = 1; i <= 5; i++) {
      log.append("PHASE_APPROVED", "ap1", "r-1", "approved phase " + i, Map.of("phase", i));
    }
    anchor.close();
    JdbcClient jdbc = JdbcClient.create(db);
    String hash3 = jdbc.sql("SELECT hash FROM audit_event WHERE seq = 3").query(String.class).single();
    jdbc.sql("DELETE FROM audit_event WHERE seq > 3").update();
    jdbc.sql("UPDATE audit_head SET last_seq = 3, last_hash = :h WHERE id = 1").param("h", hash3).update();
  }

  @Test
  void everyPageShowsTheBrokenChainUntilAnApproverAcknowledgesItAndTheAcknowledgementIsAudited() {
    ConsoleClient console = new ConsoleClient(port);
    // The start-up check runs beside start-up, not in its way.
    await().atMost(Duration.ofSeconds(60))
        .until(() -> console.getAs("viewer", PASSWORD, "/").body().contains("id=\"audit-alarm\""));
    HttpResponse<String> viewerPage = console.getAs("viewer", PASSWORD, "/");
    assertThat(viewerPage.body()).contains("id=\"audit-alarm\"").contains("data-break=\"ROWS_MISSING:4-5\"")
        .contains("rows 4-5: missing").doesNotContain("id=\"audit-alarm-acknowledge\"");
    assertThat(console.getAs("ap1", PASSWORD, "/runs").body()).contains("id=\"audit-alarm\"")
        .contains("id=\"audit-alarm-acknowledge\"");

    ConsoleClient operator = new ConsoleClient(port);
    operator.logIn("op1", PASSWORD);
    assertThat(operator.htmxPost("/", "/audit/alarm/acknowledge", "").statusCode()).isEqualTo(403);
    assertThat(console.getAs("viewer", PASSWORD, "/plans").body()).contains("id=\"audit-alarm\"");

    ConsoleClient approver = new ConsoleClient(port);
    approver.logIn("ap1", PASSWORD);
    HttpResponse<String> acknowledged = approver.htmxPost("/", "/audit/alarm/acknowledge", "");
    assertThat(acknowledged.statusCode()).isEqualTo(302);
    assertThat(acknowledged.headers().firstValue("Location").orElse("")).endsWith("/audit/verify");

    assertThat(console.getAs("viewer", PASSWORD, "/").body()).doesNotContain("id=\"audit-alarm\"");
    JsonNode events = api(console, "/api/audit?type=AUDIT_BREAKS_ACKNOWLEDGED");
    assertThat(events.get("total").asLong()).isEqualTo(1);
    JsonNode ack = events.get("entries").get(0);
    assertThat(ack.get("actor").asString()).isEqualTo("ap1");
    assertThat(ack.get("details").get("breaks").get(0).asString()).isEqualTo("ROWS_MISSING:4-5");
    assertThat(ack.get("seq").asLong()).as("numbered past the rows the anchor saw").isGreaterThan(5);

    JsonNode verify = api(console, "/api/audit/verify");
    assertThat(verify.get("ok").asBoolean()).as("the evidence of the cut stays").isFalse();
    assertThat(verify.get("breaks")).singleElement().satisfies(b -> {
      assertThat(b.get("kind").asString()).isEqualTo("ROWS_MISSING");
      assertThat(b.get("seq").asLong()).isEqualTo(4);
      assertThat(b.get("throughSeq").asLong()).isEqualTo(5);
    });
    assertThat(console.getAs("viewer", PASSWORD, "/audit").body()).doesNotContain("id=\"audit-alarm\"");
  }

  private JsonNode api(ConsoleClient console, String path) {
    HttpResponse<String> res = console.getAs("viewer", PASSWORD, path);
    assertThat(res.statusCode()).as(path).isEqualTo(200);
    return json.readTree(res.body());
  }
}
