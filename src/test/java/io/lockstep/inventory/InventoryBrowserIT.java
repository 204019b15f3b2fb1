package io.lockstep.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.Browser;
import io.lockstep.testing.LabConsoleTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A person at the console, in real headless Chromium, on the lab platform. */
class InventoryBrowserIT extends LabConsoleTest {

  static Browser browser;

  @LocalServerPort
  int port;


  Browser browser() {
    if (browser == null) {
      browser = new Browser("http://localhost:" + port);
    }
    return browser;
  }

  @AfterEach
  void logOut() {
    browser().logOut();
  }

  @AfterAll
  static void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void anonymousVisitorsAreSentToTheLoginPage() {
    browser().open("/inventory");
    browser().waitUpTo(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("/login"));
    assertThat(browser().driver().findElement(By.id("login-submit")).isDisplayed()).isTrue();
  }

  @Test
  void anOperatorSeesTheLabsNodesAndEveryComponentReplica() {
    browser().logIn("op1", DEMO_PASSWORD);
    browser().waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("dashboard")));
    browser().open("/inventory");
    browser().waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("nodes")));
    assertThat(browser().textOf(By.id("current-user"))).isEqualTo("op1");

    List<String> nodes = browser().driver().findElements(By.cssSelector("#nodes tbody tr")).stream()
        .map(tr -> tr.getAttribute("data-node")).toList();
    // The lab's Kosmos members show as one virtual node each (P6), as kubectl get nodes shows them.
    assertThat(nodes).containsExactly("kosmos-member-1", "kosmos-member-2", "node-1", "node-2", "node-3", "node-4",
        "node-5", "node-6");
    WebElement node4 = browser().driver().findElement(By.cssSelector("#nodes tr[data-node='node-4']"));
    assertThat(node4.getText()).contains("127.0.10.4").contains("reachable").contains("SHA256:");

    WebElement kafka1 = browser().driver().findElement(By.cssSelector("#components tr[data-replica='kafka-1']"));
    assertThat(kafka1.getText()).contains("node-2").contains("/sysvol/kafka/kafka_data");
    assertThat(browser().driver().findElements(By.cssSelector("#components tbody[data-component='mariadb'] tr.ls-replica-row")))
        .hasSize(3);
    assertThat(browser().textOf(By.id("operator-components"))).contains("rdsmariadbclusters.rds.proton.aishu.cn");
    assertThat(browser().textOf(By.id("workloads"))).contains("deploy-service");
    assertThat(browser().driver().findElement(By.id("lab-reset")).isDisplayed()).isTrue();
    browser().screenshot("inventory");
  }

  @Test
  void aViewerSeesTheInventoryButNoOperatorAction() throws Exception {
    browser().logIn("viewer", DEMO_PASSWORD);
    browser().waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("dashboard")));
    browser().open("/inventory");
    browser().waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("nodes")));
    assertThat(browser().driver().findElements(By.id("lab-reset"))).isEmpty();
    assertThat(browser().driver().findElements(By.id("probe-again"))).isEmpty();

    HttpResponse<String> reset = HttpClient.newHttpClient().send(HttpRequest.newBuilder()
            .uri(URI.create("http://localhost:" + port + "/api/lab/reset"))
            .header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(("viewer:" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).isEqualTo(403);
  }

  @Test
  void aWrongPasswordIsRefusedWithAMessage() {
    browser().logIn("ap2", "not-the-password");
    assertThat(browser().textOf(By.id("login-error"))).contains("Wrong user name or password");
  }

  @Test
  void theConsoleSpeaksChinese() {
    browser().logIn("ap1", DEMO_PASSWORD);
    browser().waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("dashboard")));
    browser().open("/inventory");
    browser().waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id("nodes")));
    browser().open("/inventory?lang=zh-CN");
    assertThat(browser().textOf(By.cssSelector("h1.title"))).isEqualTo("资源清单");
    assertThat(browser().textOf(By.id("nodes"))).contains("就绪");
    browser().open("/inventory?lang=en");
    assertThat(browser().textOf(By.cssSelector("h1.title"))).isEqualTo("Inventory");
  }
}
