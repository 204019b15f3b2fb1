package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.procedure.Durations;
import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import io.lockstep.testing.PdfText;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The run screen in real headless Chromium, two people at once (op1 requested the demo run, ap1
 * approves): the approver's half-typed comment and the operator's ticks survive many live updates;
 * the header names who the run waits for; the downtime clock ticks during an approval wait without
 * a reload; header, clock, API and PDF show one downtime; screenshots at two sizes in two languages.
 */
class RunScreenBrowserIT extends LabConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PW = DEMO_PASSWORD;
  private final int port;
  private final ObjectMapper json;
  private final ConsoleClient api;

  @Autowired
  RunScreenBrowserIT(@Value("${local.server.port}") int port, ObjectMapper json) {
    this.port = port;
    this.json = json;
    this.api = new ConsoleClient(port);
  }

  private JsonNode details(String runId) {
    return json.readTree(api.getAs("op1", PW, "/api/runs/" + runId).body());
  }

  private void post(String user, String path, String body) {
    HttpResponse<String> res = api.postAs(user, PW, path, body);
    assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
  }

  private void approve(String runId, String phase) {
    String hash = details(runId).get("plan").get("hash").asText();
    post("ap2", "/api/runs/" + runId + "/phases/" + phase + "/approve", "{\"comment\":\"ok\",\"planHash\":\"" + hash + "\"}");
  }

  /** op1 plans the demo procedure and requests a run of it: the run's id. */
  private String demoRun(String title) {
    HttpResponse<String> plan = api.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"demo-node-check\",\"title\":\"" + title + "\",\"values\":{}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    HttpResponse<String> requested = api.postAs("op1", PW, "/api/runs",
        "{\"planId\":\"" + json.readTree(plan.body()).get("id").asText() + "\"}");
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
    return json.readTree(requested.body()).get("run").get("id").asText();
  }

  private static int refreshes(Browser browser) {
    String n = browser.driver().findElement(By.tagName("html")).getAttribute("data-ls-refreshes");
    return n == null ? 0 : Integer.parseInt(n);
  }

  private static String waitingFor(Browser browser) {
    return browser.driver().findElement(By.id("run-headline")).getAttribute("data-waiting-for");
  }

  private static void waitForHeadline(Browser browser, String kind, String waitingFor) {
    browser.waitUpTo(WAIT).until(d -> {
      WebElement head = d.findElement(By.id("run-headline"));
      return kind.equals(head.getAttribute("data-kind")) && waitingFor.equals(head.getAttribute("data-waiting-for"));
    });
  }

  private static String says(Browser browser) {
    return browser.driver().findElement(By.cssSelector("#run-headline .run-says")).getText();
  }

  /**
   * A refresh that brings nothing new swaps nothing, also for parts holding a {@code <time>} that
   * the browser shows in its own zone (the page's copy differs from the server's in its text).
   */
  @Test
  void aRefreshWithNothingNewSwapsNoPart() {
    String runId = demoRun("quiet refresh");
    // paused: the header says who paused and when, a <time> inside a live part
    post("op2", "/api/runs/" + runId + "/pause", "{}");
    try (Browser operator = new Browser("http://localhost:" + port)) {
      operator.logIn("op1", PW);
      operator.open("/runs/" + runId);
      waitForHeadline(operator, "PAUSED", "you");
      assertThat(operator.driver().findElements(By.cssSelector("[data-ls-part] time[data-localtime]")))
          .as("times inside live parts, shown in the browser's zone").isNotEmpty();
      for (int i = 1; i <= 3; i++) {
        int before = refreshes(operator);
        ((JavascriptExecutor) operator.driver()).executeScript(
            "htmx.trigger(document.getElementById('run-live'), 'ls-run-changed');");
        operator.waitUpTo(WAIT).until(d -> refreshes(operator) > before);
      }
      assertThat(operator.driver().findElement(By.tagName("html")).getAttribute("data-ls-swaps"))
          .as("parts swapped by refreshes that brought nothing new").isNull();
    } finally {
      api.postAs("op1", PW, "/api/runs/" + runId + "/abort", "{\"reason\":\"done\"}");
    }
  }

  @Test
  void twoPeopleWatchTheRunScreenThroughTheWindow() {
    String runId = demoRun("run screen");

    try (Browser operator = new Browser("http://localhost:" + port);
        Browser approver = new Browser("http://localhost:" + port)) {
      operator.logIn("op1", PW);
      approver.logIn("ap1", PW);
      operator.open("/runs/" + runId);
      approver.open("/runs/" + runId);

      // Approval: the approver is asked, the requester is told whom the run waits for.
      waitForHeadline(approver, "APPROVAL", "you");
      assertThat(says(approver)).isEqualTo("Waiting for your approval of phase 1 — Check the nodes");
      assertThat(approver.driver().findElement(By.cssSelector("#run-headline a.run-next")).getAttribute("href"))
          .endsWith("#phase-check-nodes");
      waitForHeadline(operator, "APPROVAL", "ap1, ap2 or lead");
      assertThat(says(operator)).isEqualTo("Waiting for ap1, ap2 or lead to approve phase 1 — Check the nodes");

      // ap1 starts a comment on the last phase (approvable ahead) and leaves it half-typed.
      String comment = "looked at the replicas, half way through";
      WebElement commentBox = approver.driver().findElement(By.cssSelector("#phase-start-app .approve-form input[name=comment]"));
      commentBox.sendKeys(comment);
      int approverBefore = refreshes(approver);

      // ap2 approves the first three phases by the API: the run goes on to the manual checklist.
      approve(runId, "check-nodes");
      approve(runId, "stop-app");
      approve(runId, "maintenance");
      operator.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("form.confirm-form")));

      // Manual step: the operator is asked, the approver is told who ticks.
      waitForHeadline(operator, "MANUAL", "you");
      assertThat(says(operator)).startsWith("Waiting for you to tick the checklist of ");
      waitForHeadline(approver, "MANUAL", "op1, lead or op2");
      assertThat(says(approver)).startsWith("Waiting for op1, lead or op2 to tick the checklist of ");

      WebElement tick = operator.driver().findElement(By.cssSelector("form.confirm-form input[name=checked]"));
      tick.click();
      int operatorBefore = refreshes(operator);

      // op2 asks for a pause and withdraws it, again and again: every change refreshes both pages.
      int rounds = 0;
      while ((refreshes(operator) < operatorBefore + 10 || refreshes(approver) < approverBefore + 12) && rounds < 20) {
        int op = refreshes(operator);
        int ap = refreshes(approver);
        post("op2", "/api/runs/" + runId + (rounds % 2 == 0 ? "/pause" : "/resume"), "{}");
        operator.waitUpTo(WAIT).until(d -> refreshes(operator) > op);
        approver.waitUpTo(WAIT).until(d -> refreshes(approver) > ap);
        rounds++;
      }
      if (rounds % 2 == 1) {
        post("op2", "/api/runs/" + runId + "/resume", "{}");
      }
      assertThat(refreshes(operator) - operatorBefore).as("live updates on the operator's page").isGreaterThanOrEqualTo(10);
      assertThat(refreshes(approver) - approverBefore).as("live updates on the approver's page").isGreaterThanOrEqualTo(10);
      assertThat(approver.driver().findElement(By.cssSelector("#phase-start-app .approve-form input[name=comment]"))
          .getAttribute("value")).as("the approver's half-typed comment").isEqualTo(comment);
      assertThat(operator.driver().findElement(By.cssSelector("form.confirm-form input[name=checked]")).isSelected())
          .as("the operator's tick").isTrue();
      assertThat(approver.driver().findElement(By.tagName("html")).getAttribute("data-ls-swaps")).isNotNull();

      // The operator confirms; the run waits for the approval of start-app inside the downtime.
      operator.driver().findElement(By.cssSelector("form.confirm-form button.confirm")).click();
      waitForHeadline(approver, "APPROVAL", "you");
      assertThat(says(approver)).isEqualTo("Waiting for your approval of phase 4 — Start the application");

      // The clock ticks on its own during the wait: no reload (the marker stays), no refresh needed.
      ((JavascriptExecutor) operator.driver()).executeScript("window.lsNotReloaded = true;");
      String first = operator.driver().findElement(By.cssSelector("#run-clock .run-downtime")).getText();
      operator.waitUpTo(Duration.ofSeconds(10)).until(d ->
          Durations.parse(d.findElement(By.cssSelector("#run-clock .run-downtime")).getText()).compareTo(Durations.parse(first)) > 0);
      assertThat(((JavascriptExecutor) operator.driver()).executeScript("return window.lsNotReloaded === true;")).isEqualTo(true);

      screenshots(operator, runId);

      // Paused by the operator in the page: the approver is told who paused, when, and who may resume; the
      // operator gets the button.
      operator.driver().findElement(By.cssSelector("#run-controls .run-pause")).click();
      waitForHeadline(approver, "PAUSED", "op1, lead or op2");
      assertThat(says(approver)).startsWith("Paused by op1: waiting for op1, lead or op2 to resume (paused at ")
          .endsWith(")");
      waitForHeadline(operator, "PAUSED", "you");
      operator.driver().findElement(By.cssSelector("#run-headline button.run-next")).click();
      waitForHeadline(approver, "APPROVAL", "you");

      // ap1 approves with the comment typed long before; the run ends.
      assertThat(approver.driver().findElement(By.cssSelector("#phase-start-app .approve-form input[name=comment]"))
          .getAttribute("value")).isEqualTo(comment);
      approver.driver().findElement(By.cssSelector("#phase-start-app .approve-form button.approve")).click();
      operator.waitUpTo(WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(ExpectedConditions.attributeToBe(By.cssSelector("#run-headline .run-state"), "data-state", "SUCCEEDED"));
      // the approver's page may still be swapping the phase in (a live update): read it without racing the swap
      approver.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#phase-start-app li.approval"), comment));

      // One downtime: header, window clock, API (both figures) and PDF.
      JsonNode d = details(runId);
      long seconds = d.get("downtimeSeconds").asLong();
      assertThat(d.get("window").get("downtimeSeconds").asLong()).isEqualTo(seconds);
      String shown = Durations.format(Duration.ofSeconds(seconds));
      operator.driver().navigate().refresh();
      assertThat(operator.textOf(By.cssSelector("#run-clock .run-downtime"))).isEqualTo(shown);
      assertThat(operator.driver().findElement(By.cssSelector(".window-clock .window-downtime")).getText()).isEqualTo(shown);
      HttpResponse<byte[]> pdf = api.bytesAs("op1", PW, "/api/runs/" + runId + "/audit.pdf");
      assertThat(pdf.statusCode()).isEqualTo(200);
      assertThat(PdfText.of(pdf.body()).squeezed()).contains("Downtimesofar" + shown);
    }
  }

  /** The page at 1024×768 and 1440×900, in English and Chinese: nothing wider than the window. */
  private static void screenshots(Browser browser, String runId) {
    for (String lang : new String[] {"en", "zh-CN"}) {
      browser.open("/runs/" + runId + "?lang=" + lang);
      for (int[] size : new int[][] {{1024, 768}, {1440, 900}}) {
        browser.driver().manage().window().setSize(new Dimension(size[0], size[1]));
        browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("run-headline")));
        browser.screenshot("run-screen-" + size[0] + "x" + size[1] + "-" + lang);
        // Nothing of the run page (the navigation bar is the layout's) reaches past the window's right edge.
        Object overflow = ((JavascriptExecutor) browser.driver()).executeScript(
            "var w = document.documentElement.clientWidth, worst = '';"
            + "document.querySelectorAll('#run-status *').forEach(function (e) {"
            + "  var r = e.getBoundingClientRect();"
            + "  if (r.width > 0 && r.right > w + 1 && !worst) { worst = e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(r.right); }"
            + "});"
            + "return worst;");
        assertThat(overflow).as("an element past the right edge at " + size[0] + " in " + lang).isEqualTo("");
      }
    }
    browser.open("/runs/" + runId + "?lang=en");
    browser.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("run-headline")));

    // Print: a summary — the header, the overview and the phases' heads; no buttons, forms or live log.
    org.openqa.selenium.chromium.HasCdp cdp = (org.openqa.selenium.chromium.HasCdp) browser.driver();
    cdp.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", "print"));
    try {
      assertThat(browser.driver().findElement(By.id("run-headline")).isDisplayed()).isTrue();
      assertThat(browser.driver().findElement(By.id("run-overview")).isDisplayed()).isTrue();
      assertThat(browser.driver().findElement(By.cssSelector(".ls-log")).isDisplayed()).as("the live log in print").isFalse();
      assertThat(browser.driver().findElement(By.id("run-controls")).isDisplayed()).as("buttons in print").isFalse();
      browser.screenshot("run-screen-print-en");
    } finally {
      cdp.executeCdpCommand("Emulation.setEmulatedMedia", java.util.Map.of("media", ""));
    }
  }
}
