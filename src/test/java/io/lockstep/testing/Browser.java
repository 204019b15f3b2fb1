package io.lockstep.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's chromium + chromium-driver) for UI tests. Selenium Manager is
 * never asked for a driver: this machine has no network beyond the package registries.
 */
public final class Browser implements AutoCloseable {

  public static final String CHROMIUM = System.getProperty("lockstep.test.chromium", "/usr/bin/chromium");
  public static final String CHROMEDRIVER = System.getProperty("lockstep.test.chromedriver", "/usr/bin/chromedriver");

  private final WebDriver driver;
  private final String baseUrl;

  public Browser(String baseUrl) {
    this.baseUrl = baseUrl;
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    try {
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--window-size=1440,1000", "--lang=en-US",
          "--user-data-dir=" + Files.createTempDirectory("lockstep-chromium-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String path) {
    driver.get(baseUrl + path);
  }

  public void logIn(String user, String password) {
    open("/login");
    driver.findElement(By.id("username")).sendKeys(user);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("login-submit")).click();
  }

  public void logOut() {
    driver.manage().deleteAllCookies();
  }

  /** Saves what the browser shows as a PNG (for people reading the build's output, and the README). */
  public Path screenshot(String name) {
    try {
      Path dir = Path.of(System.getProperty("lockstep.test.screenshots", "target/screenshots"));
      Files.createDirectories(dir);
      byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
      return Files.write(dir.resolve(name + ".png"), png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A wait that tries its condition again when an element it read was swapped meanwhile: htmx
   * replaces parts of every live page, so a condition that finds an element and then reads it may
   * hold a stale one (AuditBrowserIT failed so in CI).
   */
  public WebDriverWait waitUpTo(Duration timeout) {
    WebDriverWait wait = new WebDriverWait(driver, timeout);
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    return wait;
  }

  public String textOf(By by) {
    return waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.visibilityOfElementLocated(by)).getText();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
