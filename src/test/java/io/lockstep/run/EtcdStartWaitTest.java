package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.audit.AuditEntry;
import io.lockstep.audit.AuditFilter;
import io.lockstep.audit.AuditLog;
import io.lockstep.lab.LabPlatform;
import io.lockstep.system.Role;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * A wait that matches the real component (issue 13): etcd on a lab master is stopped and started
 * over real SSH, and the member answers "unhealthy" for 8 s after its start, as a real one does
 * while it joins and waits for a leader. {@code etcd.health} with {@code retries: 6, retry_delay:
 * 1s, retry_backoff: 1.5, retry_within: 40s} fails its first attempts, says which attempt comes
 * when, and succeeds once the member is healthy — where back-to-back retries gave up in 2.5 s.
 */
class EtcdStartWaitTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);

  private final Plans plans;
  private final Runs runs;
  private final RunViews views;
  private final AuditLog audit;
  private final LabPlatform lab;
  private final ConsoleClient console;

  @Autowired
  EtcdStartWaitTest(Plans plans, Runs runs, RunViews views, AuditLog audit, LabPlatform lab,
      @Value("${local.server.port}") int port) {
    this.plans = plans;
    this.runs = runs;
    this.views = views;
    this.audit = audit;
    this.lab = lab;
    this.console = new ConsoleClient(port);
  }

  private List<AuditEntry> audited(String id, String type, String step) {
    List<AuditEntry> found = new ArrayList<>();
    audit.forEach(AuditFilter.forRun(id), Long.MAX_VALUE, e -> {
      if (e.type().equals(type) && step.equals(e.details().get("step"))) {
        found.add(e);
      }
    });
    return found;
  }

  private RunDetails.StepView healthStep(String id) {
    return views.details(id, Locale.ENGLISH).phases().get(0).steps().stream()
        .filter(s -> s.key().equals("restart.etcd-healthy")).findFirst().orElseThrow();
  }

  @Test
  void etcdHealthRetriedWithWaitsSucceedsOnceAFreshlyStartedMemberIsHealthy() {
    Duration before = lab.nodes().etcdStartDelay();
    lab.nodes().etcdStartDelay(Duration.ofSeconds(8));
    try {
      Plan plan = plans.create(OP1, "etcd-wait-test", "etcd start wait", Map.of("node", "node-2"), null);
      String id = runs.request(OP1, plan.id()).id();
      await().atMost(Duration.ofSeconds(20)).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);
      runs.approve(AP1, id, "restart", "go", plan.hash());

      // while it waits, the step (page model and API) says which attempt comes next and when
      await().atMost(Duration.ofSeconds(60)).until(() -> healthStep(id).retryStatus() != null);
      RunDetails.StepView waiting = healthStep(id);
      assertThat(waiting.retryStatus()).matches("attempt [2-7] of 7, next in \\d+s");
      assertThat(waiting.maxAttempts()).isEqualTo(7);
      assertThat(console.getAs("op1", DEMO_PASSWORD, "/api/runs/" + id).body()).contains("\"maxAttempts\":7");

      await().atMost(Duration.ofSeconds(45)).until(() -> runs.get(id).isFinal()
          || runs.get(id).state() == Run.State.FAILED);
      assertThat(runs.get(id).state()).as(runs.get(id).message()).isEqualTo(Run.State.SUCCEEDED);

      List<AuditEntry> failed = audited(id, "STEP_ATTEMPT_FAILED", "restart.etcd-healthy");
      List<AuditEntry> started = audited(id, "STEP_STARTED", "restart.etcd-healthy");
      assertThat(failed).as("the member was unhealthy for its first attempts").hasSizeGreaterThanOrEqualTo(2);
      assertThat(started).hasSize(failed.size() + 1);
      assertThat(failed.get(0).details().get("error").toString()).contains("unhealthy");
      for (int n = 0; n < failed.size(); n++) {
        Instant next = Instant.parse(failed.get(n).details().get("nextAttemptAt").toString());
        assertThat(started.get(n + 1).occurredAt()).isAfterOrEqualTo(next);
      }
      Instant etcdStarted = audited(id, "STEP_SUCCEEDED", "restart.start-etcd").get(0).occurredAt();
      Instant healthy = audited(id, "STEP_SUCCEEDED", "restart.etcd-healthy").get(0).occurredAt();
      assertThat(Duration.between(etcdStarted, healthy)).as("healthy only once the member had joined")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(8));
      assertThat(runs.get(id).step("restart.etcd-healthy").orElseThrow().attempt()).isEqualTo(failed.size() + 1);
    } finally {
      lab.nodes().etcdStartDelay(before);
    }
  }
}
