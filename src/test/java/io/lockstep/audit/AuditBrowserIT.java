package io.lockstep.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A viewer at the audit page in real headless Chromium: htmx filters, paging and verify. */
class AuditBrowserIT extends LabConsoleTest {

  static Browser browser;

  @LocalServerPort
  int port;

  @Autowired
  AuditLog log;

  @Autowired
  JdbcClient jdbc;

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void aViewerFiltersPagesAndVerifiesTheTrailAndSeesTheFirstBrokenRow() {
    String run = "r-" + UUID.randomUUID().toString().substring(0, 8);
    for (int i = 1; i <= 60; i++) {
      log.append("STEP_FINISHED", "system", run, "停止应用服务 step " + i, Map.of("exit", 0));
    }
    browser = new Browser("http://localhost:" + port);
    browser.logIn("viewer", DEMO_PASSWORD);
    browser.open("/audit");
    browser.driver().findElement(By.id("f-run")).sendKeys(run);
    browser.driver().findElement(By.id("apply-filter")).click();
    browser.waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("run=" + run));
    browser.waitUpTo(Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d -> "60".equals(d.findElement(By.id("audit-total")).getAttribute("data-total")));
    // htmx swaps the rows after the total: wait until the page shows this run's rows only.
    browser.waitUpTo(Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
        .until(d -> rows().size() == 50 && rows().stream().allMatch(row -> row.getText().contains(run)));
    assertThat(rows().get(0).getText()).contains("step 60");

    browser.driver().findElement(By.id("page-next")).click();
    browser.waitUpTo(Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
        .until(d -> rows().size() == 10 && rows().get(9).getText().contains("step 1"));

    browser.driver().findElement(By.id("verify-chain")).click();
    WebElement ok = browser.waitUpTo(Duration.ofSeconds(20))
        .until(ExpectedConditions.visibilityOfElementLocated(By.id("verification")));
    assertThat(ok.getAttribute("data-ok")).isEqualTo("true");
    browser.screenshot("audit");

    long victim = log.page(AuditFilter.forRun(run), AuditOrder.OLDEST_FIRST, 16, 1).entries().get(0).seq();
    String original = jdbc.sql("SELECT summary FROM audit_event WHERE seq = ?").param(victim).query(String.class).single();
    jdbc.sql("UPDATE audit_event SET summary = 'nothing to see' WHERE seq = ?").param(victim).update();
    try {
      browser.driver().findElement(By.id("verify-chain")).click();
      WebElement broken = browser.waitUpTo(Duration.ofSeconds(20)).until(d -> {
        WebElement v = d.findElement(By.id("verification"));
        return "false".equals(v.getAttribute("data-ok")) ? v : null;
      });
      assertThat(broken.getText()).contains("row " + victim + ": hash does not match its content");
      WebElement row = browser.driver().findElement(By.id("broken-row"));
      assertThat(row.getAttribute("data-seq")).isEqualTo(String.valueOf(victim));
      browser.screenshot("audit-broken");
    } finally {
      jdbc.sql("UPDATE audit_event SET summary = ? WHERE seq = ?").param(original).param(victim).update();
    }
    assertThat(log.verify().ok()).isTrue();
  }

  private java.util.List<WebElement> rows() {
    return browser.driver().findElements(By.cssSelector("#audit-table tbody tr[data-seq]"));
  }
}
