package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.logstream.RunLog;
import io.lockstep.logstream.StoredLine;
import io.lockstep.system.Role;
import io.lockstep.system.SecretMasker;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 12, "any operator can blank out any word": a secret parameter's value masks only once its
 * plan is stored, and only in the output of that plan's runs (log, audit, previews, run page). The
 * engine-test procedure's {@code password} is secret, its {@code word} is not; its first step
 * echoes both.
 */
class SecretScopeTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor OP2 = Actor.of("op2", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(20);

  private final Plans plans;
  private final Runs runs;
  private final RunViews views;
  private final RunLog log;
  private final AuditLog audit;
  private String unique;

  @Autowired
  SecretScopeTest(Plans plans, Runs runs, RunViews views, RunLog log, AuditLog audit) {
    this.plans = plans;
    this.runs = runs;
    this.views = views;
    this.log = log;
    this.audit = audit;
  }

  @BeforeEach
  void freshGates() {
    TestSteps.reset();
    unique = UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void aRefusedPlanRequestsSecretMasksNothing() {
    String word = "kubelet" + unique;
    assertThatThrownBy(() -> plans.create(OP1, "engine-test", "bad\u0001title",
        Map.of("password", word, "tag", "r" + unique), null)).isInstanceOf(IllegalArgumentException.class);

    Plan other = plans.create(OP2, "engine-test", "says the word", Map.of("word", word, "password",
        "other-pw-" + unique, "tag", "o" + unique), null);
    Run run = runs.request(OP2, other.id());
    try {
      assertThat(previewText(run.id())).contains("echo " + word);
      runEcho(run.id(), other);
      assertThat(logText(run.id())).contains(word + " " + SecretMasker.MASK);
      assertThat(auditText(run.id())).contains("echo " + word);
      assertThat(views.details(run.id(), null).toString()).contains(word);
    } finally {
      runs.abort(OP2, run.id(), "test over");
    }
  }

  @Test
  void aStoredPlansSecretMasksInItsOwnRunsOnly() {
    String secret = "S3cretZq-" + unique;
    Plan owner = plans.create(OP1, "engine-test", "holds the secret", Map.of("password", secret, "tag",
        "s" + unique), null);
    Plan bystander = plans.create(OP2, "engine-test", "says it openly", Map.of("word", secret, "password",
        "bystander-pw-" + unique, "tag", "b" + unique), null);
    Run secretRun = runs.request(OP1, owner.id());
    Run otherRun = runs.request(OP2, bystander.id());
    try {
      assertThat(previewText(secretRun.id())).doesNotContain(secret).contains("echo hello " + SecretMasker.MASK);
      assertThat(previewText(otherRun.id())).contains("echo " + secret + " " + SecretMasker.MASK);

      runEcho(secretRun.id(), owner);
      runEcho(otherRun.id(), bystander);

      assertThat(logText(secretRun.id())).doesNotContain(secret).contains("hello " + SecretMasker.MASK);
      assertThat(auditText(secretRun.id())).doesNotContain(secret).contains("echo hello " + SecretMasker.MASK);
      assertThat(views.details(secretRun.id(), null).toString()).doesNotContain(secret);

      assertThat(logText(otherRun.id())).as("another plan's run").contains(secret + " " + SecretMasker.MASK);
      assertThat(auditText(otherRun.id())).contains("echo " + secret);
    } finally {
      runs.abort(OP1, secretRun.id(), "test over");
      runs.abort(OP2, otherRun.id(), "test over");
    }
  }

  private void runEcho(String runId, Plan plan) {
    await().atMost(WAIT).until(() -> runs.get(runId).state() == Run.State.AWAITING_APPROVAL);
    runs.approve(AP1, runId, "one", "go", plan.hash());
    await().atMost(WAIT).until(() -> runs.steps(runId).stream()
        .anyMatch(s -> s.key().equals("one.echo") && s.state() == RunStep.State.SUCCEEDED));
  }

  private String previewText(String runId) {
    return views.preview(runId, "one", null).toString();
  }

  private String logText(String runId) {
    List<String> lines = new ArrayList<>();
    for (StoredLine line : log.after(runId, 0, 10_000)) {
      lines.add(line.text());
    }
    return String.join("\n", lines);
  }

  private String auditText(String runId) {
    List<String> rows = new ArrayList<>();
    audit.forEach(AuditFilter.forRun(runId), Long.MAX_VALUE, e -> rows.add(e.summary() + " " + e.details()));
    return String.join("\n", rows);
  }
}
