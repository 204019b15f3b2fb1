package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.ApiClient;
import io.lockstep.testing.ConsoleProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The console killed with SIGKILL (a JVM of its own, {@link ConsoleProcess}) while a step waits
 * between two attempts of its retries, then started again on the same database and lab: the wait
 * is in the database, so the next attempt runs once, with the next number, and not before the
 * time stored before the kill. The step is a real check on a lab node over SSH ({@code test -f}
 * of a flag file the test puts there), in {@code src/test/resources/process-procedures}.
 */
class RetryWaitKillIT {

  static final Duration WAIT = Duration.ofMinutes(3);
  static final String FLAG = "/tmp/retry-go";

  @Test
  void aKillDuringTheWaitNeitherLosesNorRepeatsTheNextAttempt(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
      throws IOException {
    try (ConsoleProcess console = ConsoleProcess.builder(dir).name("retry-wait-kill")
        .property("lockstep.procedure.user-dir", Path.of("src/test/resources/process-procedures").toAbsolutePath()
            .toString())
        .start()) {
      ApiClient.Answer plan = ApiClient.basic(console.port(), "op1", ConsoleProcess.DEMO_PASSWORD).post("/api/plans",
          "{\"procedure\":\"retry-wait-kill\",\"title\":\"killed in a wait\",\"values\":{\"flag\":\"" + FLAG + "\"}}");
      assertThat(plan.status()).as(plan.toString()).isEqualTo(201);
      ApiRun run = ApiRun.request(console, plan.body().get("id").asText());
      run.approveAll();

      run.until(WAIT, "one.flag waiting for its second attempt",
          () -> !run.step("one.flag").path("nextAttemptAt").isNull()
              && !run.step("one.flag").path("nextAttemptAt").isMissingNode());
      JsonNode waiting = run.step("one.flag");
      Instant next = Instant.parse(waiting.get("nextAttemptAt").asText());
      assertThat(waiting.get("state").asText()).isEqualTo("PENDING");
      assertThat(waiting.get("attempt").asInt()).isEqualTo(1);
      assertThat(waiting.get("attempts").asInt()).isEqualTo(1);

      console.kill();
      console.restart();
      run.reconnect();
      boolean backBeforeItsTime = Instant.now().isBefore(next);
      if (backBeforeItsTime) {
        // the kill lost nothing: the series waits where it was, its second attempt at the same time
        JsonNode after = run.step("one.flag");
        assertThat(after.get("state").asText()).as(after.toString()).isEqualTo("PENDING");
        assertThat(Instant.parse(after.get("nextAttemptAt").asText())).isEqualTo(next);
        assertThat(after.get("attempts").asInt()).as("not started again by the restart").isEqualTo(1);
      }
      Path flag = console.labDir().resolve("nodes/node-1/root" + FLAG);
      Files.createDirectories(flag.getParent());
      Files.writeString(flag, "go\n");

      run.until(WAIT, "the run to end", () -> run.state().equals("SUCCEEDED"));
      JsonNode done = run.step("one.flag");
      assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
      assertThat(done.get("attempt").asInt()).as("the series went on: attempt 2, not a new attempt 1").isEqualTo(2);
      assertThat(done.get("attempts").asInt()).as("neither lost nor repeated").isEqualTo(2);

      Map<Long, JsonNode> trail = run.auditTrail();
      List<JsonNode> starts = trail.values().stream()
          .filter(e -> run.runId.equals(e.path("runId").asText()) && e.get("type").asText().equals("STEP_STARTED")
              && "one.flag".equals(e.path("details").path("step").asText()))
          .toList();
      assertThat(starts).as("STEP_STARTED of one.flag: " + starts).hasSize(2);
      assertThat(starts.get(1).get("details").get("attempt").asInt()).isEqualTo(2);
      assertThat(Instant.parse(starts.get(1).get("occurredAt").asText()))
          .as("attempt 2 not before its time (restarted before it: " + backBeforeItsTime + ")")
          .isAfterOrEqualTo(next);
      assertThat(ApiRun.events(trail, run.runId, "STEP_SUCCEEDED", "one.flag")).isEqualTo(1);
    }
  }
}
