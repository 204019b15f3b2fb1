package io.lockstep.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
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
    // a required password left empty is a problem, not "No problems"
    browser.waitUpTo(WAIT).ignoring(StaleElementReferenceException.class).until(d ->
        d.findElement(By.id("plan-check")).getText().contains("'ssh_password' needs a value"));
    browser.driver().findElement(By.id("value-ssh_password")).sendKeys("lab-root-secret");

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

  /**
   * At 1024×768 the navbar keeps "Log out" on screen and the replica table shows its target and
   * problems columns; "Map a whole node" shows that it is busy, a second map clicked during the
   * first is queued rather than lost, and the "goes to" choice stays. Screenshots at 1024×768 and
   * 1440×900, English and Chinese, go to the build's screenshots.
   */
  @Test
  void atASmallWindowThePlannerShowsEveryColumnAndLosesNoClick() {
    try (Browser small = new Browser("http://localhost:" + port)) {
      WebDriver d = small.driver();
      small.logIn("op1", DEMO_PASSWORD);
      small.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("dashboard")));
      d.manage().window().setSize(new Dimension(1024, 768));
      for (String lang : new String[] {"zh-CN", "en"}) {
        small.open("/migration/new?lang=" + lang);
        small.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("replicas")));
        assertOnScreenAndClickable(small, By.cssSelector("form[action='/logout'] button"), lang + ": Log out");
        assertOnScreenAndClickable(small, By.cssSelector("#replicas thead th:nth-child(4)"), lang + ": target column");
        assertOnScreenAndClickable(small, By.cssSelector("#replicas thead th:nth-child(5)"), lang + ": problems column");
        assertThat(number(d, "var t = document.getElementById('replica-table'); return t.scrollWidth - t.clientWidth;"))
            .as(lang + ": the replica table needs no horizontal scrolling").isLessThanOrEqualTo(0);
        assertThat(number(d, "var a = document.getElementById('plan-check').getBoundingClientRect();"
            + " var b = document.getElementById('save-plan').getBoundingClientRect();"
            + " return (a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top) ? 0 : 1;"))
            .as(lang + ": Save does not overlap the check panel").isZero();
      }

      // Two maps, the second clicked while the first is on its way (in one script, so it surely is),
      // with what the page showed meanwhile recorded.
      ((JavascriptExecutor) d).executeScript("window.lsSeen = {busy: false, saveDisabled: false};"
          + " new MutationObserver(function () {"
          + "   if (document.getElementById('map-busy').classList.contains('htmx-request')) { lsSeen.busy = true; }"
          + "   if (document.getElementById('save-plan').disabled) { lsSeen.saveDisabled = true; }"
          + " }).observe(document.getElementById('planner-form'), {attributes: true, subtree: true});"
          + " var from = document.getElementById('map-from'), to = document.getElementById('map-to');"
          + " var map = document.getElementById('map-apply');"
          + " from.value = 'node-1'; to.value = 'node-4'; map.click();"
          + " from.value = 'node-2'; to.value = 'node-5'; map.click();");

      small.waitUpTo(WAIT).ignoring(StaleElementReferenceException.class).until(x ->
          "node-4".equals(selected(x, "target-kafka-0")) && "node-5".equals(selected(x, "target-kafka-1")));
      small.waitUpTo(WAIT).until(x -> !x.findElement(By.id("map-busy")).getAttribute("class").contains("htmx-request"));
      assertThat(number(d, "return lsSeen.busy ? 1 : 0;")).as("the map showed it was busy").isEqualTo(1);
      assertThat(number(d, "return lsSeen.saveDisabled ? 1 : 0;")).as("Save waited for the map").isEqualTo(1);
      assertThat(d.findElement(By.id("save-plan")).isEnabled()).isTrue();
      assertThat(new Select(d.findElement(By.id("map-to"))).getFirstSelectedOption().getAttribute("value"))
          .as("the goes-to choice stays after a map").isEqualTo("node-5");
      assertThat(new Select(d.findElement(By.id("map-from"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("node-2");

      for (String lang : new String[] {"en", "zh-CN"}) {
        small.open("/migration/new?lang=" + lang);
        small.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("replicas")));
        d.manage().window().setSize(new Dimension(1024, 768));
        showTheReplicas(d);
        small.screenshot("planner-1024x768-" + lang);
        d.manage().window().setSize(new Dimension(1440, 900));
        showTheReplicas(d);
        small.screenshot("planner-1440x900-" + lang);
        assertOnScreenAndClickable(small, By.cssSelector("form[action='/logout'] button"), lang + " 1440: Log out");
      }
      small.open("/migration/new?lang=en");
    }
  }

  /** The parameters folded, the replica table at the top of the window. */
  private static void showTheReplicas(WebDriver d) {
    ((JavascriptExecutor) d).executeScript("document.getElementById('parameters').open = false;"
        + " document.getElementById('planner-body').scrollIntoView();");
  }

  private static String selected(WebDriver d, String id) {
    return new Select(d.findElement(By.id(id))).getFirstSelectedOption().getAttribute("value");
  }

  private static long number(WebDriver d, String script) {
    return ((Number) ((JavascriptExecutor) d).executeScript(script)).longValue();
  }

  /** Inside the window's width, and the element a click at its centre lands on. */
  private static void assertOnScreenAndClickable(Browser b, By by, String what) {
    WebElement e = b.driver().findElement(by);
    ((JavascriptExecutor) b.driver()).executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
    Object hit = ((JavascriptExecutor) b.driver()).executeScript(
        "var r = arguments[0].getBoundingClientRect(); var w = document.documentElement.clientWidth;"
            + " if (r.width === 0 || r.left < 0 || r.right > w) return 'outside: ' + r.left + '..' + r.right + ' of ' + w;"
            + " var at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);"
            + " return at === arguments[0] || arguments[0].contains(at) ? 'ok' : 'covered by ' + (at ? at.outerHTML.substring(0, 80) : null);",
        e);
    assertThat(hit).as(what).isEqualTo("ok");
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
