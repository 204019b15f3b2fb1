package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.ApiClient;
import io.lockstep.testing.ConsoleProcess;
import io.lockstep.testing.CrashPointConsole;
import io.lockstep.testing.MigrationPlans;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 14 meets the crash rules: P1's optional {@code prewarm} phase, switched off by the plan
 * (prewarm=false, its default), with the console killed (SIGKILL, a JVM of its own, {@link
 * ConsoleProcess}) and started again on the same database and lab, the way a maintenance night
 * loses it:
 *
 * <ol>
 *   <li>right after the run was requested (prewarm SKIPPED from the request on), in the phase
 *       before the skipped one (after {@code prepare.rsync-reaches} ran, before its end was
 *       stored) and in the phase after it (after {@code export-secrets.backup} ran): the phase
 *       stays SKIPPED, never starts, is never approvable, is audited once, "phase n of N" counts as
 *       before, the interrupted (repeatable) step runs again and the run goes on;</li>
 *   <li>right after the HTTP answer of a plan edit switching it on, and of the edit switching it
 *       off again: the phase's state is the one the stored plan version says (on: PENDING and
 *       approvable; off: SKIPPED, refused), each switch audited once; switched on, the run then
 *       enters it, and a kill while its manual step waits leaves it waiting;</li>
 *   <li>during the switch-off edit itself, the request in flight, while the run waits at the
 *       approval of the phase before it, and right after the switch-off edit while the run waits
 *       at the approval of the phase itself (the edit moves the run on to the next phase);</li>
 *   <li>a run of {@code skipped-phase-kill} (in {@code src/test/resources/process-procedures}):
 *       killed after its step that is not repeatable ran, then right after an edit switching the
 *       phase after it on, and again after the edit switching it off: the run waits for the
 *       decision throughout, the step never runs again, the phase follows the plan, and after the
 *       decision the run passes it;</li>
 *   <li>between the commit of the edits switching that phase on and off and their answers
 *       ({@link CrashPointConsole#holdAfterCommit}): the caller heard nothing, yet the edit is
 *       there whole: the plan version, the phase's state, its audit row.</li>
 * </ol>
 *
 * After every restart the audit chain verifies, every audit row and undo record read before the
 * kill is kept, and no step that is not repeatable started twice without a decision ({@link
 * ApiRun#assertKeptAfterRestart}). One console for the class; each test plans and runs a plan of
 * its own up to the pre-copy (which would change the lab for the next planner) and aborts it.
 */
class SkippedPhaseCrashIT {

  static final Duration WAIT = Duration.ofMinutes(4);
  static final String PREWARM = "prewarm";
  /** The step of skipped-phase-kill that is not repeatable: every life holds after it. */
  static final String MARK = "first.mark";
  static final Pattern HEADER = Pattern.compile("Phase (\\d+) of (\\d+)");

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;
  static ConsoleProcess console;

  @BeforeAll
  static void console() {
    console = ConsoleProcess.builder(dir).name("skipped-phase-crash").main(CrashPointConsole.class)
        .property("lockstep.procedure.user-dir", Path.of("src/test/resources/process-procedures").toAbsolutePath()
            .toString())
        .property(CrashPointConsole.HOLD_AFTER, MARK)
        .start();
  }

  @AfterAll
  static void closeConsole() {
    if (console != null) {
      console.close();
    }
  }

  // ---- 1. killed before and after the skipped phase

  @Test
  void killedBeforeAndAfterThePhaseTheP1PlanSkipsTheRunPassesItOnce() {
    String planId = MigrationPlans.retireOldMasters(console.client(), "P1 without prewarm, killed around it");
    ApiRun run = ApiRun.request(console, planId);
    try {
      int all = run.details().get("phases").size();
      int counted = all - 1;

      // killed right after the request's answer: the phase was switched off in the same transaction
      ApiRun.Snapshot requested = run.snapshot("right after the request");
      assertThat(phaseState(requested.details(), PREWARM)).isEqualTo("SKIPPED");
      console.kill();
      console.restart(holdAfter("prepare.rsync-reaches"));
      run.reconnect();
      run.assertKeptAfterRestart(requested);
      run.until(WAIT, "the run waiting at prepare", () -> waitsAt(run.details(), "prepare"));
      assertSkippedOnce(run, "after the kill right after the request");
      assertHeader(run, 1, counted);

      // killed in the phase before: after prepare.rsync-reaches ran, before its end was stored
      run.approveUpTo("prepare");
      console.awaitMarker(CrashPointConsole.marker("prepare.rsync-reaches", "after"), WAIT);
      ApiRun.Snapshot inPrepare = run.snapshot("in prepare, after rsync-reaches ran");
      assertThat(ApiRun.step(inPrepare.details(), "prepare.rsync-reaches").get("state").asText()).isEqualTo("RUNNING");
      console.kill();
      console.restart(holdAfter("export-secrets.backup"));
      run.reconnect();
      run.assertKeptAfterRestart(inPrepare);
      run.until(WAIT, "the run waiting at the phase after prewarm", () -> waitsAt(run.details(), "export-secrets"));
      JsonNode atExport = run.details();
      assertThat(phaseState(atExport, "prepare")).isEqualTo("SUCCEEDED");
      assertThat(ApiRun.step(atExport, "prepare.rsync-reaches").get("attempts").asInt())
          .as("repeatable: it ran again after the restart").isEqualTo(2);
      assertSkippedOnce(run, "after the kill in prepare");
      assertHeader(run, 2, counted);

      // killed in the phase after: after export-secrets.backup ran, before its end was stored
      run.approveUpTo("export-secrets");
      console.awaitMarker(CrashPointConsole.marker("export-secrets.backup", "after"), WAIT);
      ApiRun.Snapshot inExport = run.snapshot("in export-secrets, after the backup ran");
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(inExport);
      run.until(WAIT, "the run waiting at the plan phase", () -> waitsAt(run.details(), "plan"));
      JsonNode atPlan = run.details();
      assertThat(ApiRun.step(atPlan, "export-secrets.backup").get("attempts").asInt())
          .as("repeatable: it ran again after the restart").isEqualTo(2);
      assertSkippedOnce(run, "after the kill in export-secrets");
      assertHeader(run, 3, counted);

      // the run goes on, past the phases it ran, to the pre-copy's approval
      run.approveUpTo("plan");
      run.until(WAIT, "the run waiting at pre-copy", () -> waitsAt(run.details(), "pre-copy"));
      assertSkippedOnce(run, "at the end");
      assertHeader(run, 4, counted);
      Map<Long, JsonNode> trail = run.auditTrail();
      for (String step : List.of("prepare.control-tools", "prepare.new-node-tools", "prepare.old-node-tools",
          "prepare.new-nodes-ready", "prepare.conf-add-nodes", "prepare.conf-move", "prepare.secrets-rewritable",
          "prepare.helm-releases", "plan.measure")) {
        assertThat(ApiRun.events(trail, run.runId, "STEP_STARTED", step)).as(step + ": done before the kills, not again")
            .isEqualTo(1);
      }
      assertThat(phaseStarts(trail, run.runId)).as("PHASE_STARTED, once per phase run, none for prewarm")
          .containsExactly("prepare", "export-secrets", "plan");
      run.assertNoStepRepeatedWithoutADecision(trail, " at the end");
    } finally {
      abort(run);
    }
  }

  // ---- 2. a plan edit switching the phase on (and off), the kill right after its answer

  @Test
  void aKillRightAfterAnEditLeavesThePhaseAsTheStoredPlanSays() {
    String planId = MigrationPlans.retireOldMasters(console.client(), "P1 prewarm switched on, killed");
    ApiRun run = ApiRun.request(console, planId);
    try {
      run.until(WAIT, "the run waiting at prepare", () -> waitsAt(run.details(), "prepare"));
      int all = run.details().get("phases").size();

      // switched on; killed as soon as the edit answered
      ApiRun.Snapshot before = run.snapshot("before the switch-on edit");
      ApiClient.Answer on = edit(run, planId, true);
      assertThat(on.status()).as(on.toString()).isEqualTo(200);
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(before);
      assertPhaseAsThePlanSays(run, planId, 2, 1);
      assertThat(phaseState(run.details(), PREWARM)).isEqualTo("PENDING");
      assertHeader(run, 1, all);
      String onHash = run.details().get("plan").get("hash").asText();
      ApiClient.Answer approved = approve(run, PREWARM, onHash);
      assertThat(approved.status()).as("switched on, prewarm is approvable: " + approved).isEqualTo(200);
      assertThat(phase(run.details(), PREWARM).get("approvedForCurrentPlan").asBoolean()).isTrue();

      // switched off again; killed as soon as the edit answered
      ApiRun.Snapshot onApproved = run.snapshot("after prewarm was approved");
      ApiClient.Answer off = edit(run, planId, false);
      assertThat(off.status()).as(off.toString()).isEqualTo(200);
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(onApproved);
      assertPhaseAsThePlanSays(run, planId, 3, 1);
      JsonNode offAgain = run.details();
      assertThat(phaseState(offAgain, PREWARM)).isEqualTo("SKIPPED");
      assertThat(phase(offAgain, PREWARM).get("approvedForCurrentPlan").asBoolean()).isFalse();
      assertHeader(run, 1, all - 1);
      ApiClient.Answer refused = approve(run, PREWARM, offAgain.get("plan").get("hash").asText());
      assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
      assertThat(refused.text()).contains("skipped by the plan");
      assertThat(approve(run, PREWARM, onHash).status()).as("nor for the version that had it on").isEqualTo(409);

      // on again (no kill): the run enters prewarm; killed while its manual step waits, it waits again
      assertThat(edit(run, planId, true).status()).isEqualTo(200);
      assertPhaseAsThePlanSays(run, planId, 4, 1);
      run.approveUpTo(PREWARM);
      run.untilWaitingAt(WAIT, "prewarm.pull-images");
      assertHeader(run, 2, all);
      ApiRun.Snapshot pulling = run.snapshot("while prewarm.pull-images waited");
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(pulling);
      run.until(WAIT, "prewarm.pull-images waiting again",
          () -> run.stepState("prewarm.pull-images").equals("WAITING"), "prewarm.pull-images");
      assertThat(run.state()).isEqualTo("RUNNING");
      assertHeader(run, 2, all);
      run.confirm("prewarm.pull-images");
      run.until(WAIT, "the run waiting at export-secrets", () -> waitsAt(run.details(), "export-secrets"));
      JsonNode passed = run.details();
      assertThat(phaseState(passed, PREWARM)).isEqualTo("SUCCEEDED");
      assertThat(ApiRun.step(passed, "prewarm.pull-images").get("state").asText()).isEqualTo("SUCCEEDED");
      assertHeader(run, 3, all);
      Map<Long, JsonNode> trail = run.auditTrail();
      assertThat(ApiRun.events(trail, run.runId, "STEP_CONFIRMED", "prewarm.pull-images")).as("confirmed once")
          .isEqualTo(1);
      assertThat(phaseStarts(trail, run.runId)).containsExactly("prepare", PREWARM);
    } finally {
      abort(run);
    }
  }

  // ---- 3. killed during the switch-off edit; and right after it moved the run on

  @Test
  void killedDuringTheSwitchOffEditThePhaseIsEitherSideButNeverBetween() {
    String planId = MigrationPlans.retireOldMasters(console.client(), "P1 with prewarm, killed in its edits",
        Map.of("prewarm", "true"));
    ApiRun run = ApiRun.request(console, planId);
    try {
      run.until(WAIT, "the run waiting at prepare", () -> waitsAt(run.details(), "prepare"));
      assertPhaseAsThePlanSays(run, planId, 1, 0);
      assertThat(phaseState(run.details(), PREWARM)).isEqualTo("PENDING");

      // how long the edit takes here, sent as below (switched off and on again, not killed)
      long took = 0;
      for (boolean on : List.of(false, true)) {
        long sent = System.nanoTime();
        ApiClient.Answer timed = editInFlight(run, planId, on).join();
        took = Math.max(took, Duration.ofNanos(System.nanoTime() - sent).toMillis());
        assertThat(timed).isNotNull();
        assertThat(timed.status()).as(timed.toString()).isEqualTo(200);
      }
      assertPhaseAsThePlanSays(run, planId, 3, 0);

      // the kill falls into the edit in flight, bisecting for its commit: a kill that left the edit
      // unstored moves the next one later, one that found it stored earlier. Whichever side it fell
      // on, the phase is as the plan version stored says, and an edit answered is kept
      List<String> landed = new ArrayList<>();
      boolean prewarm = true;
      long early = 0;
      long late = 2 * took + 200;
      for (int kill = 0; kill < 5; kill++) {
        long delayMillis = kill == 0 ? 0 : (early + late) / 2;
        ApiRun.Snapshot before = run.snapshot("during the edit, " + delayMillis + " ms after it was sent");
        int version = before.details().get("plan").get("version").asInt();
        boolean wanted = !prewarm;
        CompletableFuture<ApiClient.Answer> answer = editInFlight(run, planId, wanted);
        sleep(delayMillis);
        console.kill();
        ApiClient.Answer answered = answer.join();
        console.restart();
        run.reconnect();
        run.assertKeptAfterRestart(before);
        int now = run.details().get("plan").get("version").asInt();
        if (answered != null && answered.ok()) {
          assertThat(now).as("the edit answered before the kill is kept").isEqualTo(version + 1);
        }
        assertThat(now).as("the plan version after the kill during an edit").isBetween(version, version + 1);
        prewarm = now == version ? prewarm : wanted;
        if (now == version) {
          early = delayMillis;
        } else {
          late = delayMillis;
        }
        landed.add(delayMillis + " ms: " + (answered == null ? "no answer" : answered.status()) + ", "
            + (now == version ? "not stored" : "stored"));
        assertPhaseAsThePlanSays(run, planId, now, 0);
        assertThat(phaseState(run.details(), PREWARM)).as(landed.toString()).isEqualTo(prewarm ? "PENDING" : "SKIPPED");
        assertThat(waitsAt(run.details(), "prepare")).as("the run still waits at prepare: " + landed).isTrue();
      }

      System.out.println("an edit took " + took + " ms; kills during the switch edits: " + landed);

      // the run waits at prewarm's own approval; the switch-off edit moves it on to export-secrets
      if (!prewarm) {
        assertThat(edit(run, planId, true).status()).isEqualTo(200);
      }
      run.approveUpTo("prepare");
      run.until(WAIT, "the run waiting at prewarm", () -> waitsAt(run.details(), PREWARM));
      int version = run.details().get("plan").get("version").asInt();
      ApiRun.Snapshot atPrewarm = run.snapshot("right after the switch-off edit at prewarm's approval");
      ApiClient.Answer off = edit(run, planId, false);
      assertThat(off.status()).as(off.toString()).isEqualTo(200);
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(atPrewarm);
      assertPhaseAsThePlanSays(run, planId, version + 1, 0);
      JsonNode movedOn = run.details();
      assertThat(phaseState(movedOn, PREWARM)).isEqualTo("SKIPPED");
      assertThat(waitsAt(movedOn, "export-secrets")).as(movedOn.get("run").toString()).isTrue();
      assertThat(ApiRun.step(movedOn, "prewarm.pull-images").get("attempts").asInt()).isZero();
      assertHeader(run, 2, movedOn.get("phases").size() - 1);
      run.approveUpTo("export-secrets");
      run.until(WAIT, "the run waiting at the plan phase", () -> waitsAt(run.details(), "plan"));
      assertThat(phaseStarts(run.auditTrail(), run.runId)).as(landed.toString())
          .containsExactly("prepare", "export-secrets");
    } finally {
      abort(run);
    }
  }

  /** A plan of the small test procedure whose first phase makes {@code mark} once (not repeatable). */
  private String killPlan(String title, String mark) {
    ApiClient.Answer created = ApiClient.basic(console.port(), "op1", ConsoleProcess.DEMO_PASSWORD).post("/api/plans",
        "{\"procedure\":\"skipped-phase-kill\",\"title\":\"" + title + "\",\"values\":{\"mark\":\"" + mark + "\"}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.body().get("id").asText();
  }

  // ---- 4. a decision pending across plan edits and kills

  @Test
  void aDecisionPendingAcrossSwitchEditsAndKillsRunsNothingTwice() {
    String mark = "/tmp/once-" + System.nanoTime();
    String planId = killPlan("killed with a decision pending", mark);
    ApiRun run = ApiRun.request(console, planId);
    try {
      run.until(WAIT, "the run waiting at first", () -> waitsAt(run.details(), "first"));
      assertThat(phaseState(run.details(), "extra")).isEqualTo("SKIPPED");
      assertHeader(run, 1, 2);

      // killed right after the mark was made, before its end was stored: not repeatable, a decision
      run.approveUpTo("first");
      console.awaitMarker(CrashPointConsole.marker(MARK, "after"), WAIT);
      ApiRun.Snapshot marked = run.snapshot("after the mark was made");
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(marked);
      assertWaitsForTheDecision(run);

      // the plan switches extra on, killed right after the answer: still the decision, extra PENDING
      ApiRun.Snapshot deciding = run.snapshot("right after the switch-on edit, a decision pending");
      ApiClient.Answer on = run.as("op1").put("/api/plans/" + planId, markEdit(mark, true, 1));
      assertThat(on.status()).as(on.toString()).isEqualTo(200);
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(deciding);
      assertWaitsForTheDecision(run);
      assertSwitches(run, planId, 2, List.of("PHASE_SKIPPED_BY_PLAN", "PHASE_SWITCHED_ON"), "PENDING");
      assertHeader(run, 1, 3);

      // and off again, killed right after the answer: still the decision, extra SKIPPED
      ApiRun.Snapshot switchedOn = run.snapshot("right after the switch-off edit, a decision pending");
      ApiClient.Answer off = run.as("op1").put("/api/plans/" + planId, markEdit(mark, false, 2));
      assertThat(off.status()).as(off.toString()).isEqualTo(200);
      console.kill();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(switchedOn);
      assertWaitsForTheDecision(run);
      assertSwitches(run, planId, 3,
          List.of("PHASE_SKIPPED_BY_PLAN", "PHASE_SWITCHED_ON", "PHASE_SKIPPED_BY_PLAN"), "SKIPPED");
      assertHeader(run, 1, 2);

      // the decision: the mark was made. Version 3 has version 1's values again, so its hash: the
      // rest of first goes on with the version it was approved and started with, and the run on to last
      String hash = run.details().get("plan").get("hash").asText();
      assertThat(hash).as("version 3 is version 1 again").isEqualTo(marked.details().get("plan").get("hash").asText());
      run.skip(MARK, "mkdir had made the mark before the console died");
      run.until(WAIT, "the run waiting at last", () -> waitsAt(run.details(), "last"));
      assertHeader(run, 2, 2);
      assertThat(approve(run, "extra", hash).status()).as("extra, switched off, is not approvable").isEqualTo(409);
      run.approveUpTo("last");
      assertThat(run.untilStopped(WAIT)).as(run.message()).isEqualTo("SUCCEEDED");

      JsonNode done = run.details();
      assertThat(phaseState(done, "extra")).isEqualTo("SKIPPED");
      assertThat(ApiRun.step(done, "extra.echo").get("attempts").asInt()).isZero();
      assertThat(ApiRun.step(done, MARK).get("state").asText()).isEqualTo("SKIPPED");
      Map<Long, JsonNode> trail = run.auditTrail();
      assertThat(ApiRun.events(trail, run.runId, "STEP_STARTED", MARK)).as("the mark made once").isEqualTo(1);
      assertThat(ApiRun.events(trail, run.runId, "STEP_STARTED", "last.echo")).isEqualTo(1);
      assertThat(ApiRun.events(trail, run.runId, "STEP_STARTED", "extra.echo")).isZero();
      assertThat(phaseStarts(trail, run.runId)).containsExactly("first", "last");
      run.assertNoStepRepeatedWithoutADecision(trail, " at the end");
      assertThat(console.labDir().resolve("nodes/node-1/root" + mark)).isDirectory();
    } finally {
      abort(run);
    }
  }

  // ---- 5. killed after the switch edit committed, before it answered

  @Test
  void killedBetweenTheSwitchEditsCommitAndItsAnswerTheEditIsWhole() {
    String mark = "/tmp/never-" + System.nanoTime();
    String planId = killPlan("killed between commit and answer", mark);
    ApiRun run = ApiRun.request(console, planId);
    try {
      run.until(WAIT, "the run waiting at first", () -> waitsAt(run.details(), "first"));
      ApiRun.Snapshot requested = run.snapshot("before the switch-on edit");
      console.kill();
      console.restart(CrashPointConsole.holdAfterCommit("PHASE_SWITCHED_ON"));
      run.reconnect();
      run.assertKeptAfterRestart(requested);

      // switched on: the edit commits, the console holds before answering and is killed there
      CompletableFuture<ApiClient.Answer> on = editInFlight(planId, markEdit(mark, true, 1));
      console.awaitMarker(CrashPointConsole.marker("PHASE_SWITCHED_ON", "committed"), WAIT);
      ApiRun.Snapshot committedOn = run.snapshot("after the switch-on edit committed, before its answer");
      console.kill();
      assertThat(on.join()).as("the caller never heard of the edit").isNull();
      console.restart(CrashPointConsole.holdAfterCommit("PHASE_SKIPPED_BY_PLAN"));
      run.reconnect();
      run.assertKeptAfterRestart(committedOn);
      assertSwitches(run, planId, 2, List.of("PHASE_SKIPPED_BY_PLAN", "PHASE_SWITCHED_ON"), "PENDING");
      assertThat(waitsAt(run.details(), "first")).isTrue();
      assertHeader(run, 1, 3);
      String onHash = run.details().get("plan").get("hash").asText();
      assertThat(approve(run, "extra", onHash).status()).as("extra, switched on, is approvable").isEqualTo(200);

      // and off again, killed the same way
      CompletableFuture<ApiClient.Answer> off = editInFlight(planId, markEdit(mark, false, 2));
      console.awaitMarker(CrashPointConsole.marker("PHASE_SKIPPED_BY_PLAN", "committed"), WAIT);
      ApiRun.Snapshot committedOff = run.snapshot("after the switch-off edit committed, before its answer");
      console.kill();
      assertThat(off.join()).as("the caller never heard of the edit").isNull();
      console.restart();
      run.reconnect();
      run.assertKeptAfterRestart(committedOff);
      assertSwitches(run, planId, 3,
          List.of("PHASE_SKIPPED_BY_PLAN", "PHASE_SWITCHED_ON", "PHASE_SKIPPED_BY_PLAN"), "SKIPPED");
      JsonNode d = run.details();
      assertThat(waitsAt(d, "first")).isTrue();
      assertThat(phase(d, "extra").get("approvedForCurrentPlan").asBoolean()).isFalse();
      assertThat(phase(d, "extra").get("approvals")).as("the approval for the version that had extra on, voided by"
          + " the edit that switched it off").singleElement().satisfies(a -> assertThat(a.path("voidedAt").isNull()
              || a.path("voidedAt").isMissingNode()).as(a.toString()).isFalse());
      assertThat(run.auditTrail().values()).as("APPROVAL_VOIDED of extra").filteredOn(e -> run.runId.equals(
          e.path("runId").asText()) && e.get("type").asText().equals("APPROVAL_VOIDED")
          && "extra".equals(e.path("details").path("phase").asText())).hasSize(1);
      assertThat(approve(run, "extra", d.get("plan").get("hash").asText()).status()).isEqualTo(409);
      assertHeader(run, 1, 2);

      // switched on again with the values extra was approved for: that approval does not stand again
      assertThat(run.as("op1").put("/api/plans/" + planId, markEdit(mark, true, 3)).status()).isEqualTo(200);
      JsonNode back = run.details();
      assertThat(back.get("plan").get("hash").asText()).as("version 4 is version 2 again").isEqualTo(onHash);
      assertThat(phaseState(back, "extra")).isEqualTo("PENDING");
      assertThat(phase(back, "extra").get("approvedForCurrentPlan").asBoolean())
          .as("the approval voided at the switch-off edit stands no more").isFalse();
    } finally {
      abort(run);
    }
  }

  /** The run waits for the decision on the mark, which ran once and is INTERRUPTED; nothing moved. */
  private static void assertWaitsForTheDecision(ApiRun run) {
    JsonNode d = run.details();
    assertThat(d.get("run").get("state").asText()).as(d.get("run").toString()).isEqualTo("NEEDS_DECISION");
    assertThat(d.get("run").get("phaseId").asText()).isEqualTo("first");
    assertThat(ApiRun.step(d, MARK).get("state").asText()).isEqualTo("INTERRUPTED");
    assertThat(ApiRun.step(d, MARK).get("attempts").asInt()).isEqualTo(1);
    assertThat(run.message()).contains(MARK).contains("not repeatable");
    assertThat(phaseState(d, "last")).isEqualTo("PENDING");
    assertThat(ApiRun.step(d, "extra.echo").get("attempts").asInt()).isZero();
  }

  /** The plan at {@code version}, the chain verifies, extra switched exactly as {@code switches} and now {@code state}. */
  private static void assertSwitches(ApiRun run, String planId, int version, List<String> switches, String state) {
    JsonNode d = run.details();
    assertThat(d.get("plan").get("version").asInt()).isEqualTo(version);
    assertThat(phaseState(d, "extra")).isEqualTo(state);
    JsonNode verify = run.as("op1").get("/api/audit/verify").body();
    assertThat(verify.get("ok").asBoolean()).as("the audit chain verifies: " + verify).isTrue();
    List<String> audited = run.auditTrail().values().stream()
        .filter(e -> run.runId.equals(e.path("runId").asText()) && "extra".equals(e.path("details").path("phase").asText()))
        .map(e -> e.get("type").asText())
        .filter(type -> type.equals("PHASE_SKIPPED_BY_PLAN") || type.equals("PHASE_SWITCHED_ON")).toList();
    assertThat(audited).as("the switches of extra audited").isEqualTo(switches);
  }

  private static String markEdit(String mark, boolean extra, int version) {
    return "{\"version\":" + version + ",\"values\":{\"mark\":\"" + mark + "\",\"extra\":" + extra + "}}";
  }

  // ---- checks

  /**
   * prewarm is SKIPPED and was audited PHASE_SKIPPED_BY_PLAN exactly once, never switched on; it
   * never started (no event of this run names it or its step but that one); ap1 may not approve it.
   */
  private static void assertSkippedOnce(ApiRun run, String when) {
    JsonNode d = run.details();
    assertThat(phaseState(d, PREWARM)).as("prewarm " + when).isEqualTo("SKIPPED");
    JsonNode step = ApiRun.step(d, "prewarm.pull-images");
    assertThat(step.get("state").asText()).as("prewarm.pull-images " + when).isEqualTo("PENDING");
    assertThat(step.get("attempts").asInt()).as("prewarm.pull-images attempts " + when).isZero();
    List<String> aboutPrewarm = new ArrayList<>();
    for (JsonNode e : run.auditTrail().values()) {
      if (run.runId.equals(e.path("runId").asText()) && (PREWARM.equals(e.path("details").path("phase").asText())
          || e.path("details").path("step").asText().startsWith(PREWARM + "."))) {
        aboutPrewarm.add(e.get("type").asText());
      }
    }
    assertThat(aboutPrewarm).as("audit events of this run about prewarm " + when)
        .containsExactly("PHASE_SKIPPED_BY_PLAN");
    ApiClient.Answer refused = approve(run, PREWARM, d.get("plan").get("hash").asText());
    assertThat(refused.status()).as("approving the skipped prewarm " + when + ": " + refused).isEqualTo(409);
    assertThat(refused.text()).contains("skipped by the plan");
  }

  /**
   * The plan is at {@code version}; prewarm's state is what that version's value says (on:
   * anything but SKIPPED; off: SKIPPED), and the last switch audited for it says the same; one
   * switch event per edit of the plan, plus {@code offAtRequest} for the request.
   */
  private static void assertPhaseAsThePlanSays(ApiRun run, String planId, int version, int offAtRequest) {
    JsonNode plan = run.as("op1").get("/api/plans/" + planId).body();
    assertThat(plan.get("version").asInt()).as("the plan version stored").isEqualTo(version);
    boolean on = plan.get("values").path(PREWARM).asText().equals("true");
    JsonNode d = run.details();
    assertThat(d.get("plan").get("version").asInt()).isEqualTo(version);
    String state = phaseState(d, PREWARM);
    if (on) {
      assertThat(state).as("plan version " + version + " has prewarm on").isNotEqualTo("SKIPPED");
    } else {
      assertThat(state).as("plan version " + version + " has prewarm off").isEqualTo("SKIPPED");
    }
    JsonNode verify = run.as("op1").get("/api/audit/verify").body();
    assertThat(verify.get("ok").asBoolean()).as("the audit chain verifies: " + verify).isTrue();
    Map<Long, JsonNode> trail = run.auditTrail();
    List<String> switches = new ArrayList<>();
    long edits = 0;
    for (JsonNode e : trail.values()) {
      String type = e.get("type").asText();
      if (type.equals("PLAN_EDITED") && planId.equals(e.path("details").path("plan").asText())) {
        edits++;
      }
      if (run.runId.equals(e.path("runId").asText()) && PREWARM.equals(e.path("details").path("phase").asText())
          && (type.equals("PHASE_SKIPPED_BY_PLAN") || type.equals("PHASE_SWITCHED_ON"))) {
        switches.add(type);
      }
    }
    assertThat(edits).as("PLAN_EDITED of the plan, one per version after the first").isEqualTo(version - 1);
    assertThat(switches).as("every edit switched prewarm, each audited once; " + switches)
        .hasSize((int) edits + offAtRequest);
    if (!switches.isEmpty()) {
      assertThat(switches.get(switches.size() - 1)).as("the last switch audited")
          .isEqualTo(on ? "PHASE_SWITCHED_ON" : "PHASE_SKIPPED_BY_PLAN");
    }
  }

  /** The run page's header: "Phase n of N", N without the phases the plan switched off. */
  private static void assertHeader(ApiRun run, int n, int of) {
    HttpResponse<String> page = console.client().getAs("op1", ConsoleProcess.DEMO_PASSWORD, "/runs/" + run.runId);
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher header = HEADER.matcher(page.body());
    assertThat(header.find()).as("phase n of N in the header").isTrue();
    assertThat(header.group(1) + " of " + header.group(2)).as("the header").isEqualTo(n + " of " + of);
  }

  // ---- helpers

  /** A crash point after {@code step} for the next life, besides the one after the mark every life has. */
  private static Map<String, String> holdAfter(String step) {
    return CrashPointConsole.holdAfter(MARK + "," + step);
  }

  /** op1 edits the plan: the values it has, prewarm set to {@code on}; the answer, whatever it is. */
  private static ApiClient.Answer edit(ApiRun run, String planId, boolean on) {
    return run.as("op1").put("/api/plans/" + planId, editBody(run, planId, on));
  }

  /**
   * The same edit sent on a thread of its own, by a client of its own (HTTP Basic: one bcrypt
   * check more, which only moves the moment the kill falls into); its answer, or null when the
   * kill cut it off.
   */
  private static CompletableFuture<ApiClient.Answer> editInFlight(ApiRun run, String planId, boolean on) {
    return editInFlight(planId, editBody(run, planId, on));
  }

  private static CompletableFuture<ApiClient.Answer> editInFlight(String planId, String body) {
    ApiClient op1 = ApiClient.basic(console.port(), "op1", ConsoleProcess.DEMO_PASSWORD);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return op1.put("/api/plans/" + planId, body);
      } catch (UncheckedIOException e) {
        return null;
      }
    });
  }

  /** The values the plan has, prewarm set to {@code on}, for the version read now. */
  private static String editBody(ApiRun run, String planId, boolean on) {
    JsonNode plan = run.as("op1").get("/api/plans/" + planId).body();
    Map<String, Object> values = new LinkedHashMap<>();
    plan.get("values").properties().forEach(e -> values.put(e.getKey(), e.getValue().asText()));
    values.put(PREWARM, on);
    values.put("ssh_password", "lab-root-secret");
    ObjectNode body = ApiClient.JSON.createObjectNode();
    body.put("version", plan.get("version").asInt());
    body.set("values", ApiClient.JSON.valueToTree(values));
    return body.toString();
  }

  private static ApiClient.Answer approve(ApiRun run, String phase, String hash) {
    return run.as("ap1").post("/api/runs/" + run.runId + "/phases/" + phase + "/approve",
        "{\"comment\":\"checked\",\"planHash\":\"" + hash + "\"}");
  }

  private static boolean waitsAt(JsonNode details, String phase) {
    JsonNode run = details.get("run");
    return run.get("state").asText().equals("AWAITING_APPROVAL") && run.get("phaseId").asText().equals(phase);
  }

  private static JsonNode phase(JsonNode details, String id) {
    for (JsonNode p : details.get("phases")) {
      if (p.get("id").asText().equals(id)) {
        return p;
      }
    }
    throw new AssertionError("no phase " + id);
  }

  private static String phaseState(JsonNode details, String id) {
    return phase(details, id).get("state").asText();
  }

  /** The phases of the run audited PHASE_STARTED, in order. */
  private static List<String> phaseStarts(Map<Long, JsonNode> trail, String runId) {
    return trail.values().stream().filter(e -> runId.equals(e.path("runId").asText())
        && e.get("type").asText().equals("PHASE_STARTED")).map(e -> e.path("details").path("phase").asText()).toList();
  }

  private static void abort(ApiRun run) {
    if (console.isAlive()) {
      run.reconnect();
      run.as("op1").post("/api/runs/" + run.runId + "/abort", "{}");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
