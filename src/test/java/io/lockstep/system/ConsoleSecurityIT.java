package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.LabConsoleTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The console's security over plain HTTP, as a script or an attacker would meet it. */
class ConsoleSecurityIT extends LabConsoleTest {

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
