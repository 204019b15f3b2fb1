package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The demo procedure end to end in real headless Chromium, by two people: op1 plans and requests
 * the run and watches it; ap1 sees the approval waiting on the dashboard, reviews what each phase
 * will do and approves it; op1 sees the log lines arrive and confirms the manual checkpoint; the
 * application is back at its replicas at the end.
 */
class RunBrowserIT extends LabConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  static Browser operator;
  static Browser approver;

  @LocalServerPort
  int port;

  private final Kubernetes kubernetes;

  @Autowired
  RunBrowserIT(Kubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @AfterAll
  static void close() {
    if (operator != null) {
      operator.close();
    }
    if (approver != null) {
      approver.close();
    }
  }

  private int messageCenterReplicas() {
    return kubernetes.client().apps().deployments().inNamespace("anyshare").withName("message-center").get()
        .getSpec().getReplicas();
  }

  /** Waits for the live page to show {@code state}; on a timeout says whether a reload shows it (a missed live update). */
  private static void waitForState(Browser browser, String state) {
    try {
      browser.waitUpTo(WAIT).until(ExpectedConditions.attributeToBe(By.cssSelector("#run-status .run-state"), "data-state", state));
    } catch (RuntimeException e) {
      String live = browser.driver().findElement(By.cssSelector("#run-status")).getText();
      browser.driver().navigate().refresh();
      String reloaded = browser.driver().findElement(By.cssSelector("#run-status")).getText();
      throw new AssertionError("the run page did not show " + state + "; live page:\n" + live
          + "\nafter a reload:\n" + reloaded, e);
    }
  }

  private static void waitForPhaseForm(Browser browser, String phase) {
    browser.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#phase-" + phase + " .approve-form button.approve")));
  }

  /** Approves in the page; the status section may be swapped by a live refresh meanwhile, so it retries. */
  private static void approve(Browser browser, String phase, String comment) {
    waitForPhaseForm(browser, phase);
    browser.waitUpTo(WAIT).ignoring(StaleElementReferenceException.class)
        .ignoring(ElementNotInteractableException.class).until(d -> {
      if (!d.findElements(By.cssSelector("#phase-" + phase + " li.approval")).isEmpty()) {
        return true;
      }
      WebElement form = d.findElement(By.cssSelector("#phase-" + phase + " .approve-form"));
      form.findElement(By.name("comment")).sendKeys(comment);
      form.findElement(By.cssSelector("button.approve")).click();
      return false;
    });
  }

  @Test
  void twoPeopleRunTheDemoProcedure() {
    int replicas = messageCenterReplicas();
    assertThat(replicas).isPositive();
    operator = new Browser("http://localhost:" + port);
    approver = new Browser("http://localhost:" + port);

    operator.logIn("op1", DEMO_PASSWORD);
    operator.open("/plans");
    operator.driver().findElement(By.cssSelector("a.new-plan[data-procedure='demo-node-check']")).click();
    operator.driver().findElement(By.id("title")).sendKeys("Browser rehearsal");
    operator.driver().findElement(By.cssSelector("form.plan-form button[type=submit]")).click();
    operator.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button.request-run")));
    operator.driver().findElement(By.cssSelector("button.request-run")).click();
    waitForState(operator, "AWAITING_APPROVAL");
    String runUrl = operator.driver().getCurrentUrl();
    String runId = runUrl.substring(runUrl.lastIndexOf('/') + 1);
    assertThat(operator.driver().findElements(By.cssSelector(".approve-form")))
        .as("the requester gets no approval form").isEmpty();

    approver.logIn("ap1", DEMO_PASSWORD);
    approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li.approval-waiting[data-run='" + runId + "'][data-phase='check-nodes']")));
    approver.waitUpTo(WAIT).until(d -> !d.findElement(By.id("approval-badge")).getText().equals("0"));
    approver.driver().findElement(By.cssSelector("li.approval-waiting[data-run='" + runId + "'] a")).click();
    waitForPhaseForm(approver, "check-nodes");
    approver.driver().findElement(By.cssSelector("#phase-check-nodes a.show-preview")).click();
    approver.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector("#phase-check-nodes .preview"), "systemctl is-active kubelet"));
    assertThat(approver.textOf(By.cssSelector("#phase-check-nodes .preview"))).contains("node-6");
    approve(approver, "check-nodes", "read-only checks");

    // The operator's page shows the nodes' answers as they arrive.
    operator.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".ls-log-lines"), "active"));
    operator.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector(".ls-log-lines"), "/sysvol"));

    approve(approver, "stop-app", "stop message-center");
    approve(approver, "maintenance", "marker and check");
    operator.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.confirm-form")));
    assertThat(messageCenterReplicas()).isZero();
    assertThat(operator.textOf(By.cssSelector("#phase-maintenance .manual"))).contains("lockstep-demo-" + runId);
    operator.screenshot("run");
    operator.driver().findElement(By.cssSelector("form.confirm-form input[name=checked]")).click();
    operator.driver().findElement(By.cssSelector("form.confirm-form button.confirm")).click();

    approve(approver, "start-app", "bring it back");
    waitForState(operator, "SUCCEEDED");
    assertThat(messageCenterReplicas()).isEqualTo(replicas);
    assertThat(operator.driver().findElements(By.cssSelector("tr.step[data-state='SUCCEEDED']"))).hasSize(8);
    operator.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".ls-log-end")));
  }
}
