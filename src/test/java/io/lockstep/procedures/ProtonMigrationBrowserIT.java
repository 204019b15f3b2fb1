package io.lockstep.procedures;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.MigrationPlans;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
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

  /**
   * The bars move while one copy runs (several distinct byte counts seen on one bar before its row
   * ends), without a reload and not only at step boundaries; the bars alone answer 200.
   */
  @Test
  void theBarsMoveWhileOneCopyRuns() {
    String planId = MigrationPlans.retireOldMasters(console, "P1 progress", Map.of("bwlimit", "400"));
    ProcedureRun run = ProcedureRun.request(console, json, planId);
    try (Browser operator = new Browser("http://localhost:" + port)) {
      operator.logIn("op1", DEMO_PASSWORD);
      operator.open("/runs/" + run.runId);
      ((org.openqa.selenium.JavascriptExecutor) operator.driver()).executeScript("window.lsNotReloaded = true;");
      run.approveAll();
      run.until(WAIT, () -> run.stepState("pre-copy.copy").equals("RUNNING"), "the pre-copy");

      // The byte counts one bar shows while its row is still copying.
      Map<String, Set<String>> seen = new HashMap<>();
      operator.waitUpTo(WAIT).pollingEvery(Duration.ofMillis(200)).until(d -> {
        for (WebElement bar : d.findElements(By.cssSelector("#run-progress .progress-row[data-step='pre-copy.copy']"))) {
          try {
            if (bar.getText().contains("done")) {
              continue;
            }
            seen.computeIfAbsent(bar.getAttribute("data-part"), k -> new HashSet<>()).add(bar.getAttribute("data-done"));
          } catch (org.openqa.selenium.StaleElementReferenceException e) {
            // swapped meanwhile: read again next time
          }
        }
        return seen.values().stream().anyMatch(values -> values.size() >= 3);
      });
      assertThat(run.stepState("pre-copy.copy")).as("still the same copy").isEqualTo("RUNNING");
      assertThat(((org.openqa.selenium.JavascriptExecutor) operator.driver())
          .executeScript("return window.lsNotReloaded === true;")).isEqualTo(true);

      ConsoleClient page = new ConsoleClient(port);
      page.logIn("op1", DEMO_PASSWORD);
      HttpResponse<String> bars = page.page("/runs/" + run.runId + "/progress");
      assertThat(bars.statusCode()).isEqualTo(200);
      assertThat(bars.body()).contains("progress-row").contains("data-step=\"pre-copy.copy\"");
    } finally {
      console.postAs("op1", ProcedureRun.PW, "/api/runs/" + run.runId + "/abort", "{\"reason\":\"browser test over\"}");
    }
  }
}
