package io.lockstep.logstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The log panel in real headless Chromium, on the page that shows only a run's log. */
class LogPanelBrowserIT extends LabConsoleTest {

  static final By LINES = By.cssSelector(".ls-log-lines .ls-log-line");
  static Browser browser;

  final int port;
  final RunLog runLog;
  final LogSubscribers subscribers;
  String run;

  LogPanelBrowserIT(@LocalServerPort int port, @Autowired RunLog runLog, @Autowired LogSubscribers subscribers) {
    this.port = port;
    this.runLog = runLog;
    this.subscribers = subscribers;
  }

  Browser browser() {
    if (browser == null) {
      browser = new Browser("http://localhost:" + port);
    }
    return browser;
  }

  @BeforeEach
  void openTheLogOfANewRun() {
    run = "ui-" + UUID.randomUUID().toString().substring(0, 12);
    // A run's log starts with its request (seq 1), as a real run's does; a run without one is 404.
    runLog.append(run, LogLine.sys(null, "Run " + run + " requested"));
    browser().logIn("viewer", DEMO_PASSWORD);
    browser().open("/runs/" + run + "/log");
    browser().waitUpTo(Duration.ofSeconds(10)).until(d -> subscribers.count(run) == 1);
  }

  @AfterEach
  void logOut() {
    if (!subscribers.isRunning()) {
      subscribers.start();
    }
    browser().logOut();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void linesAppearAsTheyArriveAsTextAndOnlyTheTailStaysInThePage() {
    runLog.append(run, LogLine.out("exec", "node-1", "<b>not bold</b><img src=x onerror=alert(1)>"));
    runLog.append(run, LogLine.err("exec", "node-1", "<script>document.title='pwned'</script>"));
    waitForSeq(3);
    List<WebElement> lines = browser().driver().findElements(LINES);
    assertThat(lines.get(1).getText()).contains("<b>not bold</b><img src=x onerror=alert(1)>");
    By markup = By.cssSelector(".ls-log-lines b, .ls-log-lines img, .ls-log-lines script");
    assertThat(browser().driver().findElements(markup)).isEmpty();
    assertThat(browser().driver().getTitle()).doesNotContain("pwned");

    for (int batch = 0; batch < 7; batch++) {
      runLog.appendAll(run, ARunLog.lines("copy", batch * 100 + 3, 100));
    }
    waitForSeq(703);
    assertThat(browser().driver().findElements(LINES)).hasSizeLessThanOrEqualTo(500);
    assertThat(browser().driver().findElement(By.cssSelector(".ls-log-trimmed")).isDisplayed()).isTrue();
    assertThat(browser().driver().findElement(By.cssSelector(".ls-log-download")).getAttribute("href"))
        .endsWith("/runs/" + run + "/log.txt");

    runLog.finish(run);
    browser().waitUpTo(Duration.ofSeconds(10))
        .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".ls-log-end")));
    browser().screenshot("logstream-panel");
  }

  @Test
  void aBannerShowsWhileTheStreamIsDownAndTheLogResumesWithoutLossOrRepeats() {
    runLog.appendAll(run, ARunLog.lines("drain", 1, 2));
    waitForSeq(3);
    assertThat(banner().isDisplayed()).isFalse();

    subscribers.stop();
    browser().waitUpTo(Duration.ofSeconds(10)).until(d -> banner().isDisplayed());
    runLog.appendAll(run, ARunLog.lines("drain", 3, 3));
    browser().screenshot("logstream-banner");
    subscribers.start();

    waitForSeq(6);
    browser().waitUpTo(Duration.ofSeconds(10)).until(d -> !banner().isDisplayed());
    runLog.append(run, LogLine.out("drain", "node-1", "line 6"));
    waitForSeq(7);
    assertThat(browser().driver().findElements(LINES)).extracting(line -> line.getAttribute("data-seq"))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 7).mapToObj(Long::toString).toList());
  }

  private WebElement banner() {
    return browser().driver().findElement(By.cssSelector(".ls-log-banner"));
  }

  private void waitForSeq(long seq) {
    browser().waitUpTo(Duration.ofSeconds(30))
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".ls-log-line[data-seq='" + seq + "']")));
  }
}
