package io.lockstep.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An operator plans the lab's migration in real headless Chromium: maps each old master onto a
 * new node, sees the problem when a replica lands next to another of its component, fixes it,
 * and saves. Its screenshot (in the build's screenshots) is the planner's picture in the docs.
 */
class PlannerBrowserIT extends LabConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Browser browser;

  @LocalServerPort
  int port;

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void anOperatorPlansTheMigrationInThePage() throws Exception {
    browser = new Browser("http://localhost:" + port);
    browser.logIn("op1", DEMO_PASSWORD);
    browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("dashboard")));
    browser.open("/plans/new?procedure=proton-node-migration");
    browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("replicas")));
    assertThat(browser.driver().getCurrentUrl()).endsWith("/migration/new");

    map("node-1", "node-4");
    map("node-2", "node-5");
    map("node-3", "node-6");
    waitForClean();
    assertThat(browser.textOf(By.id("summary-old"))).isEqualTo("node-1, node-2, node-3");
    assertThat(browser.textOf(By.id("summary-new"))).isEqualTo("node-4, node-5, node-6");
    assertThat(browser.driver().findElements(By.cssSelector("#moves-picture g.ls-move"))).hasSize(
        browser.driver().findElements(By.cssSelector("select.ls-target")).size());

    choose("kafka-1", "node-4");
    browser.waitUpTo(WAIT).ignoring(StaleElementReferenceException.class).until(d ->
        d.findElement(By.id("problems-kafka-1")).getText().contains("at most one replica of a component per node"));
    assertThat(browser.textOf(By.id("problems-kafka-0"))).contains("kafka would run two replicas on node-4");
    assertThat(browser.textOf(By.id("plan-check"))).contains("kafka-1: kafka would run two replicas on node-4");
    assertThat(browser.driver().findElements(By.id("save-plan"))).hasSize(1);

    choose("kafka-1", "node-5");
    waitForClean();
    assertThat(browser.driver().findElement(By.id("problems-kafka-1")).getText()).isEmpty();

    browser.driver().findElement(By.id("title")).sendKeys("Retire node-1..3 (browser)");
    browser.driver().findElement(By.id("value-ssh_password")).sendKeys("lab-root-secret");
    waitForClean();
    browser.driver().manage().window().setSize(new Dimension(1440, 1900));
    // into the build's screenshots, like every browser test; docs/planner.png is copied from there by hand
    browser.screenshot("planner");
    browser.driver().manage().window().setSize(new Dimension(1440, 1000));

    browser.driver().findElement(By.id("save-plan")).click();
    browser.waitUpTo(WAIT).until(ExpectedConditions.urlMatches(".*/plans/plan-\\d+$"));
    assertThat(browser.textOf(By.cssSelector("h1.title"))).contains("Retire node-1..3 (browser)");
    assertThat(browser.driver().getPageSource()).doesNotContain("lab-root-secret");
  }

  private static void map(String from, String to) {
    WebDriver d = browser.driver();
    new Select(d.findElement(By.id("map-from"))).selectByValue(from);
    new Select(d.findElement(By.id("map-to"))).selectByValue(to);
    d.findElement(By.id("map-apply")).click();
    String replica = switch (from) {
      case "node-1" -> "kafka-0";
      case "node-2" -> "kafka-1";
      default -> "kafka-2";
    };
    browser.waitUpTo(WAIT).ignoring(StaleElementReferenceException.class).until(x ->
        to.equals(new Select(x.findElement(By.id("target-" + replica))).getFirstSelectedOption().getAttribute("value")));
  }

  private static void choose(String replica, String node) {
    browser.waitUpTo(WAIT).ignoring(StaleElementReferenceException.class).until(d -> {
      new Select(d.findElement(By.id("target-" + replica))).selectByValue(node);
      return true;
    });
  }

  private static void waitForClean() {
    try {
      browser.waitUpTo(WAIT).ignoring(StaleElementReferenceException.class)
          .until(ExpectedConditions.presenceOfElementLocated(By.id("plan-clean")));
    } catch (org.openqa.selenium.TimeoutException e) {
      browser.screenshot("planner-not-clean");
      throw new AssertionError("the plan did not come out clean: " + browser.textOf(By.id("plan-check")), e);
    }
  }
}
