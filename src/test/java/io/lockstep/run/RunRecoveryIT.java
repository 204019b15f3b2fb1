package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.LockstepApplication;
import io.lockstep.logstream.RunLog;
import io.lockstep.logstream.StoredLine;
import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A console restart in the middle of a run, as a crash looks to the engine: the application
 * context is closed while a step runs and a new one starts against the same database. A repeatable
 * step runs again; a non-repeatable one stops the run in NEEDS_DECISION with what is known, and
 * nothing is repeated until an operator decides.
 */
class RunRecoveryIT {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor OP2 = Actor.of("op2", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);
  static Path dir;
  static int sshPort;

  @BeforeAll
  static void stateOnDisk() throws Exception {
    dir = Files.createTempDirectory("lockstep-recovery-");
    sshPort = LabConsoleTest.freePortOnNodeAddresses();
    TestSteps.reset();
  }

  private static ConfigurableApplicationContext console() {
    // Command-line arguments: they outrank application.yml (whose datasource is ./data's H2 file).
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
  void aRepeatableStepRunsAgainAndANonRepeatableOneWaitsForADecision() {
    String runId;
    String planId;
    try (ConfigurableApplicationContext first = console()) {
      Plans plans = first.getBean(Plans.class);
      Runs runs = first.getBean(Runs.class);
      Plan plan = plans.create(OP1, "engine-test", "restart", Map.of("password", "pw-restart", "tag", "rst"), null);
      planId = plan.id();
      runId = runs.request(OP1, plan.id()).id();
      String id = runId;
      await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
      runs.approve(AP1, id, "one", "go", plan.hash());
      runs.approve(AP1, id, "two", "ahead", plan.hash());
      await().atMost(WAIT).until(() -> step(runs, id, "one.gate").state() == RunStep.State.RUNNING);
      assertThat(TestSteps.starts("one-rst-" + id)).isEqualTo(1);
    }
    // The console is gone while one.gate (repeatable) ran.
    try (ConfigurableApplicationContext second = console()) {
      Runs runs = second.getBean(Runs.class);
      String id = runId;
      await().atMost(WAIT).until(() -> TestSteps.starts("one-rst-" + id) == 2);
      assertThat(runs.get(id).state()).isEqualTo(Run.State.RUNNING);
      assertThat(step(runs, id, "one.echo").attempts()).as("finished steps are not repeated").isEqualTo(1);
      TestSteps.open("one-rst-" + id);
      await().atMost(WAIT).until(() -> step(runs, id, "two.risky").state() == RunStep.State.RUNNING);
      assertThat(TestSteps.starts("two-rst-" + id)).isEqualTo(1);
    }
    // The console is gone while two.risky (not repeatable) ran.
    try (ConfigurableApplicationContext third = console()) {
      Runs runs = third.getBean(Runs.class);
      RunLog log = third.getBean(RunLog.class);
      String id = runId;
      await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.NEEDS_DECISION);
      Run run = runs.get(id);
      assertThat(run.message()).contains("two.risky").contains("not repeatable")
          .contains("wait for gate two-rst-" + id);
      assertThat(step(runs, id, "two.risky").state()).isEqualTo(RunStep.State.INTERRUPTED);
      await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> TestSteps.starts("two-rst-" + id) == 1);

      runs.retry(OP2, id, "two.risky");
      TestSteps.open("two-rst-" + id);
      await().atMost(WAIT).until(() -> step(runs, id, "two.check").state() == RunStep.State.WAITING);
      assertThat(TestSteps.starts("two-rst-" + id)).isEqualTo(2);

      List<StoredLine> lines = log.after(id, 0, 100_000);
      for (int i = 0; i < lines.size(); i++) {
        assertThat(lines.get(i).seq()).as("log numbered without gaps across restarts").isEqualTo(i + 1L);
      }
      assertThat(lines).extracting(StoredLine::text)
          .anyMatch(t -> t.contains("repeatable, so it runs again"))
          .anyMatch(t -> t.contains("It is not repeatable"));
      runs.abort(OP1, id, "test over");
      assertThat(third.getBean(Plans.class).get(planId).version()).isEqualTo(1);
    }
  }

  private static RunStep step(Runs runs, String runId, String key) {
    return runs.steps(runId).stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
  }
}
