package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.ObjectMapper;

/**
 * P1 in real headless Chromium: while the online pre-copy runs (bandwidth-limited), the operator's
 * run page shows a progress bar per data directory with bytes, rate and ETA, and rsync's lines in
 * the live log; the maintenance-window clock lists the downtime phases with their budgets.
 */
class ProtonMigrationBrowserIT extends LabConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private final ConsoleClient console;
  private final ObjectMapper json;
  private final int port;

  @Autowired
  ProtonMigrationBrowserIT(@Value("${local.server.port}") int port, ObjectMapper json) {
    this.console = new ConsoleClient(port);
    this.json = json;
    this.port = port;
  }

  @BeforeEach
  @AfterEach
  void freshLab() {
    MigrationPlans.resetLab(console);
  }

  @Test
  void theCopyShowsProgressBarsAndTheLiveLog() {
    String planId = MigrationPlans.retireOldMasters(console, "P1 in the browser", Map.of("bwlimit", "800"));
    ProcedureRun run = ProcedureRun.request(console, json, planId);
    try (Browser operator = new Browser("http://localhost:" + port)) {
      operator.logIn("op1", DEMO_PASSWORD);
      operator.open("/runs/" + run.runId);
      operator.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".window-clock")));
      assertThat(operator.textOf(By.cssSelector(".window-clock"))).contains("Stop the applications").contains("3m")
          .contains("Final copy of the data");

      run.approveAll();
      run.until(WAIT, () -> run.stepState("pre-copy.copy").equals("RUNNING"), "the pre-copy");
      operator.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#run-progress .progress-row[data-step='pre-copy.copy']")));
      operator.waitUpTo(WAIT).until(d -> d.findElements(By.cssSelector("#run-progress .progress-rate")).stream()
          .anyMatch(e -> e.getText().endsWith("/s")));
      operator.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector(".ls-log-lines"), "rsync"));
      operator.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#run-progress"), "ETA"));
      assertThat(operator.textOf(By.cssSelector("#run-progress"))).contains("node-1 → node-4");
      operator.screenshot("p1-copy");
    } finally {
      console.postAs("op1", ProcedureRun.PW, "/api/runs/" + run.runId + "/abort", "{\"reason\":\"browser test over\"}");
    }
  }
}
