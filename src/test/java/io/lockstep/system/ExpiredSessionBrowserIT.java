package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The approver's session expires while a run page is open; they click Approve. Before, htmx put the
 * login form inside the run page, and logging in there landed on {@code /kubernetes/api-status?continue}
 * with the approval lost. Now the browser goes to the login page, the login brings it back to the
 * same run page, and nothing was half-done: no approval was recorded, so they approve again seeing
 * the plan version then shown.
 */
class ExpiredSessionBrowserIT extends LabConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static Browser approver;

  @LocalServerPort
  int port;

  @AfterAll
  static void close() {
    if (approver != null) {
      approver.close();
    }
  }

  @Test
  void anApprovalClickedAfterTheSessionExpiredLogsInAndReturnsToTheRunWithNothingRecorded() {
    ConsoleClient console = new ConsoleClient(port);
    String runId = awaitingApproval(console);
    approver = new Browser("http://localhost:" + port);
    approver.logIn("ap1", DEMO_PASSWORD);
    approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("dashboard")));
    approver.open("/runs/" + runId);
    WebElement form = approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("#phase-one .approve-form")));
    form.findElement(By.name("comment")).sendKeys("approved after a coffee");

    // the session ends behind the page's back (as a timeout or a console restart ends it)
    approver.driver().manage().deleteCookieNamed("LOCKSTEP_SESSION");
    form.findElement(By.cssSelector("button.approve")).click();

    approver.waitUpTo(WAIT).until(ExpectedConditions.urlContains("/login"));
    assertThat(approver.driver().findElements(By.id("run-status"))).as("no login form inside the run page").isEmpty();
    assertThat(approver.textOf(By.id("login-expired"))).contains("nothing was done");
    approver.driver().findElement(By.id("username")).sendKeys("ap1");
    approver.driver().findElement(By.id("password")).sendKeys(DEMO_PASSWORD);
    approver.driver().findElement(By.id("login-submit")).click();

    approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#phase-one .approve-form")));
    assertThat(approver.driver().getCurrentUrl()).endsWith("/runs/" + runId);
    JsonNode run = read(console.getAs("viewer", DEMO_PASSWORD, "/api/runs/" + runId));
    assertThat(run.get("run").get("state").asText()).isEqualTo("AWAITING_APPROVAL");
    for (JsonNode phase : run.get("phases")) {
      assertThat(phase.get("approvals")).as("phase " + phase.get("id")).isEmpty();
    }

    // An htmx request for something that is not there shows a notice over the page; nothing is swapped in.
    ((org.openqa.selenium.JavascriptExecutor) approver.driver())
        .executeScript("htmx.ajax('GET', '/runs/nope/status', {target: '#run-status', swap: 'outerHTML'});");
    approver.waitUpTo(WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#ls-notices .ls-error-notice")));
    assertThat(approver.textOf(By.cssSelector("#ls-notices .ls-error-notice"))).contains("There is no run \u201cnope\u201d.");
    assertThat(approver.driver().findElements(By.cssSelector("#run-status #error-page, #run-status .navbar"))).isEmpty();
    approver.screenshot("error-notice");

    // A page that is not there is a 404 page in the layout.
    approver.open("/runs/nope");
    assertThat(approver.textOf(By.id("error-page"))).contains("There is no run \u201cnope\u201d.");
    approver.driver().findElement(By.id("error-back")).click();
    approver.waitUpTo(WAIT).until(ExpectedConditions.urlMatches(".*/runs$"));
  }

  private static String awaitingApproval(ConsoleClient console) {
    HttpResponse<String> plan = console.postAs("op1", DEMO_PASSWORD, "/api/plans",
        "{\"procedure\":\"engine-test\",\"title\":\"expired session\",\"values\":{\"tag\":\"expiry\",\"password\":\"pw-expiry-1234\"}}");
    HttpResponse<String> run = console.postAs("op1", DEMO_PASSWORD, "/api/runs",
        "{\"planId\":\"" + read(plan).get("id").asText() + "\"}");
    String runId = read(run).get("run").get("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        read(console.getAs("viewer", DEMO_PASSWORD, "/api/runs/" + runId)).get("run").get("state").asText()
            .equals("AWAITING_APPROVAL"));
    return runId;
  }

  private static JsonNode read(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }
}
