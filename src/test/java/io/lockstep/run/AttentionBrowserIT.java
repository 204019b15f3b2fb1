package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.system.Role;
import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The badge and the dashboard in real headless Chromium, kept live: ap1 sees the approval that
 * blocks a run now in red, apart from the approvals ahead; op1's dashboard and badge show, without a
 * reload, the manual step that waits for op1's checklist.
 */
class AttentionBrowserIT extends LabConsoleTest {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final Actor OP1 = Actor.of("op1", Role.OPERATOR);
  static final Actor AP1 = Actor.of("ap1", Role.APPROVER);

  @LocalServerPort
  int port;

  private final Plans plans;
  private final Runs runs;
  private Browser browser;
  private String runId;

  @Autowired
  AttentionBrowserIT(Plans plans, Runs runs) {
    this.plans = plans;
    this.runs = runs;
  }

  @AfterEach
  void close() {
    if (browser != null) {
      browser.close();
    }
    if (runId != null && !runs.get(runId).isFinal()) {
      runs.abort(OP1, runId, "test over");
    }
  }

  @Test
  void theBadgeShowsWhatBlocksARunNowApartAndAWaitingChecklistArrivesLive() {
    TestSteps.reset();
    String tag = "br" + UUID.randomUUID().toString().substring(0, 6);
    Plan plan = plans.create(OP1, "engine-test", "attention " + tag, Map.of("password", "pw-" + tag + "-1234",
        "tag", tag), null);
    runId = runs.request(OP1, plan.id()).id();
    await().atMost(WAIT).until(() -> runs.get(runId).state() == Run.State.AWAITING_APPROVAL);

    browser = new Browser("http://localhost:" + port);
    browser.logIn("ap1", DEMO_PASSWORD);
    browser.open("/");
    browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("ul.waiting-now li.approval-waiting[data-run='" + runId + "'][data-phase='one']")));
    assertThat(browser.driver().findElements(
        By.cssSelector("ul.waiting-ahead li.approval-waiting[data-run='" + runId + "']")))
        .extracting(e -> e.getAttribute("data-phase")).containsExactly("two", "three");
    browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("approval-badge")));
    WebElement now = browser.driver().findElement(By.id("approval-badge"));
    assertThat(now.getAttribute("class")).contains("is-danger");
    assertThat(Integer.parseInt(now.getText())).isPositive();
    assertThat(now.getAttribute("title")).contains(runId + " · Engine test · Phase one");
    WebElement ahead = browser.driver().findElement(By.id("approval-badge-ahead"));
    assertThat(ahead.getText()).startsWith("+");
    assertThat(ahead.getAttribute("title")).contains(runId + " · Engine test · Phase two");
    browser.close();

    browser = new Browser("http://localhost:" + port);
    browser.logIn("op1", DEMO_PASSWORD);
    browser.open("/");
    browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#dashboard")));
    assertThat(browser.driver().findElements(By.cssSelector("li.checklist-waiting[data-run='" + runId + "']")))
        .isEmpty();
    runs.approve(AP1, runId, "one", "ok", plan.hash());
    runs.approve(AP1, runId, "two", "ok", plan.hash());
    TestSteps.open("one-" + tag + "-" + runId);
    TestSteps.open("two-" + tag + "-" + runId);
    browser.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector("li.checklist-waiting[data-run='" + runId + "']"),
        "Run " + runId + " waits for you to tick the checklist of check"));
    browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("approval-badge")));
    assertThat(browser.driver().findElement(By.id("approval-badge")).getAttribute("title"))
        .contains(runId + " · Engine test · check");
  }
}
