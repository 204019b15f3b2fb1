package io.lockstep.system;

import io.lockstep.testing.ApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The ledger of a crash test: every API write the console answered with 2xx, every audit row a
 * reader saw while it ran, and, after a restart on the same files, the check that all of it is
 * still there as it was answered.
 *
 * <p>A write is there when the API shows its effect (the plan at least at the answered version,
 * with the answered title and hash if at that version; the run of the plan; the approval by its
 * id and plan hash; the token by id) and the audit trail holds its event. An audit row seen before
 * a kill must be at the same seq with the same hash afterwards: a row lost in the crash would
 * otherwise have its seq given to the next event, and the chain would still verify.
 */
final class AnsweredWrites {

  /** A write the console answered with 2xx, in life {@code life}, read whole at {@code answeredAt}. */
  sealed interface Write permits PlanSaved, RunRequested, PhaseApproved, RunPaused, RunResumed, TokenCreated {
    long answeredAt();

    int life();
  }

  record PlanSaved(String planId, int version, String hash, String title, long answeredAt, int life) implements Write {}

  record RunRequested(String runId, String planId, long answeredAt, int life) implements Write {}

  record PhaseApproved(String runId, String phase, String approver, String planHash, long answeredAt, int life)
      implements Write {}

  record RunPaused(String runId, long answeredAt, int life) implements Write {}

  record RunResumed(String runId, long answeredAt, int life) implements Write {}

  record TokenCreated(String owner, long tokenId, String label, long answeredAt, int life) implements Write {}

  private record Row(long seq, String hash, String type, int life) {}

  private final List<Write> writes = Collections.synchronizedList(new ArrayList<>());
  private final Map<Long, Row> seenRows = new ConcurrentHashMap<>();
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  private final Semaphore answers = new Semaphore(0);

  void add(Write write) {
    writes.add(write);
    answers.release();
  }

  List<Write> all() {
    synchronized (writes) {
      return List.copyOf(writes);
    }
  }

  /** How many writes were answered at or after {@code nanoTime}. */
  int answeredSince(long nanoTime) {
    synchronized (writes) {
      int count = 0;
      for (int i = writes.size() - 1; i >= 0 && writes.get(i).answeredAt() >= nanoTime; i--) {
        count++;
      }
      return count;
    }
  }

