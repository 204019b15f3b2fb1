package io.lockstep.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.system.Role;
import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.ObjectMapper;

/**
 * Adversary (issue 14), in real Chromium: the approver reads and types while the operator edits the
 * plan. What ap1 reads must be the version ap1 approves, and a refusal of a stale form must be seen.
 */
class RunScreenAdversaryBrowserIT extends LabConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PW = DEMO_PASSWORD;
  private final int port;
  private final ObjectMapper json;
  private final Plans plans;
  private final Runs runs;

  @Autowired
  RunScreenAdversaryBrowserIT(@Value("${local.server.port}") int port, ObjectMapper json, Plans plans, Runs runs) {
    this.runs = runs;
    this.port = port;
    this.json = json;
    this.plans = plans;
  }

  @Test
  void aPlanEditTakesTheOldPreviewAwayAndAStaleApprovalIsRefusedVisibly() {
    ConsoleClient api = new ConsoleClient(port);
    HttpResponse<String> created = api.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"demo-node-check\",\"title\":\"adversary screen\",\"values\":{}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String planId = json.readTree(created.body()).get("id").asText();
    HttpResponse<String> requested = api.postAs("op1", PW, "/api/runs", "{\"planId\":\"" + planId + "\"}");
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
    String runId = json.readTree(requested.body()).get("run").get("id").asText();
    Actor op1 = Actor.of("op1", Role.OPERATOR);

    try (Browser approver = new Browser("http://localhost:" + port)) {
      approver.logIn("ap1", PW);
      approver.open("/runs/" + runId);
      Plan v1 = plans.get(planId);
      String form1 = "#approve-check-nodes-" + v1.shortHash();
      approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(form1)));

      // ap1 reads what phase 1 will do with version 1: every node, node-6 too.
      approver.driver().findElement(By.cssSelector("#phase-check-nodes a.show-preview")).click();
      approver.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
          By.cssSelector("#phase-check-nodes .preview"), "node-6"));

      // op1 narrows the plan to two nodes: the live update brings the form for version 2 ...
      Plan v2 = plans.edit(op1, planId, v1.version(), null, Map.of("nodes", List.of("node-1", "node-2")), null);
      approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#approve-check-nodes-" + v2.shortHash())));
      // ... and no preview of version 1 stays beside it
      assertThat(approver.driver().findElements(By.cssSelector("#phase-check-nodes .preview")))
          .as("the preview ap1 read was of version 1; the form approves version 2").isEmpty();

      // The stream drops (a flaky network): op1 edits again, ap1's page still shows version 2's form.
      ((JavascriptExecutor) approver.driver()).executeScript("window.lockstepRunChanges.close();");
      Plan v3 = plans.edit(op1, planId, v2.version(), null, Map.of("nodes", List.of("node-1", "node-3")), null);
      approver.driver().findElement(By.cssSelector("#approve-check-nodes-" + v2.shortHash() + " input[name=comment]"))
          .sendKeys("two nodes are enough");
      approver.driver().findElement(By.cssSelector("#approve-check-nodes-" + v2.shortHash() + " button.approve")).click();

      // The console refuses version 2's approval, and says so where ap1 tried, next to version 3's form.
      approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(
          By.cssSelector("#approve-check-nodes-" + v3.shortHash())));
      approver.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
          By.id("refusal-approve-check-nodes"), "the plan changed since it was reviewed"));
      assertThat(plans.get(planId).version()).isEqualTo(v3.version());
      assertThat(runs.approvals(runId)).as("nothing was approved").isEmpty();
    } finally {
      api.postAs("op1", PW, "/api/runs/" + runId + "/abort", "{\"reason\":\"test over\"}");
    }
  }

  /**
   * ap1 types an approval of the last phase while the stream is down; ap2 approves it meanwhile. The
   * answer's parts take ap1's form away (nothing is left to approve) and the refusal must still be
   * seen, not swapped into the removed form.
   */
  @Test
  void aRefusalWhoseFormIsGoneIsStillShown() {
    ConsoleClient api = new ConsoleClient(port);
    HttpResponse<String> created = api.postAs("op1", PW, "/api/plans",
        "{\"procedure\":\"demo-node-check\",\"title\":\"adversary gone\",\"values\":{}}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String planId = json.readTree(created.body()).get("id").asText();
    HttpResponse<String> requested = api.postAs("op1", PW, "/api/runs", "{\"planId\":\"" + planId + "\"}");
    assertThat(requested.statusCode()).as(requested.body()).isEqualTo(201);
    String runId = json.readTree(requested.body()).get("run").get("id").asText();

    try (Browser approver = new Browser("http://localhost:" + port)) {
      approver.logIn("ap1", PW);
      approver.open("/runs/" + runId);
      Plan v1 = plans.get(planId);
      String form = "#approve-start-app-" + v1.shortHash();
      approver.waitUpTo(WAIT).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(form)));
      ((JavascriptExecutor) approver.driver()).executeScript("window.lockstepRunChanges.close();");

      runs.approve(Actor.of("ap2", Role.APPROVER), runId, "start-app", "ok", v1.hash());
      approver.driver().findElement(By.cssSelector(form + " input[name=comment]")).sendKeys("fine by me");
      approver.driver().findElement(By.cssSelector(form + " button.approve")).click();

      approver.waitUpTo(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(
          By.id("run-refusal"), "already approved by ap2"));
      assertThat(approver.driver().findElements(By.cssSelector(form))).as("nothing left to approve").isEmpty();
    } finally {
      api.postAs("op1", PW, "/api/runs/" + runId + "/abort", "{\"reason\":\"test over\"}");
    }
  }
}
