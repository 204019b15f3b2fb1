package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.lockstep.procedure.Action;
import io.lockstep.procedure.Procedure;
import io.lockstep.procedure.Step;
import io.lockstep.system.SecretMasker;
import io.lockstep.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recovery checks through the real engine ({@link RunEngine#check}) on a migrated H2, with checks
 * that try to change the run, hang, or cannot reach the platform.
 */
class RunChecksAdversaryTest {

  static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");

  RunStore store;
  PlanStore plans;
  TransactionTemplate tx;
  RunEngine engine;
  Run run;
  Plan plan;
  Procedure procedure;
  final AtomicReference<List<String>> refusals = new AtomicReference<>(List.of());

  /** A read-only check that tries every change its context offers, and says it looked. */
  final StepExecutor meddler = new StepExecutor() {
    @Override
    public String type() {
      return "test.meddle";
    }

    @Override
    public boolean readOnly() {
      return true;
    }

    @Override
    public StepPreview preview(Map<String, Object> params) {
      return StepPreview.plain("meddle");
    }

    @Override
    public String execute(StepContext context) {
      List<String> refused = new ArrayList<>();
      for (Runnable change : List.<Runnable>of(() -> context.figure("replicas", 0),
          () -> context.undo().recordOnce("replicas/ns/Deployment/web", "0"),
          () -> context.undo().recordSecretOnce("secret/ns/s", "{}"),
          () -> context.undo().settle("replicas/ns/Deployment/app"))) {
        try {
          change.run();
        } catch (IllegalStateException e) {
          refused.add(e.getMessage());
        }
      }
      refusals.set(refused);
      return "looked";
    }
  };

  /** A check that cannot reach the platform: it hangs (an API that does not answer). */
  final StepExecutor hanging = executor("test.hang", true, () -> {
    Thread.sleep(60_000);
    return "up";
  });

  /** A check whose API is down. */
  final StepExecutor apiDown = executor("test.api-down", true, () -> {
    throw new java.io.UncheckedIOException(new java.net.ConnectException("connection refused"));
  });

  /** A step that changes things, named as a check. */
  final StepExecutor writer = executor("test.write", false, () -> "wrote");

  interface Body {
    String run() throws Exception;
  }

  static StepExecutor executor(String type, boolean readOnly, Body body) {
    return new StepExecutor() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public boolean readOnly() {
        return readOnly;
      }

      @Override
      public StepPreview preview(Map<String, Object> params) {
        return StepPreview.plain(type);
      }

      @Override
      public String execute(StepContext context) throws Exception {
        return body.run();
      }
    };
  }

  @BeforeEach
  void setUp() {
    DataSource ds = TestDatabases.h2();
    store = new RunStore(ds, io.lockstep.testing.TestSecrets.SEALER);
    plans = new PlanStore(ds, JsonMapper.builder().build(), io.lockstep.testing.TestSecrets.SEALER);
    tx = new TransactionTemplate(new JdbcTransactionManager(ds));
    plan = tx.execute(s -> {
      Plan p = new Plan(plans.nextId(), "engine-test", "A plan", 1, "a".repeat(64), "b".repeat(64), Map.of(), Map.of(),
          "op1", T0, "op1", T0);
      plans.insert(p, java.util.Set.of());
      return p;
    });
    run = tx.execute(s -> {
      Run r = Run.request(store.nextId(), plan, "op1", List.of(new Run.PhaseLayout("one", List.of("a"))), T0);
      store.insert(r);
      return r;
    });
    store.insertUndo(run.id(), "replicas/ns/Deployment/app", "one.a", "3", false, T0);
    Plans catalogue = mock(Plans.class);
    when(catalogue.bound(any(), any())).thenReturn(Map.of());
    engine = new RunEngine(store, new RunMoves(store, e -> { }, tx), catalogue,
        new StepExecutors(List.of(meddler, hanging, apiDown, writer)), null, new SecretMasker(), e -> { }, tx,
        Clock.systemUTC(), null);
    engine.start();
    procedure = RunActionsAdversaryTest.PROCEDURE;
  }

  @AfterEach
  void tearDown() {
    engine.stop();
  }

  private String check(String type, Duration timeout) {
    Step check = new Step("look", null, null, type, Map.of(), timeout, 0, true, null);
    Action action = new Action("bring-back", null, null, null, null, List.of(new Step("fix", "test.write", Map.of(),
        true)), List.of(check), List.of("two"), List.of(), false);
    return engine.check(run, procedure, plan, action, check);
  }

  // HOLDS (regression): a check's context refuses every change (figure, undo record, secret undo record, settle)
  // and nothing reaches the database.
  @Test
  void aCheckChangesNothing() {
    assertThat(check("test.meddle", null)).as("the meddler said it looked: UP").isNull();
    assertThat(refusals.get()).hasSize(4).allSatisfy(m -> assertThat(m).startsWith("a check changes nothing"));
    assertThat(store.figures(run.id())).isEmpty();
    assertThat(store.undoRecords(run.id())).singleElement().satisfies(u -> {
      assertThat(u.key()).isEqualTo("replicas/ns/Deployment/app");
      assertThat(u.settledAt()).as("not settled by a check").isNull();
    });
  }

  // HOLDS (regression): a check that could not look is never UP: a hang ends at its timeout as DOWN, an API that
  // is down is DOWN, and a step that changes things is not run as a check at all (DOWN, "cannot check").
  @Test
  void aCheckThatCouldNotLookIsNeverUp() {
    long start = System.nanoTime();
    assertThat(check("test.hang", Duration.ofMillis(300))).contains("did not finish within");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(check("test.api-down", null)).contains("connection refused");
    assertThat(check("test.write", null)).contains("no read-only executor of type test.write");
  }
}