  /** Waits for the next write answered from now on; false if none came within {@code atMost}. */
  boolean awaitNextAnswer(Duration atMost) throws InterruptedException {
    answers.drainPermits();
    return answers.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** An audit row a reader was shown while the console ran (in {@code life}). */
  void seen(JsonNode entry, int life) {
    Row row = new Row(entry.get("seq").asLong(), entry.get("hash").asText(), entry.get("type").asText(), life);
    Row before = seenRows.putIfAbsent(row.seq(), row);
    if (before != null && !before.hash().equals(row.hash())) {
      problems.add("audit row " + row.seq() + " read in life " + life + " is " + row.type() + " " + row.hash()
          + ", but read in life " + before.life() + " it was " + before.type() + " " + before.hash()
          + ": the seq was given to another event");
    }
  }

  int seenRows() {
    return seenRows.size();
  }

  /**
   * What is missing or changed after a restart, in words; empty when every answered write and
   * every audit row seen is there. {@code api} reads plans, runs and the audit trail; {@code
   * owners} lists the API tokens of a user (the API shows a user only their own).
   */
  List<String> lostAfterRestart(ApiClient api, Function<String, ApiClient> owners, Map<Integer, Long> killedAt,
      Predicate<Write> which) {
    List<String> lost = new ArrayList<>(problems);
    Map<Long, JsonNode> trail = trail(api, lost);
    Map<String, List<JsonNode>> events = index(trail);
    for (Row row : seenRows.values()) {
      JsonNode now = trail.get(row.seq());
      if (now == null || !now.get("hash").asText().equals(row.hash())) {
        lost.add("audit row " + row.seq() + " (" + row.type() + " " + row.hash() + "), read in life " + row.life()
            + ", is " + (now == null ? "gone" : "now " + now.get("type").asText() + " " + now.get("hash").asText()));
      }
    }
    Map<String, JsonNode> plans = byId(api.get("/api/plans").body());
    Map<String, JsonNode> runs = new HashMap<>();
    Map<String, JsonNode> runRows = byId(api.get("/api/runs").body());
    Map<String, JsonNode> tokens = new HashMap<>();
    Map<String, Integer> pauses = new HashMap<>();
    Map<String, Integer> resumes = new HashMap<>();
    for (Write write : all().stream().filter(which).toList()) {
      String when = " (answered " + beforeKill(write, killedAt) + ")";
      if (write instanceof PlanSaved p) {
        JsonNode plan = plans.computeIfAbsent(p.planId(), id -> api.get("/api/plans/" + id).body());
        String key = p.version() == 1 ? "PLAN_CREATED " + p.planId() : "PLAN_EDITED " + p.planId() + "@" + p.version();
        if (plan == null || plan.get("version") == null) {
          lost.add("plan " + p.planId() + " version " + p.version() + when + ": the API has no such plan");
        } else if (plan.get("version").asInt() < p.version()
            || plan.get("version").asInt() == p.version() && (!plan.get("hash").asText().equals(p.hash())
                || !plan.get("title").asText().equals(p.title()))) {
          lost.add("plan " + p.planId() + " version " + p.version() + " '" + p.title() + "'" + when
              + ": the API shows version " + plan.get("version").asInt() + " '" + plan.get("title").asText() + "'");
        }
        if (!events.containsKey(key)) {
          lost.add(key + when + ": no such audit event");
        }
      } else if (write instanceof RunRequested r) {
        JsonNode run = runRows.get(r.runId());
        if (run == null) {
          JsonNode details = runs.computeIfAbsent(r.runId(), id -> api.get("/api/runs/" + id).body());
          run = details == null ? null : details.get("run");
        }
        if (run == null || run.get("planId") == null || !run.get("planId").asText().equals(r.planId())) {
          lost.add("run " + r.runId() + " of " + r.planId() + when + ": the API shows " + run);
        }
        if (!events.containsKey("RUN_REQUESTED " + r.runId())) {
          lost.add("RUN_REQUESTED " + r.runId() + when + ": no such audit event");
        }
      } else if (write instanceof PhaseApproved a) {
        JsonNode run = runs.computeIfAbsent(a.runId(), id -> api.get("/api/runs/" + id).body());
        if (!hasApproval(run, a)) {
          lost.add("approval by " + a.approver() + " of " + a.runId() + " phase " + a.phase() + when
              + ": not among the run's approvals");
        }
        if (!events.containsKey("PHASE_APPROVED " + a.runId() + "/" + a.phase() + "/" + a.planHash())) {
          lost.add("PHASE_APPROVED " + a.runId() + " " + a.phase() + when + ": no such audit event");
        }
      } else if (write instanceof RunPaused p) {
        pauses.merge(p.runId(), 1, Integer::sum);
      } else if (write instanceof RunResumed r) {
        resumes.merge(r.runId(), 1, Integer::sum);
      } else if (write instanceof TokenCreated t) {
        JsonNode mine = tokens.computeIfAbsent(t.owner(), owner -> owners.apply(owner).get("/api/tokens").body());
        boolean listed = false;
        if (mine != null) {
          for (JsonNode token : mine) {
            listed |= token.get("id").asLong() == t.tokenId() && token.get("label").asText().equals(t.label());
          }
        }
        if (!listed) {
          lost.add("API token " + t.tokenId() + " '" + t.label() + "' of " + t.owner() + when + ": not listed");
        }
        if (!events.containsKey("TOKEN_CREATED " + t.tokenId())) {
          lost.add("TOKEN_CREATED " + t.tokenId() + when + ": no such audit event");
        }
      }
    }
    counted(lost, events, "RUN_PAUSE_REQUESTED", pauses);
    counted(lost, events, "RUN_RESUMED", resumes);
    return lost;
  }

  /** The objects of a JSON array by their {@code id}. */
  private static Map<String, JsonNode> byId(JsonNode array) {
    Map<String, JsonNode> byId = new HashMap<>();
    if (array != null && array.isArray()) {
      array.forEach(node -> byId.put(node.get("id").asText(), node));
    }
    return byId;
  }

  /** How long before the kill of its life a write was answered, in words. */
  static String beforeKill(Write write, Map<Integer, Long> killedAt) {
    Long kill = killedAt.get(write.life());
    if (kill == null) {
      return "in life " + write.life();
    }
    double ms = (kill - write.answeredAt()) / 1e6;
    return String.format(java.util.Locale.ROOT, "%.1f ms %s the kill of life %d", Math.abs(ms),
        ms >= 0 ? "before" : "after", write.life());
  }

  private static boolean hasApproval(JsonNode run, PhaseApproved a) {
    if (run == null || run.get("phases") == null) {
      return false;
    }
    for (JsonNode phase : run.get("phases")) {
      if (phase.get("id").asText().equals(a.phase())) {
        for (JsonNode approval : phase.get("approvals")) {
          if (approval.get("actor").asText().equals(a.approver()) && approval.get("decision").asText().equals("APPROVED")
              && approval.get("planHash").asText().equals(a.planHash())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void counted(List<String> lost, Map<String, List<JsonNode>> events, String type,
      Map<String, Integer> answered) {
    answered.forEach((runId, count) -> {
      int audited = events.getOrDefault(type + " " + runId, List.of()).size();
      if (audited < count) {
        lost.add(type + " of " + runId + ": " + count + " answered, " + audited + " in the audit trail");
      }
    });
  }

  /** The whole audit trail by seq, and that it verifies. */
  private static Map<Long, JsonNode> trail(ApiClient api, List<String> lost) {
    Map<Long, JsonNode> trail = new LinkedHashMap<>();
    for (int page = 0; ; page++) {
      ApiClient.Answer answer = api.get("/api/audit?order=oldest&size=500&page=" + page);
      if (!answer.ok()) {
        lost.add("GET /api/audit answered " + answer);
        return trail;
      }
      JsonNode entries = answer.body().get("entries");
      entries.forEach(e -> trail.put(e.get("seq").asLong(), e));
      if (entries.size() < 500) {
        break;
      }
    }
    ApiClient.Answer verify = api.get("/api/audit/verify");
    // the engine may append rows between the two reads: the chain only grows
    if (!verify.ok() || !verify.body().get("ok").asBoolean() || verify.body().get("rows").asLong() < trail.size()) {
      lost.add("the audit trail of " + trail.size() + " rows does not verify: " + verify);
    }
    return trail;
  }

  /** Audit events by what they are about: {@code PLAN_EDITED plan-3@2}, {@code RUN_REQUESTED run-5}… */
  private static Map<String, List<JsonNode>> index(Map<Long, JsonNode> trail) {
    Map<String, List<JsonNode>> index = new HashMap<>();
    for (JsonNode e : trail.values()) {
      JsonNode d = e.get("details");
      String runId = e.get("runId") == null || e.get("runId").isNull() ? "" : e.get("runId").asText();
      String key = switch (e.get("type").asText()) {
        case "PLAN_CREATED" -> "PLAN_CREATED " + d.get("plan").asText();
        case "PLAN_EDITED" -> "PLAN_EDITED " + d.get("plan").asText() + "@" + d.get("version").asInt();
        case "PHASE_APPROVED" -> "PHASE_APPROVED " + runId + "/" + d.get("phase").asText() + "/" + d.get("planHash").asText();
        case "TOKEN_CREATED" -> "TOKEN_CREATED " + d.get("id").asLong();
        case "RUN_REQUESTED", "RUN_PAUSE_REQUESTED", "RUN_RESUMED" -> e.get("type").asText() + " " + runId;
        default -> null;
      };
      if (key != null) {
        index.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
      }
    }
    return index;
  }
}
