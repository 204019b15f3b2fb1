package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.testing.ApiClient;
import io.lockstep.testing.ConsoleProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * A run driven through the REST API across the lives of a {@link ConsoleProcess}, as its people
 * drive it: op1 requests it and ticks the manual checklists, ap1 approves its phases for the
 * plan's hash and skips a step when that is the decision, op2 runs the on-demand actions.
 *
 * <p>Unlike {@link ProcedureRun} it calls with API tokens (made once with the passwords and kept
 * in the database, so they must survive the kills too): polling a run every 300 ms with HTTP
 * Basic makes the console check a bcrypt hash each time, which costs a C1-only console most of a
 * core on this machine. After each restart {@link #reconnect()} opens fresh connections.
 *
 * <p>{@link #snapshot()} and {@link #assertKeptAfterRestart} are the checks after a kill: the audit
 * chain verifies and every row read before the kill is still at its seq with its hash (none lost,
 * no seq given to another event); every undo record read before is still there as it was; no step
 * that is not repeatable started more often than once plus the retries people asked for.
 */
final class ApiRun {

  static final Set<String> STOPPED = Set.of("FAILED", "NEEDS_DECISION", "ABORTED", "SUCCEEDED");

  private final ConsoleProcess console;
  private final Map<String, String> tokens;
  private final Map<String, ApiClient> clients = new HashMap<>();
  final String runId;

  private ApiRun(ConsoleProcess console, Map<String, String> tokens, String runId) {
    this.console = console;
    this.tokens = tokens;
    this.runId = runId;
  }

  /** op1, op2 and ap1 make API tokens; op1 requests a run of {@code planId}. */
  static ApiRun request(ConsoleProcess console, String planId) {
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String user : List.of("op1", "op2", "ap1")) {
      ApiClient.Answer made = ApiClient.basic(console.port(), user, ConsoleProcess.DEMO_PASSWORD)
          .post("/api/tokens", "{\"label\":\"P1 crash test\"}");
      assertThat(made.status()).as(made.toString()).isEqualTo(201);
      tokens.put(user, made.body().get("token").asText());
    }
    ApiRun run = new ApiRun(console, tokens, null);
    ApiClient.Answer requested = run.as("op1").post("/api/runs", "{\"planId\":\"" + planId + "\"}");
    assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
    return new ApiRun(console, tokens, requested.body().get("run").get("id").asText());
  }

  /** Fresh connections, after the console was started again. */
  void reconnect() {
    clients.clear();
  }

  ApiClient as(String user) {
    return clients.computeIfAbsent(user, u -> ApiClient.bearer(console.port(), tokens.get(u)));
  }

  JsonNode details() {
    ApiClient.Answer answer = as("op1").get("/api/runs/" + runId);
    assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    return answer.body();
  }

  String state() {
    return details().get("run").get("state").asText();
  }

  String message() {
    JsonNode message = details().get("run").get("message");
    return message == null || message.isNull() ? "" : message.asText();
  }

  JsonNode step(String key) {
    return step(details(), key);
  }

  static JsonNode step(JsonNode details, String key) {
    for (JsonNode phase : details.get("phases")) {
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

  /** ap1 approves, in order, the phases not yet approved up to and including {@code lastPhase} (null: all). */
  void approveUpTo(String lastPhase) {
    JsonNode d = details();
    String hash = d.get("plan").get("hash").asText();
    for (JsonNode phase : d.get("phases")) {
      String id = phase.get("id").asText();
      if (phase.get("state").asText().equals("PENDING") && !phase.get("approvedForCurrentPlan").asBoolean()) {
        ApiClient.Answer approved = as("ap1").post("/api/runs/" + runId + "/phases/" + id + "/approve",
            "{\"comment\":\"checked\",\"planHash\":\"" + hash + "\"}");
        assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
      }
      if (id.equals(lastPhase)) {
        return;
      }
    }
  }

  void approveAll() {
    approveUpTo(null);
  }

  /**
   * Lets the run go on, op1 confirming manual steps except {@code keep}, until {@code condition}
   * holds; fails at once when the run stops instead.
   */
  void until(Duration atMost, String what, BooleanSupplier condition, String... keep) {
    Set<String> kept = Set.of(keep);
    await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
      if (condition.getAsBoolean()) {
        return true;
      }
      JsonNode d = details();
      String state = d.get("run").get("state").asText();
      if (STOPPED.contains(state)) {
        throw new AssertionError("waiting for " + what + ", the run stopped: " + state + " " + d.get("run").get("message"));
      }
      confirmWaiting(d, kept);
      return false;
    });
  }

  /** Lets the run go on, confirming manual steps, until it stops; the state it stopped in. */
  String untilStopped(Duration atMost) {
    List<String> reached = new ArrayList<>();
    await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
      JsonNode d = details();
      String state = d.get("run").get("state").asText();
      if (STOPPED.contains(state)) {
        reached.add(state);
        return true;
      }
      confirmWaiting(d, Set.of());
      return false;
    });
    return reached.get(0);
  }

  /** Lets the run go on until the manual step {@code key} waits for its confirmation (left unconfirmed). */
  void untilWaitingAt(Duration atMost, String key) {
    until(atMost, key + " waiting", () -> stepState(key).equals("WAITING"), key);
  }

  void confirm(String key) {
    JsonNode step = step(key);
    int items = step.get("checklist") == null || step.get("checklist").isNull() ? 0 : step.get("checklist").size();
    ApiClient.Answer confirmed = as("op1").post("/api/runs/" + runId + "/steps/" + key + "/confirm",
        "{\"itemsChecked\":" + items + "}");
    assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
  }

  private void confirmWaiting(JsonNode d, Set<String> kept) {
    for (JsonNode phase : d.get("phases")) {
      for (JsonNode step : phase.get("steps")) {
        String key = step.get("key").asText();
        if (step.get("state").asText().equals("WAITING") && !kept.contains(key)) {
          int items = step.get("checklist") == null || step.get("checklist").isNull() ? 0 : step.get("checklist").size();
          as("op1").post("/api/runs/" + runId + "/steps/" + key + "/confirm", "{\"itemsChecked\":" + items + "}");
        }
      }
    }
  }

  /** op1 retries the interrupted or failed step: the operator's decision. */
  void retry(String key) {
    ApiClient.Answer retried = as("op1").post("/api/runs/" + runId + "/steps/" + key + "/retry", "{}");
    assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
  }

  /** ap1, who did not request the run, skips the step with a reason: the approver's decision. */
  void skip(String key, String reason) {
    ApiClient.Answer skipped = as("ap1").post("/api/runs/" + runId + "/steps/" + key + "/skip",
        "{\"reason\":\"" + reason + "\"}");
    assertThat(skipped.status()).as(skipped.toString()).isEqualTo(200);
  }

  /** op2 runs an on-demand action of the procedure while the run is stopped. */
  void action(String id) {
    ApiClient.Answer done = as("op2").post("/api/runs/" + runId + "/actions/" + id, "{}");
    assertThat(done.status()).as(done.toString()).isEqualTo(200);
  }

  /** Every audit row, by seq. */
  Map<Long, JsonNode> auditTrail() {
    Map<Long, JsonNode> rows = new LinkedHashMap<>();
    for (int page = 0; ; page++) {
      ApiClient.Answer answer = as("op1").get("/api/audit?order=oldest&size=500&page=" + page);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      answer.body().get("entries").forEach(e -> rows.put(e.get("seq").asLong(), e));
      if (answer.body().get("entries").size() < 500) {
        return rows;
      }
    }
  }

  /** This run's audit events of {@code type} about step {@code key}. */
  static long events(Map<Long, JsonNode> trail, String runId, String type, String key) {
    return trail.values().stream().filter(e -> runId.equals(e.get("runId").asText()) && e.get("type").asText().equals(type)
        && e.get("details").has("step") && e.get("details").get("step").asText().equals(key)).count();
  }

  /** What was read just before a kill: the run and the whole audit trail. */
  record Snapshot(String what, JsonNode details, Map<Long, String> audit) {}

  Snapshot snapshot(String what) {
    Map<Long, String> audit = new LinkedHashMap<>();
    auditTrail().forEach((seq, row) -> audit.put(seq, row.get("hash").asText()));
    return new Snapshot(what, details(), audit);
  }

  /** The checks after every restart (and at the end), against what was read before the kill. */
  void assertKeptAfterRestart(Snapshot before) {
    String after = " after the kill " + before.what();
    JsonNode verify = as("op1").get("/api/audit/verify").body();
    assertThat(verify.get("ok").asBoolean()).as("the audit chain verifies" + after + ": " + verify).isTrue();
    Map<Long, JsonNode> trail = auditTrail();
    List<String> changed = new ArrayList<>();
    before.audit().forEach((seq, hash) -> {
      JsonNode now = trail.get(seq);
      if (now == null || !now.get("hash").asText().equals(hash)) {
        changed.add("row " + seq + " " + hash + " is now " + (now == null ? "gone" : now.get("type").asText() + " "
            + now.get("hash").asText()));
      }
    });
    assertThat(changed).as("audit rows read before the kill, at the same seq with the same hash" + after).isEmpty();
    List<JsonNode> undoBefore = new ArrayList<>();
    before.details().get("undo").forEach(undoBefore::add);
    List<JsonNode> undoNow = new ArrayList<>();
    details().get("undo").forEach(undoNow::add);
    assertThat(undoNow).as("the undo records read before the kill" + after).containsAll(undoBefore);
    assertNoStepRepeatedWithoutADecision(trail, after);
  }

  /**
   * No step that is not repeatable started more often than once plus the retries people asked
   * for: neither by the audit trail's STEP_STARTED events nor by the run's attempts.
   */
  void assertNoStepRepeatedWithoutADecision(Map<Long, JsonNode> trail, String when) {
    for (JsonNode phase : details().get("phases")) {
      for (JsonNode step : phase.get("steps")) {
        if (step.get("repeatable").asBoolean()) {
          continue;
        }
        String key = step.get("key").asText();
        long retries = events(trail, runId, "STEP_RETRY", key);
        assertThat(events(trail, runId, "STEP_STARTED", key))
            .as(key + " is not repeatable: STEP_STARTED at most once plus " + retries + " retries" + when)
            .isLessThanOrEqualTo(1 + retries);
        assertThat(step.get("attempts").asLong())
            .as(key + " is not repeatable: attempts at most once plus " + retries + " retries" + when)
            .isLessThanOrEqualTo(1 + retries);
      }
    }
  }
}
