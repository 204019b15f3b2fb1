package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lockstep.testing.LabConsoleTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** The console's security over plain HTTP, as a script or an attacker would meet it. */
class ConsoleSecurityIT extends LabConsoleTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort
  int port;

  final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
    HttpResponse<String> login = http.send(get("/login"), HttpResponse.BodyHandlers.ofString());
    String cookie = login.headers().allValues("Set-Cookie").stream()
        .filter(c -> c.startsWith("LOCKSTEP_SESSION=")).findFirst().orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
  }

  @Test
  void aPagePostWithoutTheCsrfTokenIsRefused() throws Exception {
    logIn("op2");
    HttpResponse<String> reset = http.send(HttpRequest.newBuilder(uri("/lab/reset"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).isEqualTo(403);
  }

  @Test
  void theApiTakesBasicAuthAndRefusesAnonymousCalls() throws Exception {
    assertThat(http.send(get("/api/inventory"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    HttpResponse<String> ok = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/inventory"))
        .header("Authorization", basic("viewer", DEMO_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"name\":\"node-1\"").contains("deploy-service");
  }

  @Autowired
  javax.sql.DataSource dataSource;

  /** ap2 is everybody's second approver in this context: its failures go, so no later test finds it locked out. */
  @AfterEach
  void forgetTheFailures() {
    org.springframework.jdbc.core.simple.JdbcClient.create(dataSource)
        .sql("DELETE FROM login_attempt WHERE username = 'ap2'").update();
  }

  @Test
  void repeatedLoginFailuresAreThrottledEvenWithTheRightPassword() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> wrong = client.send(HttpRequest.newBuilder(uri("/api/inventory"))
          .header("Authorization", basic("ap2", "guess-" + i)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(wrong.statusCode()).isEqualTo(401);
    }
    HttpResponse<String> blocked = client.send(HttpRequest.newBuilder(uri("/api/inventory"))
        .header("Authorization", basic("ap2", DEMO_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(blocked.statusCode()).isEqualTo(401);
    HttpResponse<String> other = client.send(HttpRequest.newBuilder(uri("/api/inventory"))
        .header("Authorization", basic("ap1", DEMO_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).as("other users are not blocked").isEqualTo(200);
  }

  @Test
  void theApiTakesNoSessionCookieButBasicAndBearerCredentials() throws Exception {
    String run = awaitingApproval();
    long resets = labResets();
    logIn("op1");
    // The session is live: a page opens with it (under the lab banner, the lab being all there is),
    // and the page's PDF link is a page route.
    HttpResponse<String> page = http.send(get("/runs/" + run), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"lab-banner\"").contains("href=\"/runs/" + run + "/audit.pdf\"")
        .doesNotContain("href=\"/api/");
    HttpResponse<byte[]> pdf = http.send(get("/runs/" + run + "/audit.pdf"), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");

    HttpResponse<String> pause = http.send(post("/api/runs/" + run + "/pause").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(pause.statusCode()).as("pause with the session cookie only").isEqualTo(401);
    HttpResponse<String> reset = http.send(post("/api/lab/reset").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).as("lab reset with the session cookie only").isEqualTo(401);
    assertThat(http.send(get("/api/runs/" + run), HttpResponse.BodyHandlers.ofString()).statusCode())
        .as("reading with the session cookie only").isEqualTo(401);
    assertThat(state(run)).isEqualTo("AWAITING_APPROVAL");
    assertThat(labResets()).isEqualTo(resets);

    // The same session with HTTP Basic, and a token: the credentials count, not the cookie.
    HttpResponse<String> basic = http.send(post("/api/runs/" + run + "/pause")
        .header("Authorization", basic("op1", DEMO_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(basic.statusCode()).as(basic.body()).isEqualTo(200);
    assertThat(state(run)).isEqualTo("PAUSED");
    HttpResponse<String> token = HttpClient.newHttpClient().send(post("/api/tokens")
        .header("Authorization", basic("op1", DEMO_PASSWORD)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"csrf test\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
    String bearer = "Bearer " + JSON.readTree(token.body()).get("token").asText();
    HttpResponse<String> resume = http.send(post("/api/runs/" + run + "/resume").header("Authorization", bearer).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(resume.statusCode()).as(resume.body()).isEqualTo(200);
    assertThat(state(run)).isEqualTo("AWAITING_APPROVAL");
    abort(run);
  }

  @Test
  void aRequestABrowserSaysAnotherOriginSentIsRefusedEvenWithCredentials() throws Exception {
    String run = awaitingApproval();
    for (String site : new String[] {"same-site", "cross-site"}) {
      HttpResponse<String> pause = HttpClient.newHttpClient().send(post("/api/runs/" + run + "/pause")
          .header("Authorization", basic("op1", DEMO_PASSWORD)).header("Sec-Fetch-Site", site).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(pause.statusCode()).as(site).isEqualTo(403);
    }
    assertThat(state(run)).isEqualTo("AWAITING_APPROVAL");
    // The console's own origin, or an address typed in: allowed.
    for (String site : new String[] {"same-origin", "none"}) {
      HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/runs/" + run))
          .header("Authorization", basic("op1", DEMO_PASSWORD)).header("Sec-Fetch-Site", site).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(read.statusCode()).as(site).isEqualTo(200);
    }
    abort(run);
  }

  private String awaitingApproval() throws Exception {
    HttpResponse<String> plan = asOp2("/api/plans",
        "{\"procedure\":\"engine-test\",\"title\":\"session cookie\",\"values\":{\"tag\":\"cookie\",\"password\":\"pw-cookie-1234\"}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    HttpResponse<String> run = asOp2("/api/runs", "{\"planId\":\"" + JSON.readTree(plan.body()).get("id").asText() + "\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
    String id = JSON.readTree(run.body()).get("run").get("id").asText();
    await().atMost(Duration.ofSeconds(30)).until(() -> state(id).equals("AWAITING_APPROVAL"));
    return id;
  }

  private HttpResponse<String> asOp2(String path, String json) throws Exception {
    return HttpClient.newHttpClient().send(post(path).header("Authorization", basic("op2", DEMO_PASSWORD))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void abort(String run) throws Exception {
    asOp2("/api/runs/" + run + "/abort", "{\"reason\":\"test over\"}");
  }

  private String state(String run) throws Exception {
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/runs/" + run))
        .header("Authorization", basic("viewer", DEMO_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    return JSON.readTree(res.body()).get("run").get("state").asText();
  }

  private long labResets() throws Exception {
    HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri("/api/audit?type=LAB_RESET"))
        .header("Authorization", basic("viewer", DEMO_PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(res.body()).get("total").asLong();
  }

  private HttpRequest.Builder post(String path) {
    return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
  }

  private void logIn(String user) throws Exception {
    String page = http.send(get("/login"), HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"|name=\"_csrf\" value=\"([^\"]+)\"|value=\"([^\"]+)\" name=\"_csrf\"").matcher(page);
    String token = m.find() ? (m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3)) : "";
    if (token.isEmpty()) {
      Matcher meta = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"").matcher(page);
      assertThat(meta.find()).as("login page carries a CSRF token").isTrue();
      token = meta.group(1);
    }
    String form = "username=" + user + "&password=" + URLEncoder.encode(DEMO_PASSWORD, StandardCharsets.UTF_8)
        + "&_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(res.statusCode()).isEqualTo(302);
    assertThat(res.headers().firstValue("Location").orElse("")).doesNotContain("error");
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET().build();
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
