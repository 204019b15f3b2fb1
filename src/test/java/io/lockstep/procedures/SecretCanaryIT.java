package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import io.lockstep.testing.PdfText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 12's acceptance for "nobody reads a secret": a canary planted as P1's root password — the
 * plan's secret parameter {@code ssh_password} and, as the lab's own root password, the {@code
 * ssh-password} of the Secret proton-cli-config that P1 backs up whole — and a second canary as a
 * component's password inside the Secrets' YAML files. P1 runs on the lab through its export of the
 * Secrets; then the canaries are searched for in the H2 database file (its bytes, as {@code strings}
 * would: UTF-8 and base64), the console's log output, the SSE log stream, the pages (run, plan,
 * planner), the API answers (plan, run, previews, undo records) and the audit exports (CSV, JSON,
 * PDF). They are found nowhere; the lab's Secret, where they legitimately live, still holds them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("lab")
@ExtendWith(OutputCaptureExtension.class)
class SecretCanaryIT {

  static final String PW = ProcedureRun.PW;
  static final String ROOT_CANARY = "CanaryZq7-root-4e1d";
  static final String REDIS_CANARY = "CanaryZq7-redis-8b2f";
  static final Path DIR = dir();

  private final int port;
  private final ConsoleClient console;
  private final ObjectMapper json;
  private final JdbcClient jdbc;
  private final KubernetesClient client;

