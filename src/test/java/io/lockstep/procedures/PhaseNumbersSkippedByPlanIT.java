package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.ObjectMapper;

/**
 * Adversary (issue 14): the header counts phase n of N without the phases the plan switched off
 * (P1 without prewarm: "Phase 2 of N" at Export the Secrets); the phase cards and the overview
 * beside the log must count the same way, or the header says phase 2 next to a card "3. Export
 * the Secrets" and "of N" while the last card reads N+1.
 */
class PhaseNumbersSkippedByPlanIT extends LabConsoleTest {

  static final Pattern OF = Pattern.compile("Phase (\\d+) of (\\d+)");

  private final ConsoleClient console;
  private final ObjectMapper json;

  @Autowired
  PhaseNumbersSkippedByPlanIT(@Value("${local.server.port}") int port, ObjectMapper json) {
    this.console = new ConsoleClient(port);
    this.json = json;
  }

  @BeforeEach
  void freshLab() {
    MigrationPlans.resetLab(console);
  }

  @AfterEach
  void labForTheOthers() {
    MigrationPlans.resetLab(console);
  }

  @Test
  void theCardsAndTheOverviewNumberPhasesAsTheHeaderDoes() {
    String planId = MigrationPlans.retireOldMasters(console, "P1 phase numbers");
    ProcedureRun run = ProcedureRun.request(console, json, planId);
    await().atMost(Duration.ofSeconds(30)).until(() -> run.state().equals("AWAITING_APPROVAL"));
    try {
      String page = console.getAs("op1", ProcedureRun.PW, "/runs/" + run.runId).body();
      Matcher of = OF.matcher(page);
      assertThat(of.find()).as("phase n of N in the header").isTrue();
      int count = Integer.parseInt(of.group(2));
      int phases = run.details().get("phases").size();
      assertThat(count).as("prewarm is switched off by this plan").isEqualTo(phases - 1);

      assertThat(page).as("the card after the skipped prewarm is phase 2, as the header will say")
          .contains(">2. Export the Secrets<").doesNotContain(">3. Export the Secrets<")
          .as("no card is numbered beyond the header's N")
          .doesNotContain(">" + (count + 1) + ". ");
    } finally {
      console.postAs("op1", ProcedureRun.PW, "/api/runs/" + run.runId + "/abort", "{}");
    }
  }
}
