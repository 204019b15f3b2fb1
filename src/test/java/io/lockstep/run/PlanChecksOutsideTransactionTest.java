package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.procedure.Procedure;
import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A plan check of the values may read the cluster and the nodes over SSH for seconds (P2/P3/P4's
 * targets, bounded at 20 s): it is asked before the save's transaction, so that a hung node holds
 * no database connection and no lock on the plan's runs (an approval would wait for it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("lab")
@Import({TestSteps.class, PlanChecksOutsideTransactionTest.Checks.class})
class PlanChecksOutsideTransactionTest {

  /**
   * A context of its own (an extra bean), so a lab of its own: on the common context's SSH port and
   * state directory, the two labs took turns as Spring paused one context for the other, and the
   * common context's steps then met this lab's paused SSH servers (an SSH login timing out).
   */
  @DynamicPropertySource
  static void ownContext(DynamicPropertyRegistry registry) {
    LabConsoleTest.labProperties(registry, LabConsoleTest.stateDir().resolve("plan-checks-lab"),
        LabConsoleTest.freePortOnNodeAddresses(), "lockstep-plan-checks");
  }

  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  /** For each time the check was asked: whether a transaction was active. */
  static final List<Boolean> IN_TRANSACTION = new CopyOnWriteArrayList<>();

  @TestConfiguration(proxyBeanMethods = false)
  static class Checks {
    @Bean
    PlanDataCheck wordIsNotWrong() {
      return new PlanDataCheck() {
        @Override
        public String procedureId() {
          return "engine-test";
        }

        @Override
        public List<String> problems(Map<String, Object> values, Map<String, Object> data) {
          return List.of();
        }

        @Override
        public List<ValueProblem> valueProblems(Map<String, Object> values) {
          IN_TRANSACTION.add(TransactionSynchronizationManager.isActualTransactionActive());
          return "wrong".equals(values.get("word")) ? List.of(new ValueProblem("word", "word may not be wrong"))
              : List.of();
        }
      };
    }
  }

  private final Plans plans;
  private final Runs runs;

  @Autowired
  PlanChecksOutsideTransactionTest(Plans plans, Runs runs) {
    this.plans = plans;
    this.runs = runs;
  }

  // BROKE (fixed: Plans asks the value checks before its transaction): the check ran inside the
  // save's transaction, and an edit's only after it had locked the plan's unfinished runs.
  @Test
  void theValueChecksAreAskedOutsideTheSavesTransactionAndStillRefuseNamingTheParameter() {
    IN_TRANSACTION.clear();
    Plan plan = plans.create(OP1, "engine-test", "outside", Map.of("password", "pw-outside-123", "tag", "t",
        "word", "right"), null);
    runs.request(OP1, plan.id());
    assertThatThrownBy(() -> plans.create(OP1, "engine-test", "wrong", Map.of("password", "pw-outside-123",
        "tag", "t", "word", "wrong"), null)).isInstanceOf(Procedure.InvalidValues.class)
        .hasMessageContaining("word may not be wrong");
    assertThatThrownBy(() -> plans.edit(OP1, plan.id(), 1, null, Map.of("password", "pw-outside-123", "tag", "t",
        "word", "wrong"), null)).isInstanceOf(Procedure.InvalidValues.class)
        .satisfies(e -> assertThat(((Procedure.InvalidValues) e).byParameter()).containsKey("word"));
    assertThat(plans.get(plan.id()).version()).as("nothing stored").isEqualTo(1);
    plans.edit(OP1, plan.id(), 1, "retitled", Map.of("password", "pw-outside-123", "tag", "t", "word", "right"), null);
    assertThat(IN_TRANSACTION).as("asked for the two new plans and the changed values, never in a transaction")
        .containsExactly(false, false, false);
  }
}
