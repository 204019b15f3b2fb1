package io.lockstep.system;

import io.lockstep.system.AnsweredWrites.PhaseApproved;
import io.lockstep.system.AnsweredWrites.PlanSaved;
import io.lockstep.system.AnsweredWrites.RunPaused;
import io.lockstep.system.AnsweredWrites.RunRequested;
import io.lockstep.system.AnsweredWrites.RunResumed;
import io.lockstep.system.AnsweredWrites.TokenCreated;
import io.lockstep.testing.ApiClient;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * A stream of varied API writes against one life of the console, by the people who make them,
 * each on its own thread and connection:
 *
 * <ul>
 *   <li>{@value #OPERATORS} operators (op1 and op2 in turn) each plan {@code demo-node-check},
 *       edit some plans again (new versions), request a run of the plan, pause it and resume it,
 *       and hand the run to the approvers;</li>
 *   <li>{@value #APPROVERS} approvers (ap1, ap2) each approve one phase of a run handed to them,
 *       for the plan's hash: mostly a phase ahead, now and then the first phase, which the run
 *       then runs (SSH checks on every node, so the engine writes meanwhile, but at some 25 times
 *       the console's CPU of a write, hence rarely);</li>
 *   <li>viewer makes API tokens with HTTP Basic (a token cannot make tokens, and the API takes no
 *       session cookie), so the console checks the bcrypt hash on each, costing it more than any
 *       other write;</li>
 *   <li>and viewer reads the newest audit rows over and over, so the test knows which rows were
 *       shown, with which seq and hash, before the kill.</li>
 * </ul>
 *
 * <p>Each writer sends its next write as soon as its last was answered, so some {@value
 * #WRITERS} writes are under way at any moment. Every answer with 2xx goes into the {@link
 * AnsweredWrites} ledger with the time it arrived. Refusals (a 409 when a write races the engine)
 * are counted, not recorded: they changed nothing.
 */
final class ApiWriters {

  static final int OPERATORS = 8;
  static final int APPROVERS = 3;
  static final int WRITERS = OPERATORS + APPROVERS + 1;
  private static final List<String> AHEAD = List.of("maintenance", "start-app");

  private final int port;
  private final int life;
  private final Map<String, String> tokens;
  private final String password;
  private final AnsweredWrites ledger;
  private final BlockingQueue<String[]> runs = new LinkedBlockingQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger unanswered = new AtomicInteger();
  private final AtomicLong latencyNanos = new AtomicLong();
  private volatile boolean stopping;

  /** {@code tokens}: user → API token for op1, op2, ap1, ap2 and viewer. */
  ApiWriters(int port, int life, Map<String, String> tokens, String password, AnsweredWrites ledger) {
    this.port = port;
    this.life = life;
    this.tokens = tokens;
    this.password = password;
    this.ledger = ledger;
  }

  void start() {
    for (int i = 1; i <= OPERATORS; i++) {
      String user = i % 2 == 1 ? "op1" : "op2";
      String name = user + "-" + i;
      writer(name, () -> new Operator(name, ApiClient.bearer(port, tokens.get(user))));
    }
    for (int i = 1; i <= APPROVERS; i++) {
      String user = i % 2 == 1 ? "ap1" : "ap2";
      writer(user + "-" + i, () -> new Approver(ApiClient.bearer(port, tokens.get(user))));
    }
    writer("viewer-tokens", () -> new TokenMaker(ApiClient.basic(port, "viewer", password)));
    thread("viewer-audit", this::readAudit);
  }

  /** Stops the stream (after the kill: the requests under way have failed by then). */
  void stop() throws InterruptedException {
    stopping = true;
    for (Thread t : threads) {
      t.join(30_000);
    }
  }

  int answered() {
    return answered.get();
  }

  int refused() {
    return refused.get();
  }

  /** Requests that got no answer: under way when the console died, or sent after. */
  int unanswered() {
    return unanswered.get();
  }

  /** Writers that broke down (an answer the test could not read): a test failure of its own. */
  List<String> failures() {
    return List.copyOf(failures);
  }

  long meanLatencyMillis() {
    return answered.get() == 0 ? 0 : latencyNanos.get() / answered.get() / 1_000_000;
  }

  /** One person's next write; false when they have nothing to write now. */
  private interface Writer {
    boolean writeOne();
  }

  private interface Factory {
    Writer create();
  }

  /** Plans, edits, requests a run, pauses and resumes it, one write at a time. */
  private final class Operator implements Writer {
    private final String name;
    private final ApiClient api;
    private int plans;
    private JsonNode plan;
    private int editsLeft;
    private String runId;
    private int step;

    Operator(String name, ApiClient api) {
      this.name = name;
      this.api = api;
    }

    @Override
    public boolean writeOne() {
      if (plan == null) {
        String title = "life " + life + " " + name + " plan " + ++plans;
        plan = write(() -> api.post("/api/plans", "{\"procedure\":\"demo-node-check\",\"title\":\"" + title + "\"}"),
            this::saved);
        editsLeft = ThreadLocalRandom.current().nextInt(3);
        step = 0;
      } else if (editsLeft > 0) {
        editsLeft--;
        String id = plan.get("id").asText();
        int version = plan.get("version").asInt();
        String title = plan.get("title").asText() + " edit " + version;
        plan = write(() -> api.put("/api/plans/" + id, "{\"version\":" + version + ",\"title\":\"" + title + "\"}"),
            this::saved);
      } else if (runId == null) {
        String planId = plan.get("id").asText();
        JsonNode details = write(() -> api.post("/api/runs", "{\"planId\":\"" + planId + "\"}"),
            (answer, body) -> new RunRequested(body.get("run").get("id").asText(), planId, answer.at(), life));
        if (details == null) {
          plan = null;
        } else {
          runId = details.get("run").get("id").asText();
        }
      } else if (step == 0) {
        step++;
        String id = runId;
        write(() -> api.post("/api/runs/" + id + "/pause", "{}"), (answer, body) -> new RunPaused(id, answer.at(), life));
      } else {
        String id = runId;
        write(() -> api.post("/api/runs/" + id + "/resume", "{}"), (answer, body) -> new RunResumed(id, answer.at(), life));
        runs.add(new String[] {id, plan.get("hash").asText()});
        plan = null;
        runId = null;
      }
      return true;
    }

    private AnsweredWrites.Write saved(ApiClient.Answer answer, JsonNode body) {
      return new PlanSaved(body.get("id").asText(), body.get("version").asInt(), body.get("hash").asText(),
          body.get("title").asText(), answer.at(), life);
    }
  }

  /** Approves one phase of a run handed on, for the plan version its operator saw. */
  private final class Approver implements Writer {
    private final ApiClient api;

    Approver(ApiClient api) {
      this.api = api;
    }

    @Override
    public boolean writeOne() {
      String[] run;
      try {
        run = runs.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (run == null) {
        return false;
      }
      String phase = ThreadLocalRandom.current().nextInt(10) == 0 ? "check-nodes"
          : AHEAD.get(ThreadLocalRandom.current().nextInt(AHEAD.size()));
      write(() -> api.post("/api/runs/" + run[0] + "/phases/" + phase + "/approve",
          "{\"comment\":\"checked\",\"planHash\":\"" + run[1] + "\"}"),
          (answer, body) -> new PhaseApproved(run[0], phase, body.get("actor").asText(), body.get("planHash").asText(),
              answer.at(), life));
      return true;
    }
  }

  /** Makes API tokens. */
  private final class TokenMaker implements Writer {
    private final ApiClient api;
    private int made;

    TokenMaker(ApiClient api) {
      this.api = api;
    }

    @Override
    public boolean writeOne() {
      String label = "life " + life + " token " + ++made;
      write(() -> api.post("/api/tokens", "{\"label\":\"" + label + "\"}"),
          (answer, body) -> new TokenCreated("viewer", body.get("id").asLong(), body.get("label").asText(), answer.at(),
              life));
      return true;
    }
  }

  private void readAudit() {
    ApiClient viewer = ApiClient.bearer(port, tokens.get("viewer"));
    while (!stopping) {
      try {
        ApiClient.Answer page = viewer.get("/api/audit?order=newest&size=50");
        if (page.ok()) {
          page.body().get("entries").forEach(entry -> ledger.seen(entry, life));
        }
      } catch (UncheckedIOException e) {
        // the console is gone; the test stops this reader
      }
      sleep(150);
    }
  }

  private interface Call {
    ApiClient.Answer send();
  }

  private interface Record {
    AnsweredWrites.Write of(ApiClient.Answer answer, JsonNode body);
  }

  /** Sends one write; records it when answered with 2xx; its body, or null when refused or unanswered. */
  private JsonNode write(Call call, Record record) {
    long sent = System.nanoTime();
    try {
      ApiClient.Answer answer = call.send();
      if (!answer.ok()) {
        refused.incrementAndGet();
        return null;
      }
      ledger.add(record.of(answer, answer.body()));
      answered.incrementAndGet();
      latencyNanos.addAndGet(answer.at() - sent);
      return answer.body();
    } catch (UncheckedIOException e) {
      unanswered.incrementAndGet();
      sleep(20);
      return null;
    }
  }

  /** A thread that writes until the stream stops. */
  private void writer(String name, Factory factory) {
    thread(name, () -> {
      Writer writer;
      try {
        writer = factory.create();
      } catch (UncheckedIOException e) {
        unanswered.incrementAndGet();
        return;
      }
      while (!stopping) {
        writer.writeOne();
      }
    });
  }

  private void thread(String name, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (RuntimeException | AssertionError e) {
        failures.add(name + ": " + e);
      }
    }, "life-" + life + "-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
