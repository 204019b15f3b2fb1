package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.logstream.RunLog;
import io.lockstep.logstream.StoredLine;
import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Retries with waits and guards, on the whole console with the engine's test steps
 * ({@code retry-test}): a failed attempt waits in the run for its next one, the page and the API
 * say "attempt n of N, next in …", a bound that cannot be met fails the step saying why, an abort
 * ends a wait at once; a failed guard is skipped only when two approvers sign, neither requester
 * nor author, not the same person twice, and a lone skip is refused and audited.
 */
class RetryAndGuardTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor OP2 = Actor.of("op2", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Actor AP2 = Actor.of("ap2", Role.APPROVER);
  static final Actor LEAD = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Plans plans;
  private final Runs runs;
  private final RunViews views;
  private final RunLog log;
  private final AuditLog audit;
  private final ConsoleClient console;

  @Autowired
  RetryAndGuardTest(Plans plans, Runs runs, RunViews views, RunLog log, AuditLog audit,
      @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.views = views;
    this.log = log;
    this.audit = audit;
    this.console = new ConsoleClient(port);
  }

  @BeforeEach
  void freshGates() {
    TestSteps.reset();
  }

  /** A run of retry-test requested by op1 (who also wrote the plan), phase one approved by ap1. */
  private String started(String tag) {
    Plan plan = plans.create(OP1, "retry-test", "retry " + tag, Map.of("tag", tag), null);
    String id = runs.request(OP1, plan.id()).id();
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, id, "one", "go", plan.hash());
    return id;
  }

  private String gate(String step, String tag, String id) {
    return step + "-" + tag + "-" + id;
  }

  private RunStep step(String id, String key) {
    return runs.get(id).step(key).orElseThrow();
  }

  private RunDetails.StepView view(String id, String key) {
    return views.details(id, Locale.ENGLISH).phases().stream().flatMap(p -> p.steps().stream())
        .filter(s -> s.key().equals(key)).findFirst().orElseThrow();
  }

  private List<AuditEntry> audited(String id, String type) {
    List<AuditEntry> found = new ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> {
      if (e.type().equals(type)) {
        found.add(e);
      }
    });
    return found;
  }

  private String logText(String id) {
    List<String> lines = new ArrayList<>();
    for (StoredLine line : log.after(id, 0, 10_000)) {
      lines.add(line.text());
    }
    return String.join("\n", lines);
  }

  /** Passes the steps of phase one that come before {@code upTo} at their first attempt. */
  private void passBefore(String id, String tag, String upTo) {
    for (String s : List.of("flaky", "bounded", "slow")) {
      if (s.equals(upTo)) {
        return;
      }
      TestSteps.open(gate(s, tag, id));
    }
  }

  @Test
  void aFailedAttemptWaitsItsTurnAndTheNextOneSucceeds() {
    String id = started("flaky");
    String flaky = gate("flaky", "flaky", id);
    TestSteps.FAILURES.put(flaky, "not ready yet");
    TestSteps.open(flaky);
    await().atMost(WAIT).until(() -> TestSteps.starts(flaky) >= 2);
    TestSteps.FAILURES.remove(flaky);
    await().atMost(WAIT).until(() -> step(id, "one.flaky").state() == RunStep.State.SUCCEEDED);

    int tries = TestSteps.starts(flaky);
    assertThat(tries).isBetween(2, 5);
    List<AuditEntry> failed = audited(id, "STEP_ATTEMPT_FAILED");
    assertThat(failed).hasSize(tries - 1);
    List<AuditEntry> starts = audited(id, "STEP_STARTED").stream()
        .filter(e -> "one.flaky".equals(e.details().get("step"))).toList();
    assertThat(starts).hasSize(tries);
    for (int n = 0; n < failed.size(); n++) {
      Map<String, Object> details = failed.get(n).details();
      assertThat(details).containsEntry("attempt", n + 1).containsEntry("attempts", 5);
      assertThat(((Number) details.get("waitMs")).longValue()).isEqualTo(300L * (1L << n));
      Instant next = Instant.parse(String.valueOf(details.get("nextAttemptAt")));
      assertThat(starts.get(n + 1).occurredAt()).as("attempt %s starts no earlier than it was told", n + 2)
          .isAfterOrEqualTo(next);
      assertThat(starts.get(n + 1).details()).containsEntry("attempt", n + 2);
    }
    assertThat(logText(id)).contains("✘ flaky (attempt 1 of 5): not ready yet — attempt 2 in 300ms");
    assertThat(step(id, "one.flaky").attempt()).isEqualTo(tries);
    runs.abort(OP1, id, "test over");
  }

  @Test
  void aBoundThatCannotBeMetFailsTheStepSayingWhy() {
    String id = started("bound");
    passBefore(id, "bound", "bounded");
    String bounded = gate("bounded", "bound", id);
    TestSteps.FAILURES.put(bounded, "still down");
    TestSteps.open(bounded);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.FAILED);

    int tries = TestSteps.starts(bounded);
    assertThat(tries).as("400 ms waits within 1 s leave room for 3 attempts at most, not the 6 the retries allow")
        .isBetween(2, 3);
    assertThat(runs.get(id).message()).contains("one.bounded failed: still down (" + tries + " attempts in")
        .contains("; the next would start after the bound of 1s)");
    assertThat(step(id, "one.bounded").state()).isEqualTo(RunStep.State.FAILED);
    assertThat(step(id, "one.bounded").nextAttemptAt()).isNull();
    runs.abort(OP1, id, "test over");
  }

  @Test
  void thePageAndTheApiSayWhichAttemptComesWhenAndAnAbortEndsTheWaitAtOnce() {
    String id = started("wait");
    passBefore(id, "wait", "slow");
    String slow = gate("slow", "wait", id);
    TestSteps.FAILURES.put(slow, "not yet");
    TestSteps.open(slow);
    await().atMost(WAIT).until(() -> step(id, "one.slow").waitingForNextAttempt());

    RunDetails.StepView waiting = view(id, "one.slow");
    assertThat(waiting.retryStatus()).matches("attempt 2 of 3, next in [1-4]s");
    assertThat(waiting.nextAttemptAt()).isEqualTo(step(id, "one.slow").nextAttemptAt());
    HttpResponse<String> json = console.getAs("op1", DEMO_PASSWORD, "/api/runs/" + id);
    assertThat(json.body()).contains("\"retryStatus\":\"attempt 2 of 3, next in").contains("\"nextAttemptAt\":\"")
        .contains("\"maxAttempts\":3");
    HttpResponse<String> page = console.getAs("op1", DEMO_PASSWORD, "/runs/" + id);
    assertThat(page.body()).contains("attempt 2 of 3").contains("next attempt in").contains("class=\"retry-left\"")
        .contains("data-next-attempt-at");
    HttpResponse<String> chinese = console.getAs("op1", DEMO_PASSWORD, "/runs/" + id + "?lang=zh-CN");
    assertThat(chinese.body()).as("the countdown in the reader's language").contains("第 2 次尝试（共 3 次）")
        .doesNotContain("attempt 2 of 3");
    assertThat(runs.get(id).state()).as("the run runs while its step waits").isEqualTo(Run.State.RUNNING);

    runs.abort(OP2, id, "the component will not come back");
    RunStep aborted = step(id, "one.slow");
    assertThat(aborted.state()).as("at once, not at the end of the wait").isEqualTo(RunStep.State.ABORTED);
    assertThat(aborted.summary()).contains("while it waited for attempt 2");
    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
        .until(() -> TestSteps.starts(slow) == 1 && step(id, "one.slow").state() == RunStep.State.ABORTED);
    assertThat(audited(id, "STEP_STARTED").stream().filter(e -> "one.slow".equals(e.details().get("step"))))
        .as("the step is not run again after the abort").hasSize(1);
  }

  @Test
  void aPauseDuringAWaitPausesTheRunAtOnceAndTheStepStartsAfreshOnResume() {
    String id = started("pause");
    passBefore(id, "pause", "slow");
    String slow = gate("slow", "pause", id);
    TestSteps.FAILURES.put(slow, "not yet");
    TestSteps.open(slow);
    await().atMost(WAIT).until(() -> step(id, "one.slow").waitingForNextAttempt());
    runs.pause(OP1, id);
    await().atMost(Duration.ofSeconds(3)).until(() -> runs.get(id).state() == Run.State.PAUSED);
    assertThat(TestSteps.starts(slow)).isEqualTo(1);
    assertThat(step(id, "one.slow").waitingForNextAttempt()).isFalse();
    TestSteps.FAILURES.remove(slow);
    runs.resume(OP1, id);
    await().atMost(WAIT).until(() -> step(id, "one.slow").state() == RunStep.State.SUCCEEDED);
    assertThat(step(id, "one.slow").attempt()).as("a new series").isEqualTo(1);
    runs.abort(OP1, id, "test over");
  }

  /** The run stopped at its failed guard (two.quorum); op1 requested it and wrote the plan. */
  private String failedGuard(String tag) {
    String id = started(tag);
    passBefore(id, tag, "none");
    String hash = plans.get(runs.get(id).planId()).hash();
    runs.approve(AP1, id, "two", "go", hash);
    String guard = gate("guard", tag, id);
    TestSteps.FAILURES.put(guard, "stopping etcd on node-2 would break the quorum");
    TestSteps.open(guard);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.FAILED);
    assertThat(step(id, "two.quorum").state()).isEqualTo(RunStep.State.FAILED);
    return id;
  }

  private List<AuditEntry> refusals(String id) {
    return audited(id, Refusals.REFUSED);
  }

  @Test
  void aLoneSkipOfAFailedGuardIsRefusedAndAudited() {
    String id = failedGuard("lone");
    int before = refusals(id).size();
    assertThatThrownBy(() -> runs.skip(AP2, id, "two.quorum", "I checked it"))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("is a guard")
        .hasMessageContaining("one person may not skip it").hasMessageContaining("two approvers");
    assertThat(refusals(id)).hasSize(before + 1);
    assertThat(refusals(id).get(before).summary()).contains("skip step two.quorum");

    HttpResponse<String> api = console.postAs("ap2", DEMO_PASSWORD, "/api/runs/" + id + "/steps/two.quorum/skip",
        "{\"reason\":\"through the API\"}");
    assertThat(api.statusCode()).isEqualTo(403);
    assertThat(api.body()).contains("is a guard");
    assertThat(step(id, "two.quorum").state()).isEqualTo(RunStep.State.FAILED);
    assertThat(runs.get(id).state()).isEqualTo(Run.State.FAILED);
    assertThat(logText(id)).doesNotContain("destroying lone");
    runs.abort(OP1, id, "test over");
  }

  @Test
  void twoOtherApproversOverrideAGuardAndNobodyCountsTwice() {
    String id = failedGuard("two");
    assertThatThrownBy(() -> runs.override(OP1, id, "two.quorum", "mine")).isInstanceOf(RunException.NotAllowed.class);
    assertThatThrownBy(() -> runs.override(AP1, id, "two.quorum", " ")).isInstanceOf(IllegalArgumentException.class);

    runs.override(LEAD, id, "two.quorum", "checked the members by hand");
    RunStep signed = step(id, "two.quorum");
    assertThat(signed.state()).as("one signature skips nothing").isEqualTo(RunStep.State.FAILED);
    assertThat(signed.overrideBy()).isEqualTo("lead");
    assertThat(view(id, "two.quorum").overrideStatus())
        .isEqualTo("override signed by lead (checked the members by hand); a second approver must sign");
    assertThat(console.getAs("op1", DEMO_PASSWORD, "/runs/" + id).body())
        .contains("override signed by lead (checked the members by hand); a second approver must sign");
    assertThat(audited(id, "GUARD_OVERRIDE_SIGNED")).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("lead"));

    int before = refusals(id).size();
    assertThatThrownBy(() -> runs.override(LEAD, id, "two.quorum", "replayed"))
        .as("the same person holding two roles signs once").isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("lead already signed");
    HttpResponse<String> replay = console.postAs("lead", DEMO_PASSWORD, "/api/runs/" + id + "/steps/two.quorum/override",
        "{\"reason\":\"checked the members by hand\"}");
    assertThat(replay.statusCode()).as("a replay of the first signature").isEqualTo(409);
    assertThat(refusals(id)).hasSize(before + 2);
    assertThat(step(id, "two.quorum").state()).isEqualTo(RunStep.State.FAILED);

    HttpResponse<String> second = console.postAs("ap2", DEMO_PASSWORD, "/api/runs/" + id + "/steps/two.quorum/override",
        "{\"reason\":\"agreed with the shift lead\"}");
    assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> step(id, "two.destroy").state() == RunStep.State.SUCCEEDED);
    RunStep skipped = step(id, "two.quorum");
    assertThat(skipped.state()).isEqualTo(RunStep.State.SKIPPED);
    assertThat(skipped.summary()).isEqualTo("guard overridden by lead (checked the members by hand) and ap2"
        + " (agreed with the shift lead)");
    assertThat(audited(id, "GUARD_OVERRIDDEN")).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo("ap2");
      assertThat(e.details()).containsEntry("firstSigner", "lead");
    });
  }

  @Test
  void theRequesterAndAnAuthorCannotSignAndARetryClearsASignature() {
    String id = failedGuard("four");
    String planId = runs.get(id).planId();
    // ap2 writes a version of the plan: from now on an author
    Plan edited = plans.edit(AP2Author.AP2_AS_OPERATOR, planId, null, null, Map.of("tag", "four-edited"), null);
    assertThat(edited.version()).isGreaterThan(1);
    assertThatThrownBy(() -> runs.override(AP2, id, "two.quorum", "I wrote it")).isInstanceOf(RunException.NotAllowed.class)
        .hasMessageContaining("wrote a version of plan");
    assertThatThrownBy(() -> runs.override(Actor.of("op1", Role.OPERATOR, Role.APPROVER), id, "two.quorum", "mine"))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("requested");

    runs.override(AP1, id, "two.quorum", "looked at it");
    assertThat(step(id, "two.quorum").overrideBy()).isEqualTo("ap1");
    runs.retry(OP2, id, "two.quorum");
    await().atMost(WAIT).until(() -> runs.get(id).state() != Run.State.FAILED
        || step(id, "two.quorum").attempts() > 1);
    assertThat(step(id, "two.quorum").overrideBy()).as("a signature is for one failure").isNull();
    runs.abort(OP1, id, "test over");
  }

  /**
   * An insider signs first, then edits the plan's values while the run stops at the failed guard
   * (an edit is allowed there): the signature was given for the plan the guard refused, and its
   * signer is now an author. Before, the next approver's signature completed the override with it —
   * a skip by one real signer. The edit voids the signature (audited), as it voids approvals.
   */
  @Test
  void aPlanEditVoidsASignatureSoAnAuthorsSignatureNeverCompletesAnOverride() {
    String id = failedGuard("edit");
    String planId = runs.get(id).planId();
    Actor insider = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
    runs.override(insider, id, "two.quorum", "checked the members by hand");
    assertThat(step(id, "two.quorum").overrideBy()).isEqualTo("lead");

    plans.edit(insider, planId, null, null, Map.of("tag", "edit-changed"), null);
    assertThat(plans.authors(planId)).contains("lead");
    RunStep afterEdit = step(id, "two.quorum");
    assertThat(afterEdit.overrideBy()).as("a signature given for another version of the plan").isNull();
    assertThat(afterEdit.state()).isEqualTo(RunStep.State.FAILED);
    assertThat(audited(id, "GUARD_OVERRIDE_VOIDED")).singleElement().satisfies(e -> {
      assertThat(e.actor()).isEqualTo("lead");
      assertThat(e.details()).containsEntry("step", "two.quorum").containsEntry("signer", "lead");
    });

    runs.override(AP2, id, "two.quorum", "agreed");
    RunStep one = step(id, "two.quorum");
    assertThat(one.state()).as("ap2's signature is now the first, not the second").isEqualTo(RunStep.State.FAILED);
    assertThat(one.overrideBy()).isEqualTo("ap2");
    assertThatThrownBy(() -> runs.override(insider, id, "two.quorum", "again"))
        .isInstanceOf(RunException.NotAllowed.class).hasMessageContaining("wrote a version of plan");

    // the signer changes only the title: what runs is the same, but the signer is an author now
    String hashBefore = plans.get(planId).hash();
    plans.edit(AP2Author.AP2_AS_OPERATOR, planId, null, "retitled by ap2", Map.of("tag", "edit-changed"), null);
    assertThat(plans.get(planId).hash()).as("a title-only edit").isEqualTo(hashBefore);
    assertThat(plans.authors(planId)).contains("ap2");
    assertThat(step(id, "two.quorum").overrideBy()).as("an author's signature").isNull();
    assertThat(audited(id, "GUARD_OVERRIDE_VOIDED")).hasSize(2);
    assertThat(audited(id, "GUARD_OVERRIDE_VOIDED").get(1).summary()).contains("the signer is an author now");
    assertThat(audited(id, "GUARD_OVERRIDDEN")).isEmpty();
    runs.abort(OP1, id, "test over");
  }

  /**
   * Two approvers sign at the same moment (concurrent API requests): one is the first signature,
   * the other completes the override — never two "first" signatures and no skip, nor a skip with
   * one signer.
   */
  @Test
  void twoSignaturesAtTheSameMomentAreOneFirstAndOneSecond() throws Exception {
    String id = failedGuard("race");
    String path = "/api/runs/" + id + "/steps/two.quorum/override";
    java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.Future<HttpResponse<String>> ap2 = pool.submit(() -> {
        together.await();
        return console.postAs("ap2", DEMO_PASSWORD, path, "{\"reason\":\"ap2 checked\"}");
      });
      java.util.concurrent.Future<HttpResponse<String>> lead = pool.submit(() -> {
        together.await();
        return console.postAs("lead", DEMO_PASSWORD, path, "{\"reason\":\"lead checked\"}");
      });
      assertThat(ap2.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(lead.get(60, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    RunStep skipped = step(id, "two.quorum");
    assertThat(skipped.state()).isEqualTo(RunStep.State.SKIPPED);
    assertThat(skipped.summary()).contains("ap2 (ap2 checked)").contains("lead (lead checked)");
    assertThat(audited(id, "GUARD_OVERRIDE_SIGNED")).hasSize(1);
    assertThat(audited(id, "GUARD_OVERRIDDEN")).singleElement()
        .satisfies(e -> assertThat(e.details().get("firstSigner")).isNotEqualTo(e.actor()));
    await().atMost(WAIT).until(() -> step(id, "two.destroy").state() == RunStep.State.SUCCEEDED);
    String pdf = io.lockstep.testing.PdfText.of(console.bytesAs("op1", DEMO_PASSWORD, "/api/runs/" + id + "/audit.pdf")
        .body()).squeezed();
    assertThat(pdf).as("the run's PDF names both signers and their reasons")
        .contains(io.lockstep.testing.PdfText.squeeze("ap2 checked"))
        .contains(io.lockstep.testing.PdfText.squeeze("lead checked"))
        .contains(io.lockstep.testing.PdfText.squeeze("two.quorum overridden by"));
  }

  /**
   * Hostile reasons for an override: empty, whitespace, 100 KB, NUL and other controls, bidi
   * overrides are refused with a clear 400, audited, and sign nothing (a NUL used to reach the
   * database: a 500 on PostgreSQL); markup is a reason like any other, shown escaped on the page.
   */
  @Test
  void hostileReasonsSignNothingAndMarkupIsShownEscaped() {
    String id = failedGuard("hostile");
    String path = "/api/runs/" + id + "/steps/two.quorum/override";
    int before = refusals(id).size();
    List<String> hostile = List.of("", "  \t ", "x".repeat(100_000), "fine\u0000", "ok\u001B[2J", "ok\u0085",
        "checked\u202E ngis tsum revorppa dnoces a", "a\u2066b\u2069");
    for (String reason : hostile) {
      HttpResponse<String> answer = console.postAs("ap2", DEMO_PASSWORD, path,
          "{\"reason\":" + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(reason) + "}");
      assertThat(answer.statusCode()).as(reason.length() > 40 ? reason.substring(0, 40) : reason).isEqualTo(400);
      assertThat(answer.body()).hasSizeLessThan(3_000).doesNotContain("\u0000").doesNotContain("\u202E");
    }
    assertThat(refusals(id)).hasSize(before + hostile.size());
    assertThat(refusals(id).subList(before, before + hostile.size()))
        .allSatisfy(e -> assertThat(e.summary()).hasSizeLessThan(1_000).doesNotContain("\u0000", "\u202E"));
    assertThat(step(id, "two.quorum").overrideBy()).isNull();
    assertThat(audited(id, "GUARD_OVERRIDE_SIGNED")).isEmpty();

    HttpResponse<String> markup = console.postAs("ap2", DEMO_PASSWORD, path,
        "{\"reason\":\"<script>alert(1)</script> checked\"}");
    assertThat(markup.statusCode()).isEqualTo(200);
    String page = console.getAs("op1", DEMO_PASSWORD, "/runs/" + id).body();
    assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt; checked").doesNotContain("<script>alert(1)");
    runs.abort(OP1, id, "test over");
  }

  @Test
  void aStepThatIsNoGuardIsStillSkippedByOneApprover() {
    String id = started("plain");
    passBefore(id, "plain", "slow");
    String slow = gate("slow", "plain", id);
    TestSteps.FAILURES.put(slow, "broken");
    TestSteps.open(slow);
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.FAILED);
    assertThatThrownBy(() -> runs.override(AP2, id, "one.slow", "why not")).isInstanceOf(RunException.Conflict.class)
        .hasMessageContaining("not a guard");
    runs.skip(AP2, id, "one.slow", "done by hand");
    assertThat(step(id, "one.slow").state()).isEqualTo(RunStep.State.SKIPPED);
    runs.abort(OP1, id, "test over");
  }

  /** An approver who also writes plans (to make ap2 an author of a plan). */
  static final class AP2Author {
    static final Actor AP2_AS_OPERATOR = Actor.of("ap2", Role.OPERATOR, Role.APPROVER);
  }
}
