package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.testing.Browser;
import io.lockstep.testing.ConsoleClient;
import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CSRF from the same site: op1 is logged in to the console in real headless Chromium at
 * {@code http://127.0.0.1:PORT}; a page served by another server on another port of the same host
 * (another origin, the same site, so the {@code SameSite=Strict} session cookie goes along) tries,
 * with auto-submitted forms and credentialed no-cors fetches, to pause op1's run and reset the lab,
 * both through {@code /api/**} and through the page routes. Nothing may happen: checked through the
 * API by another user, and on the lab itself.
 */
class CrossOriginBrowserIT extends LabConsoleTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String MARKER = "csrf-marker";

  @LocalServerPort
  int port;

  @Autowired
  Kubernetes kubernetes;

  private Browser victim;
  private HttpServer attacker;

  @AfterEach
  void close() {
    if (victim != null) {
      victim.close();
    }
    if (attacker != null) {
      attacker.stop(0);
    }
    kubernetes.client().configMaps().inNamespace("default").withName(MARKER).delete();
  }

  @Test
  void aPageOfAnotherOriginOnTheSameSiteCannotPauseARunOrResetTheLab() throws IOException {
    ConsoleClient console = new ConsoleClient(port);
    String runId = awaitingApproval(console);
    long resetsBefore = labResets(console);
    // A change to the lab that a reset would undo (the reset puts the lab back to its seed).
    kubernetes.client().configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName(MARKER).endMetadata().addToData("left", "by the test").build()).create();

    String console127 = "http://127.0.0.1:" + port;
    victim = new Browser(console127);
    victim.logIn("op1", DEMO_PASSWORD);
    victim.waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.urlToBe(console127 + "/"));
    victim.open("/runs/" + runId);
    victim.waitUpTo(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".run-pause")));

    AtomicInteger served = new AtomicInteger();
    attacker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    attacker.createContext("/prize", exchange -> {
      served.incrementAndGet();
      byte[] page = attackPage(console127, runId).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(page);
      }
    });
    attacker.start();

    victim.driver().get("http://127.0.0.1:" + attacker.getAddress().getPort() + "/prize");
    // Every form's frame has loaded its answer and every fetch has settled.
    victim.waitUpTo(Duration.ofSeconds(60)).until(ExpectedConditions.titleIs("sent"));
    assertThat(served.get()).isEqualTo(1);

    // A pause asked for while the run waits for approval pauses it at once.
    JsonNode run = read(console.getAs("viewer", DEMO_PASSWORD, "/api/runs/" + runId)).get("run");
    assertSoftly(soft -> {
      soft.assertThat(run.get("state").asText()).as("the run is not paused").isEqualTo("AWAITING_APPROVAL");
      soft.assertThat(labResets(console)).as("no LAB_RESET in the audit trail").isEqualTo(resetsBefore);
      soft.assertThat(kubernetes.client().configMaps().inNamespace("default").withName(MARKER).get())
          .as("the lab still holds what was there before").isNotNull();
    });

    // The victim was logged in all along: the session the forged requests carried was a live one.
    victim.open("/runs/" + runId);
    assertThat(victim.driver().findElements(By.cssSelector(".run-pause"))).isNotEmpty();
    // And op1 can still pause it from the run page (htmx sends the CSRF token).
    victim.driver().findElement(By.cssSelector(".run-pause")).click();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        read(console.getAs("viewer", DEMO_PASSWORD, "/api/runs/" + runId)).get("run").get("state").asText().equals("PAUSED"));
    console.postAs("op1", DEMO_PASSWORD, "/api/runs/" + runId + "/abort", "{\"reason\":\"CSRF test over\"}");
  }

  /**
   * Four auto-submitted forms, each into a frame of its own (a frame's load event says its answer
   * came), and two credentialed no-cors fetches; the title becomes "sent" once all have settled.
   */
  private static String attackPage(String console, String runId) {
    String[] forms = {
      console + "/api/runs/" + runId + "/pause",
      console + "/api/lab/reset",
      console + "/runs/" + runId + "/pause",
      console + "/lab/reset",
    };
    StringBuilder html = new StringBuilder("<!doctype html><html><head><title>You won</title></head><body>\n");
    for (int i = 0; i < forms.length; i++) {
      html.append("<form id=\"f").append(i).append("\" method=\"post\" target=\"frame").append(i)
          .append("\" action=\"").append(forms[i]).append("\"><input type=\"hidden\" name=\"x\" value=\"1\"></form>\n");
    }
    html.append("<script>\n")
        .append("let pending = ").append(forms.length + 2).append(";\n")
        .append("function settled() { if (--pending === 0) { document.title = 'sent'; } }\n")
        .append("for (let i = 0; i < ").append(forms.length).append("; i++) {\n")
        .append("  const frame = document.createElement('iframe');\n")
        .append("  frame.name = 'frame' + i;\n")
        .append("  document.body.appendChild(frame);\n")
        .append("  frame.addEventListener('load', settled, {once: true});\n")
        .append("  document.getElementById('f' + i).submit();\n")
        .append("}\n")
        .append("for (const url of ['").append(console).append("/api/runs/").append(runId).append("/pause', '")
        .append(console).append("/api/lab/reset']) {\n")
        .append("  fetch(url, {method: 'POST', mode: 'no-cors', credentials: 'include'}).then(settled, settled);\n")
        .append("}\n")
        .append("</script></body></html>\n");
    return html.toString();
  }

  private static String awaitingApproval(ConsoleClient console) {
    HttpResponse<String> plan = console.postAs("op2", DEMO_PASSWORD, "/api/plans",
        "{\"procedure\":\"engine-test\",\"title\":\"csrf victim\",\"values\":{\"tag\":\"csrf\",\"password\":\"pw-csrf-1234\"}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    HttpResponse<String> run = console.postAs("op2", DEMO_PASSWORD, "/api/runs",
        "{\"planId\":\"" + read(plan).get("id").asText() + "\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
    String runId = read(run).get("run").get("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        read(console.getAs("viewer", DEMO_PASSWORD, "/api/runs/" + runId)).get("run").get("state").asText()
            .equals("AWAITING_APPROVAL"));
    return runId;
  }

  private static long labResets(ConsoleClient console) {
    return read(console.getAs("viewer", DEMO_PASSWORD, "/api/audit?type=LAB_RESET")).get("total").asLong();
  }

  private static JsonNode read(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    return JSON.readTree(response.body());
  }
}
