package io.lockstep.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.audit.AuditLog;
import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A reader in UTC+8 (Chromium started with {@code TZ=Asia/Shanghai}) sees the audit trail's times in
 * their own zone, with the UTC time on hover, also in rows htmx swapped in after a filter.
 */
class LocalTimeBrowserIT extends LabConsoleTest {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(SHANGHAI);
  static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneId.of("UTC"));

  @LocalServerPort
  int port;

  @Autowired
  AuditLog log;

  private WebDriver driver;

  @AfterEach
  void quit() {
    if (driver != null) {
      driver.quit();
    }
  }

  /** Chromium as {@link Browser} starts it, in {@code zone}. */
  private WebDriver chromiumIn(ZoneId zone) throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(Browser.CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1440,1000", "--lang=zh-CN", "--user-data-dir=" + Files.createTempDirectory("lockstep-chromium-"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(Browser.CHROMEDRIVER))
        .usingAnyFreePort().withEnvironment(Map.of("TZ", zone.getId())).build();
    return new ChromeDriver(service, options);
  }

  private List<WebElement> times() {
    return driver.findElements(By.cssSelector("#audit-rows time[datetime], table time[datetime]"));
  }

  @Test
  void auditTimesShowInTheReadersZoneWithUtcOnHover() throws IOException {
    String run = "r-" + UUID.randomUUID().toString().substring(0, 8);
    log.append("STEP_FINISHED", "system", run, "local time " + run, Map.of());
    driver = chromiumIn(SHANGHAI);
    driver.get("http://localhost:" + port + "/login");
    driver.findElement(By.id("username")).sendKeys("viewer");
    driver.findElement(By.id("password")).sendKeys(DEMO_PASSWORD);
    driver.findElement(By.id("login-submit")).click();
    driver.get("http://localhost:" + port + "/audit");

    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    wait.until(d -> !times().isEmpty() && times().get(0).getAttribute("data-localtime") != null);
    assertShownInShanghai(times().get(0));

    driver.findElement(By.id("f-run")).sendKeys(run);
    driver.findElement(By.id("apply-filter")).click();
    // the rows htmx swapped in after the filter: the run's row, its time converted too
    By runRow = By.xpath("//tr[.//td[contains(., 'local time " + run + "')]]//time[@datetime]");
    wait.ignoring(StaleElementReferenceException.class).until(d -> d.getCurrentUrl().contains("run=" + run)
        && !d.findElements(runRow).isEmpty() && d.findElement(runRow).getAttribute("data-localtime") != null);
    assertShownInShanghai(driver.findElement(runRow));
  }

  private static void assertShownInShanghai(WebElement time) {
    Instant at = Instant.parse(time.getAttribute("datetime"));
    assertThat(time.getText()).as("the time in the reader's zone").isEqualTo(LOCAL.format(at) + " UTC+8");
    assertThat(time.getAttribute("title")).as("UTC on hover").isEqualTo(UTC.format(at));
    assertThat(time.getAttribute("data-localtime")).isEqualTo("UTC+8");
  }
}
