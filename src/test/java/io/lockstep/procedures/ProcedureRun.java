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
 * Drives a run of a procedure through the REST API as its users do: op1 plans and requests it, ap1
 * approves every phase for the plan's version, op1 ticks the manual checklists; stops at the first
 * state that needs a person (a failure, a decision) so that a test can act on it.
 */
final class ProcedureRun {

  static final String PW = "lockstep-demo";
  static final Duration PHASE_WAIT = Duration.ofMinutes(3);

  private final ConsoleClient console;
  private final ObjectMapper json;
  final String runId;

  private ProcedureRun(ConsoleClient console, ObjectMapper json, String runId) {
    this.console = console;
    this.json = json;
    this.runId = runId;
  }

  /** Requests a run of {@code planId} as op1. */
  static ProcedureRun request(ConsoleClient console, ObjectMapper json, String planId) {
    HttpResponse<String> run = console.postAs("op1", PW, "/api/runs", "{\"planId\":\"" + planId + "\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
    return new ProcedureRun(console, json, json.readTree(run.body()).get("run").get("id").asText());
  }

  /** op1 plans {@code procedure} with {@code valuesJson} (a JSON object) and requests a run of it. */
  static ProcedureRun plan(ConsoleClient console, ObjectMapper json, String procedure, String title, String valuesJson) {
    HttpResponse<String> plan = console.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"" + procedure + "\",\"title\":\"" + title + "\",\"values\":" + valuesJson + "}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    return request(console, json, json.readTree(plan.body()).get("id").asText());
  }

  /** op1 aborts the run (a test's run that stopped on a refusal). */
  void abort() {
    console.postAs("op1", PW, "/api/runs/" + runId + "/abort", "{}");
  }

  /**
   * The STEP_ACTION audit events of this run, oldest first, as {@code phase.step node: action}
   * summaries.
   */
  List<String> auditedActions() {
    JsonNode page = json.readTree(console.getAs("op1", PW, "/api/audit?run=" + runId
        + "&type=STEP_ACTION&order=oldest&size=500").body());
    List<String> actions = new ArrayList<>();
    page.get("entries").forEach(e -> actions.add(e.get("summary").asText()));
    return actions;
  }

  /** The keys of the run's undo records. */
  List<String> undoRecordKeys() {
    List<String> keys = new ArrayList<>();
    details().get("undo").forEach(u -> keys.add(u.get("key").asText()));
    return keys;
  }

  /** The run {@code runId}, e.g. after a console restart. */
  static ProcedureRun resume(ConsoleClient console, ObjectMapper json, String runId) {
    return new ProcedureRun(console, json, runId);
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

  /**
   * Lets the run go on, confirming the other manual steps as op1, until the manual step {@code key}
   * waits for its confirmation (left unconfirmed, so the test can look at the platform then).
   */
  void untilWaitingAt(Duration atMost, String key) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
      JsonNode d = details();
      for (JsonNode phase : d.get("phases")) {
        for (JsonNode step : phase.get("steps")) {
          if (step.get("key").asText().equals(key) && step.get("state").asText().equals("WAITING")) {
            return true;
          }
        }
      }
      String state = d.get("run").get("state").asText();
      if (Set.of("FAILED", "NEEDS_DECISION", "ABORTED", "SUCCEEDED").contains(state)) {
        throw new AssertionError("waiting for " + key + ", the run stopped: " + state + " "
            + (d.get("run").get("message") == null ? "" : d.get("run").get("message").asText()));
      }
      confirmWaitingSteps(d, key);
      return false;
    });
  }

  private void confirmWaitingSteps(JsonNode d) {
    confirmWaitingSteps(d, null);
  }

  private void confirmWaitingSteps(JsonNode d, String except) {
    for (JsonNode phase : d.get("phases")) {
      for (JsonNode step : phase.get("steps")) {
        if (step.get("state").asText().equals("WAITING") && !step.get("key").asText().equals(except)) {
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
