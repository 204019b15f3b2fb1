package io.lockstep.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Personal API tokens in the running console, as a script and a person at the page meet them:
 * created with a password, used as {@code Authorization: Bearer}, revoked, audited without their
 * values, and useless on pages.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiTokensIT extends LabConsoleTest {

  private static final Pattern TOKEN = Pattern.compile("lst_[A-Za-z0-9_-]{43}");

  @LocalServerPort
  int port;

  final JsonMapper json = JsonMapper.builder().build();
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aScriptCreatesATokenWithItsPasswordUsesItAsBearerAndLosesItWhenRevoked() {
    Created token = create("op1", "nightly export " + unique(), 7);
    assertThat(token.value()).matches(TOKEN);

    assertThat(send(bearer(token.value(), "/api/procedures").GET()).statusCode()).isEqualTo(200);
    HttpResponse<String> mine = send(bearer(token.value(), "/api/tokens").GET());
    assertThat(mine.statusCode()).isEqualTo(200);
    JsonNode listed = entry(json.readTree(mine.body()), token.id());
    assertThat(listed.get("label").asString()).isEqualTo(token.label());
    assertThat(listed.get("lastUsedAt").isNull()).as("marked used").isFalse();
    assertThat(mine.body()).doesNotContain(token.value()).doesNotContain("lst_");

    assertThat(send(basic("op1", "/api/tokens/" + token.id()).DELETE()).statusCode()).isEqualTo(204);

    HttpResponse<String> refused = send(bearer(token.value(), "/api/procedures").GET());
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(refused.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer ");
    JsonNode problem = json.readTree(refused.body());
    assertThat(problem.get("status").asInt()).isEqualTo(401);
    assertThat(problem.get("detail").asString()).isEqualTo("Invalid or revoked token.");
    assertThat(refused.body()).doesNotContain("op1").doesNotContain(token.label());

    HttpResponse<String> unknown = send(bearer(ApiTokenSecrets.generate(), "/api/procedures").GET());
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.body()).as("unknown and revoked read the same").isEqualTo(refused.body());
  }

  @Test
  void aViewersTokenReadsButChangesNothingAndNoTokenMintsAnother() {
    Created token = create("viewer", "dashboard " + unique(), null);

    assertThat(send(bearer(token.value(), "/api/inventory").GET()).statusCode()).isEqualTo(200);
    assertThat(send(bearer(token.value(), "/api/lab/reset").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
        .isEqualTo(403);
    assertThat(send(bearer(token.value(), "/api/tokens").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\"successor\"}"))).statusCode())
        .as("creating a token takes a password").isEqualTo(403);
    assertThat(send(bearer(token.value(), "/api/tokens/" + token.id()).DELETE()).statusCode())
        .as("a token may revoke itself").isEqualTo(204);
    assertThat(send(bearer(token.value(), "/api/inventory").GET()).statusCode()).isEqualTo(401);
  }

  @Test
  void nobodyRevokesSomebodyElsesToken() {
    Created token = create("op1", "mine " + unique(), null);
    HttpResponse<String> other = send(basic("op2", "/api/tokens/" + token.id()).DELETE());
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(other.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(send(bearer(token.value(), "/api/procedures").GET()).statusCode()).isEqualTo(200);
    assertThat(send(basic("op1", "/api/tokens").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"label\":\" \"}"))).statusCode()).isEqualTo(400);
  }

  @Test
  void theAuditTrailNamesTokensByOwnerAndLabelButNeverHoldsTheirValues() {
    String label = "audited " + unique();
    Created token = create("ap1", label, 30);
    send(bearer(token.value(), "/api/procedures").GET());
    send(basic("ap1", "/api/tokens/" + token.id()).DELETE());
    assertThat(send(bearer(token.value(), "/api/procedures").GET()).statusCode()).isEqualTo(401);

    JsonNode created = audit("/api/audit?type=TOKEN_CREATED&actor=ap1").get("entries").get(0);
    assertThat(created.get("summary").asString()).contains("ap1").contains(label);
    JsonNode revoked = audit("/api/audit?type=TOKEN_REVOKED&actor=ap1").get("entries").get(0);
    assertThat(revoked.get("summary").asString()).contains("ap1").contains(label);
    JsonNode failed = audit("/api/audit?type=LOGIN_FAILED&actor=" + enc(ApiTokenAuthentication.ATTEMPT_NAME)).get("entries").get(0);
    assertThat(failed.get("summary").asString()).contains(label).contains("revoked");

    String everything = send(basic("viewer", "/api/audit?size=500").GET()).body();
    assertThat(everything).contains(label).doesNotContain(token.value()).doesNotContain(token.value().substring(4));
    assertThat(TOKEN.matcher(everything).find()).isFalse();
  }

  @Test
  void aBearerTokenOnAPageDoesNotLogIn() {
    Created token = create("lead", "pages " + unique(), null);
    for (String page : new String[] {"/procedures", "/tokens", "/audit"}) {
      HttpResponse<String> res = send(bearer(token.value(), page).GET());
      assertThat(res.statusCode()).as(page).isEqualTo(302);
      assertThat(res.headers().firstValue("Location").orElse("")).as(page).endsWith("/login");
    }
  }

  @Test
  void thePageShowsANewTokenOnceListsItAndRevokesIt() {
    Session viewer = new Session();
    viewer.logIn("viewer");
    String page = viewer.get("/tokens").body();
    assertThat(page).contains("id=\"token-create\"").contains("href=\"/tokens\"");

    String label = "from the page " + unique();
    HttpResponse<String> made = viewer.post("/tokens", "label=" + enc(label) + "&expiresInDays=30&_csrf=" + enc(csrf(page)));
    assertThat(made.statusCode()).isEqualTo(200);
    assertThat(made.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    Matcher shown = TOKEN.matcher(made.body());
    assertThat(shown.find()).as("the new token is shown").isTrue();
    String value = shown.group();
    assertThat(send(bearer(value, "/api/inventory").GET()).statusCode()).isEqualTo(200);

    String again = viewer.get("/tokens").body();
    assertThat(again).as("shown once only").doesNotContain(value).contains(label).contains("data-status=\"ACTIVE\"");
    Matcher id = Pattern.compile("data-token=\"(\\d+)\"").matcher(again);
    assertThat(id.find()).isTrue();

    HttpResponse<String> revoked = viewer.post("/tokens/" + id.group(1) + "/revoke", "_csrf=" + enc(csrf(again)));
    assertThat(revoked.statusCode()).isEqualTo(302);
    assertThat(viewer.get("/tokens").body()).contains("data-status=\"REVOKED\"").contains("id=\"token-revoked\"");
    assertThat(send(bearer(value, "/api/inventory").GET()).statusCode()).isEqualTo(401);

    HttpResponse<String> invalid = viewer.post("/tokens", "label=&_csrf=" + enc(csrf(again)));
    assertThat(invalid.statusCode()).isEqualTo(200);
    assertThat(invalid.body()).contains("is-danger").doesNotContain("id=\"token-value\"");
  }

  @Test
  void tokenValuesStayOutOfTheLogEvenAtTraceLevel(CapturedOutput output) {
    LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
    String[] loggers = {"org.springframework.security", "org.springframework.web", "io.lockstep"};
    for (String logger : loggers) {
      logging.setLogLevel(logger, LogLevel.TRACE);
    }
    Created token;
    String unknown = ApiTokenSecrets.generate();
    try {
      token = create("op2", "logged " + unique(), null);
      assertThat(send(bearer(token.value(), "/api/procedures").GET()).statusCode()).isEqualTo(200);
      assertThat(send(bearer(unknown, "/api/procedures").GET()).statusCode()).isEqualTo(401);
      assertThat(send(bearer(token.value(), "/api/tokens").GET()).statusCode()).isEqualTo(200);
    } finally {
      for (String logger : loggers) {
        logging.setLogLevel(logger, null);
      }
    }
    assertThat(output.getAll()).as("the security filters did log").contains("TokenAuthentication")
        .doesNotContain(token.value()).doesNotContain(unknown)
        .doesNotContain(token.value().substring(4)).doesNotContain(unknown.substring(4));
  }

  private Created create(String user, String label, Integer days) {
    String body = days == null ? "{\"label\":\"" + label + "\"}" : "{\"label\":\"" + label + "\",\"expiresInDays\":" + days + "}";
    HttpResponse<String> res = send(basic(user, "/api/tokens").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(res.statusCode()).as(res.body()).isEqualTo(201);
    assertThat(res.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
    JsonNode created = json.readTree(res.body());
    return new Created(created.get("id").asLong(), created.get("label").asString(), created.get("token").asString());
  }

  private JsonNode audit(String path) {
    HttpResponse<String> res = send(basic("viewer", path).GET());
    assertThat(res.statusCode()).as(path + ": " + res.body()).isEqualTo(200);
    return json.readTree(res.body());
  }

  private static JsonNode entry(JsonNode list, long id) {
    for (JsonNode token : list) {
      if (token.get("id").asLong() == id) {
        return token;
      }
    }
    throw new AssertionError("token " + id + " not listed in " + list);
  }

  private HttpRequest.Builder bearer(String token, String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
  }

  private HttpRequest.Builder basic(String user, String path) {
    return HttpRequest.newBuilder(uri(path)).header("Authorization", "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    return send(http, request.build());
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static String csrf(String page) {
    Matcher meta = Pattern.compile("<meta name=\"_csrf\" content=\"([^\"]+)\"").matcher(page);
    if (meta.find()) {
      return meta.group(1);
    }
    Matcher input = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"").matcher(page);
    assertThat(input.find()).as("the page carries a CSRF token").isTrue();
    return input.group(1) != null ? input.group(1) : input.group(2);
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String unique() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  record Created(long id, String label, String value) {}

  /** A person in a browser: form login, session cookie, CSRF tokens from the pages. */
  final class Session {
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    void logIn(String user) {
      String token = csrf(get("/login").body());
      HttpResponse<String> res = post("/login", "username=" + user + "&password=" + enc(DEMO_PASSWORD) + "&_csrf=" + enc(token));
      assertThat(res.headers().firstValue("Location").orElse("")).doesNotContain("error");
    }

    HttpResponse<String> get(String path) {
      return send(client, HttpRequest.newBuilder(uri(path)).build());
    }

    HttpResponse<String> post(String path, String form) {
      return send(client, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }
  }
}