  /** As {@link LabConsoleTest}, but on an H2 file (to read its bytes) and a lab seeded with the canaries. */
  @DynamicPropertySource
  static void canaryLab(DynamicPropertyRegistry registry) {
    int sshPort = LabConsoleTest.freePortOnNodeAddresses();
    registry.add("lockstep.lab.state-dir", () -> DIR.resolve("lab").toString());
    registry.add("lockstep.lab.ssh-port", () -> sshPort);
    registry.add("lockstep.lab.api-port", () -> 0);
    registry.add("lockstep.lab.pod-start-delay", () -> "200ms");
    registry.add("lockstep.lab.pod-termination-grace", () -> "300ms");
    registry.add("lockstep.lab.seed", () -> "file:" + seed());
    registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + DIR.resolve("lockstep") + ";WRITE_DELAY=0");
    registry.add("lockstep.secrets.key-file", () -> DIR.resolve("secrets.key").toString());
  }

  @Autowired
  SecretCanaryIT(@Value("${local.server.port}") int port, ObjectMapper json, DataSource dataSource,
      Kubernetes kubernetes) {
    this.port = port;
    this.client = kubernetes.client();
    this.console = new ConsoleClient(port);
    this.json = json;
    this.jdbc = JdbcClient.create(dataSource);
  }

  @Test
  void theCanariesAreFoundNowhereTheConsoleKeepsOrAnswers(CapturedOutput output) throws Exception {
    MigrationPlans.resetLab(console);
    String planId = MigrationPlans.retireOldMasters(console, "P1 canary", Map.of("ssh_password", ROOT_CANARY));
    ProcedureRun run = ProcedureRun.request(console, json, planId);
    run.approveUpTo("export-secrets");
    run.until(ProcedureRun.PHASE_WAIT, () -> run.stepState("export-secrets.backup").equals("SUCCEEDED"),
        "the Secrets backed up");
    assertThat(run.undoRecordKeys()).contains("exported/proton/proton-cli-config",
        "exported/resource/persist-component-manage-components");
    List<String> previews = new ArrayList<>();
    for (JsonNode phase : run.details().get("phases")) {
      previews.add(console.getAs("ap1", PW, "/api/runs/" + run.runId + "/phases/" + phase.get("id").asText()
          + "/preview").body());
      previews.add(console.getAs("ap1", PW, "/runs/" + run.runId + "/phases/" + phase.get("id").asText()
          + "/preview").body());
    }
    run.abort();
    run.until(ProcedureRun.PHASE_WAIT, () -> run.state().equals("ABORTED"), "the run aborted");

    Map<String, String> answers = new java.util.LinkedHashMap<>();
    answers.put("GET /api/plans/" + planId, console.getAs("op1", PW, "/api/plans/" + planId).body());
    answers.put("GET /api/runs/" + run.runId, run.details().toString());
    answers.put("previews", String.join("\n", previews));
    answers.put("run page", console.getAs("op1", PW, "/runs/" + run.runId).body());
    answers.put("plan page", console.getAs("op1", PW, "/plans/" + planId).body());
    answers.put("planner page", console.getAs("op1", PW, "/migration/plans/" + planId).body());
    answers.put("log.txt", console.getAs("op1", PW, "/runs/" + run.runId + "/log.txt").body());
    answers.put("SSE /api/runs/{id}/log", sse("/api/runs/" + run.runId + "/log"));
    answers.put("SSE /runs/{id}/log/stream", sse("/runs/" + run.runId + "/log/stream"));
    answers.put("GET /api/audit", console.getAs("op1", PW, "/api/audit?run=" + run.runId + "&size=500").body());
    for (String format : List.of("csv", "json")) {
      answers.put("audit export " + format, console.getAs("op1", PW, "/audit/export." + format).body());
      answers.put("run audit " + format, console.getAs("op1", PW, "/api/runs/" + run.runId + "/audit." + format).body());
    }
    answers.put("audit export pdf", PdfText.of(console.bytesAs("op1", PW, "/audit/export.pdf").body()).text());
    answers.put("run audit pdf", PdfText.of(console.bytesAs("op1", PW, "/api/runs/" + run.runId + "/audit.pdf").body())
        .text());

    assertThat(answers.get("log.txt")).as("the log was read").contains("export-secrets.backup")
        .contains("proton/proton-cli-config key ssh-password");
    assertThat(answers.get("SSE /api/runs/{id}/log")).contains("export-secrets.backup");
    answers.forEach((where, text) -> assertNoCanary(where, text));
    assertNoCanary("the console's output", output.getAll());

    jdbc.sql("CHECKPOINT SYNC").update();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("lockstep")).toList()) {
        assertNoCanary(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
      }
    }
    String database = new String(Files.readAllBytes(DIR.resolve("lockstep.mv.db")), StandardCharsets.ISO_8859_1);
    assertThat(database).as("the search reads the plan's rows in the file: its title in clear, its secrets sealed")
        .contains("P1 canary").contains("lss1:");
    Secret kept = client.secrets().inNamespace("proton").withName("proton-cli-config").get();
    assertThat(new String(Base64.getDecoder().decode(kept.getData().get("ssh-password")), StandardCharsets.UTF_8))
        .as("the lab's own Secret still holds the canary").isEqualTo(ROOT_CANARY);
  }

  /** Fails naming where and around what the canary (or its base64) stands, without dumping a whole file. */
  private static void assertNoCanary(String where, String text) {
    for (String canary : List.of(ROOT_CANARY, REDIS_CANARY)) {
      for (String form : List.of(canary, Base64.getEncoder().encodeToString(canary.getBytes(StandardCharsets.UTF_8)))) {
        int at = text.indexOf(form);
        assertThat(at).as("%s holds %s at %d: …%s…", where, form, at,
            at < 0 ? "" : text.substring(Math.max(0, at - 120), Math.min(text.length(), at + form.length() + 40)))
            .isNegative();
      }
    }
  }

  /** The whole SSE stream of a finished log (it ends with the log's end). */
  private String sse(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("op1:" + PW).getBytes(StandardCharsets.UTF_8)))
        .header("Accept", "text/event-stream").build();
    HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
      StringBuilder all = new StringBuilder();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          all.append(line).append('\n');
          if (line.startsWith("event:") && line.contains("end")) {
            break;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return all.toString();
    });
    return read.get(60, TimeUnit.SECONDS);
  }

  private static Path seed() {
    Path seed = DIR.resolve("platform.yml");
    if (!Files.exists(seed)) {
      try {
        String shipped = Files.readString(Path.of("config/lab/platform.yml"));
        assertThat(shipped).contains("rootPassword: lab-root-secret").contains("password: redis-Pa55");
        Files.writeString(seed, shipped.replace("lab-root-secret", ROOT_CANARY).replace("redis-Pa55", REDIS_CANARY));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return seed;
  }

  private static Path dir() {
    try {
      return Files.createTempDirectory("lockstep-canary-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
