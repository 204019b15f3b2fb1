package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.LockstepApplication;
import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A console restart in the middle of a wait between two attempts: the step waits in the database
 * (no thread held it), so the new console finds the series where it was and starts the next
 * attempt at its time — once, with the next number, neither lost nor repeated, and not waiting
 * forever.
 */
class RetryWaitRecoveryIT {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(60);
  static Path dir;
  static int sshPort;

  @BeforeAll
  static void stateOnDisk() throws Exception {
    dir = Files.createTempDirectory("lockstep-retry-recovery-");
    sshPort = LabConsoleTest.freePortOnNodeAddresses();
    TestSteps.reset();
  }

  private static ConfigurableApplicationContext console() {
    Map<String, String> settings = Map.of(
        "server.port", "0",
        "lockstep.lab.state-dir", dir.resolve("lab").toString(),
        "lockstep.lab.ssh-port", String.valueOf(sshPort),
        "lockstep.lab.api-port", "0",
        "lockstep.procedure.user-dir", "src/test/resources/run-procedures",
        "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db/lockstep") + ";AUTO_SERVER=FALSE");
    return new SpringApplicationBuilder(LockstepApplication.class, TestSteps.class)
        .profiles("lab")
        .run(settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
  }

  @Test
  void aRestartDuringAWaitGoesOnWithTheSeriesAtItsTime() {
    String id;
    String slow;
    Instant next;
    try (ConfigurableApplicationContext first = console()) {
      Plans plans = first.getBean(Plans.class);
      Runs runs = first.getBean(Runs.class);
      Plan plan = plans.create(OP1, "retry-test", "restart in a wait", Map.of("tag", "rw"), null);
      String runId = runs.request(OP1, plan.id()).id();
      id = runId;
      await().atMost(WAIT).until(() -> runs.get(runId).state() == Run.State.AWAITING_APPROVAL);
      runs.approve(AP1, runId, "one", "go", plan.hash());
      TestSteps.open("flaky-rw-" + runId);
      TestSteps.open("bounded-rw-" + runId);
      slow = "slow-rw-" + runId;
      TestSteps.FAILURES.put(slow, "not yet");
      TestSteps.open(slow);
      await().atMost(WAIT).until(() -> runs.get(runId).step("one.slow").orElseThrow().waitingForNextAttempt());
      next = runs.get(runId).step("one.slow").orElseThrow().nextAttemptAt();
      assertThat(TestSteps.starts(slow)).isEqualTo(1);
    }
    // The console is gone while one.slow waited for its second attempt.
    TestSteps.FAILURES.remove(slow);
    try (ConfigurableApplicationContext second = console()) {
      Runs runs = second.getBean(Runs.class);
      AuditLog audit = second.getBean(AuditLog.class);
      await().atMost(WAIT).until(() -> runs.get(id).step("one.slow").orElseThrow().state() == RunStep.State.SUCCEEDED);
      RunStep done = runs.get(id).step("one.slow").orElseThrow();
      assertThat(done.attempt()).as("the series went on: attempt 2, not a new attempt 1").isEqualTo(2);
      assertThat(done.attempts()).isEqualTo(2);
      assertThat(TestSteps.starts(slow)).as("neither lost nor repeated").isEqualTo(2);

      List<AuditEntry> starts = new ArrayList<>();
      audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> {
        if (e.type().equals("STEP_STARTED") && "one.slow".equals(e.details().get("step"))) {
          starts.add(e);
        }
      });
      assertThat(starts).hasSize(2);
      assertThat(starts.get(1).details()).containsEntry("attempt", 2);
      assertThat(starts.get(1).occurredAt()).as("not before its time").isAfterOrEqualTo(next);
      runs.abort(OP1, id, "test over");
    }
  }
}
