package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;

/**
 * Four-eyes against a race: {@code lead} (OPERATOR + APPROVER) approves a phase of op1's plan at
 * the very moment he edits that plan. Whichever commits first, no approval of his may stand once
 * he wrote a version: an edit that lands while the approval is being stored must still void it.
 *
 * <p>The race is made deterministic: the edit is started from inside the approval's transaction
 * (when the approval has been checked and stored, not yet committed) and the approval commits only
 * once the edit has either finished or is seen waiting for a lock in the database.
 */
class EditWhileApprovingTest extends LabConsoleTest {

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor LEAD = Actor.of("lead", Role.OPERATOR, Role.APPROVER);
  static final Duration WAIT = Duration.ofSeconds(30);

  private final Plans plans;
  private final Runs runs;
  private final ConfigurableApplicationContext context;
  private final DataSource database;

  @Autowired
  EditWhileApprovingTest(Plans plans, Runs runs, ConfigurableApplicationContext context, DataSource database) {
    this.plans = plans;
    this.runs = runs;
    this.context = context;
    this.database = database;
  }

  // BROKE (fixed: a plan edit locks the plan's unfinished runs, as every decision does): the edit did
  // not see the approval being stored, voided nothing, and lead's approval of version 1 stood; op1
  // then set the values back (version 3 = version 1's hash) and the engine honoured the approval of
  // lead, who had written version 2.
  @Test
  void anApprovalStoredWhileItsApproverEditsThePlanDoesNotStand() throws Exception {
    Map<String, Object> first = Map.of("password", "pw-race-12345", "tag", "race", "word", "hello");
    Plan v1 = plans.create(OP1, "engine-test", "race", first, null);
    String id = runs.request(OP1, v1.id()).id();
    await().atMost(WAIT).until(() -> runs.get(id).state() == Run.State.AWAITING_APPROVAL);

    ExecutorService other = Executors.newSingleThreadExecutor();
    AtomicReference<CompletableFuture<Plan>> edit = new AtomicReference<>();
    ApplicationListener<PayloadApplicationEvent<RunEvent.PhaseDecided>> duringApproval = event -> {
      if (!event.getPayload().runId().equals(id) || edit.get() != null) {
        return;
      }
      edit.set(CompletableFuture.supplyAsync(() -> plans.edit(LEAD, v1.id(), 1, null,
          Map.of("password", "pw-race-12345", "tag", "race", "word", "leads"), null), other));
      await().atMost(WAIT).until(() -> edit.get().isDone() || someoneWaitsForALock());
    };
    context.addApplicationListener(duringApproval);
    try {
      runs.approve(LEAD, id, "two", "seen version 1", v1.hash());
    } finally {
      context.getBean(AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME,
          ApplicationEventMulticaster.class).removeApplicationListener(duringApproval);
    }
    Plan v2 = edit.get().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    other.shutdown();
    assertThat(v2.version()).isEqualTo(2);
    assertThat(plans.authors(v1.id())).contains("lead");

    Plan v3 = plans.edit(OP1, v1.id(), 2, null, first, null);
    assertThat(v3.hash()).as("the values of version 1 again").isEqualTo(v1.hash());

    assertThat(runs.approvals(id)).as("a standing approval by lead, who wrote version 2")
        .noneMatch(a -> a.standing() && a.actor().equals("lead"));
    runs.abort(OP1, id, "test over");
  }

  /** Another session of the database waits for a lock held by another (H2's sessions table). */
  private boolean someoneWaitsForALock() throws SQLException {
    try (Connection c = database.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL")) {
      r.next();
      return r.getInt(1) > 0;
    }
  }
}
