package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.testing.ConsoleClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Drives a run of P1 through the REST API as its users do: op1 requests it, ap1 approves every
 * phase for the plan's version, op1 ticks the manual checklists; stops at the first state that
 * needs a person (a failure, a decision) so that a test can act on it.
 */
final class ProtonMigrationRun {

  static final String PW = "lockstep-demo";
  static final Duration PHASE_WAIT = Duration.ofMinutes(3);

  private final ConsoleClient console;
  private final ObjectMapper json;
  final String runId;

  private ProtonMigrationRun(ConsoleClient console, ObjectMapper json, String runId) {
    this.console = console;
    this.json = json;
    this.runId = runId;
  }

  /** Requests a run of {@code planId} as op1. */
  static ProtonMigrationRun request(ConsoleClient console, ObjectMapper json, String planId) {
    HttpResponse<String> run = console.postAs("op1", PW, "/api/runs", "{\"planId\":\"" + planId + "\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
    return new ProtonMigrationRun(console, json, json.readTree(run.body()).get("run").get("id").asText());
  }

  /** The run {@code runId}, e.g. after a console restart. */
  static ProtonMigrationRun resume(ConsoleClient console, ObjectMapper json, String runId) {
    return new ProtonMigrationRun(console, json, runId);
  }

  JsonNode details() {
    return json.readTree(console.getAs("op1", PW, "/api/runs/" + runId).body());
  }

  String state() {
    return details().get("run").get("state").asText();
  }

  /** ap1 approves every phase not yet approved for the plan's current version. */
  void approveAll() {
    approveUpTo(null);
  }

  /** ap1 approves, in order, the phases up to and including {@code lastPhase} (null: all). */
  void approveUpTo(String lastPhase) {
    JsonNode d = details();
    String hash = d.get("plan").get("hash").asText();
    for (JsonNode phase : d.get("phases")) {
      if (!phase.get("state").asText().equals("PENDING") || phase.get("approvedForCurrentPlan").asBoolean()) {
        continue;
      }
      HttpResponse<String> approved = console.postAs("ap1", PW, "/api/runs/" + runId + "/phases/"
          + phase.get("id").asText() + "/approve", "{\"comment\":\"checked\",\"planHash\":\"" + hash + "\"}");
      assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
      if (phase.get("id").asText().equals(lastPhase)) {
        return;
      }
    }
  }

  /**
   * Lets the run go on, confirming manual steps as op1, until it reaches one of {@code states}
   * (or SUCCEEDED); returns the state reached.
   */
  String until(Duration atMost, String... states) {
    Set<String> wanted = Set.of(states);
    List<String> reached = new ArrayList<>();
    await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
      JsonNode d = details();
      String state = d.get("run").get("state").asText();
      if (wanted.contains(state) || state.equals("SUCCEEDED") || state.equals("ABORTED")) {
        reached.add(state);
        return true;
      }
      if (state.equals("FAILED") || state.equals("NEEDS_DECISION")) {
        reached.add(state);
        return true;
      }
      confirmWaitingSteps(d);
      return false;
    });
    return reached.get(0);
  }

  /**
   * Lets the run go on, confirming manual steps as op1, until {@code condition} holds; fails at once
   * when the run stops for a person instead.
   */
  void until(Duration atMost, java.util.function.BooleanSupplier condition, String what) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
      if (condition.getAsBoolean()) {
        return true;
      }
      JsonNode d = details();
      String state = d.get("run").get("state").asText();
      if (Set.of("FAILED", "NEEDS_DECISION", "ABORTED", "SUCCEEDED").contains(state)) {
        throw new AssertionError("waiting for " + what + ", the run stopped: " + state + " "
            + (d.get("run").get("message") == null ? "" : d.get("run").get("message").asText()));
      }
      confirmWaitingSteps(d);
      return false;
    });
  }

  private void confirmWaitingSteps(JsonNode d) {
    for (JsonNode phase : d.get("phases")) {
      for (JsonNode step : phase.get("steps")) {
        if (step.get("state").asText().equals("WAITING")) {
          int items = step.get("checklist") == null ? 0 : step.get("checklist").size();
          console.postAs("op1", PW, "/api/runs/" + runId + "/steps/" + step.get("key").asText() + "/confirm",
              "{\"itemsChecked\":" + items + "}");
        }
      }
    }
  }

  JsonNode step(String key) {
    for (JsonNode phase : details().get("phases")) {
      for (JsonNode step : phase.get("steps")) {
        if (step.get("key").asText().equals(key)) {
          return step;
        }
      }
    }
    throw new AssertionError("no step " + key);
  }

  String stepState(String key) {
    return step(key).get("state").asText();
  }

  String message() {
    JsonNode message = details().get("run").get("message");
    return message == null ? "" : message.asText();
  }

  void retry(String step) {
    HttpResponse<String> retried = console.postAs("op1", PW, "/api/runs/" + runId + "/steps/" + step + "/retry", "{}");
    assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
  }
}
