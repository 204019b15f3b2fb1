package io.lockstep.web;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * Errors a person understands: an unknown run or plan is a 404 page in the console's layout, in
 * both languages, while the API keeps answering problems; an htmx request gets a small notice, not
 * a page; an htmx request whose session is gone is sent to log in and back to the page it came
 * from, never to a background request's URL, never to another origin.
 */
class ErrorPagesConsoleTest extends LabConsoleTest {

  private final int port;

  ErrorPagesConsoleTest(@Value("${local.server.port}") int port) {
    this.port = port;
  }

  @Test
  void anUnknownRunIsANotFoundPageInTheLayout() {
    HttpResponse<String> page = get("/runs/nope", "Accept", "text/html", "Accept-Language", "en");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body()).contains("id=\"error-page\"").contains("There is no run \u201cnope\u201d.")
        .contains("class=\"navbar").contains("href=\"/runs\"").contains("Back to the runs")
        .doesNotContain("Whitelabel").doesNotContain("Exception").doesNotContain("io.lockstep");

    HttpResponse<String> zh = get("/runs/nope", "Accept", "text/html", "Accept-Language", "zh-CN");
    assertThat(zh.statusCode()).isEqualTo(404);
    assertThat(zh.body()).contains("没有运行“nope”。").contains("返回运行列表");
  }

  @Test
  void anUnknownPlanIsANotFoundPage() {
    assertThat(get("/plans/nope", "Accept", "text/html").statusCode()).isEqualTo(404);
    assertThat(get("/plans/nope", "Accept", "text/html").body()).contains("There is no plan \u201cnope\u201d.")
        .contains("href=\"/plans\"");
    assertThat(get("/migration/plans/nope", "Accept", "text/html").statusCode()).isEqualTo(404);
    HttpResponse<String> page = get("/no-such-page", "Accept", "text/html");
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("id=\"error-page\"").contains("There is nothing at /no-such-page.");
  }

  @Test
  void theApiKeepsAnsweringProblems() {
    HttpResponse<String> problem = get("/api/runs/nope", "Accept", "text/html,application/json");
    assertThat(problem.statusCode()).isEqualTo(404);
    assertThat(problem.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(problem.body()).contains("\"status\":404").doesNotContain("<html");
  }

  @Test
  void anHtmxRequestForAnUnknownRunGetsANoticeNotAPage() {
    HttpResponse<String> failed = get("/no-such-fragment", "HX-Request", "true", "Accept", "*/*");
    assertThat(failed.statusCode()).isEqualTo(404);
    assertThat(failed.body()).contains("ls-error-notice").doesNotContain("<html").doesNotContain("\"status\"");

    // htmx sends no Accept header of its own: a browser's XHR says */*
    HttpResponse<String> notice = get("/runs/nope/status", "HX-Request", "true", "Accept", "*/*");
    assertThat(notice.statusCode()).isEqualTo(404);
    assertThat(notice.body()).contains("ls-error-notice").contains("There is no run \u201cnope\u201d.")
        .doesNotContain("<html").doesNotContain("navbar");
  }

  @Test
  void anHtmxActionWithoutASessionLogsInAndReturnsToItsPage() {
    Session expired = new Session();
    // an approval posted from a page whose session is gone: the CSRF token it carries is stale
    HttpResponse<String> approve = expired.send(HttpRequest.newBuilder(uri("/runs/run-42/phases/stop-app/approve"))
        .header("HX-Request", "true").header("HX-Current-URL", "http://localhost:" + port + "/runs/run-42")
        .header("X-CSRF-TOKEN", "stale-token").header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("hash=abc&comment=ok")));
    assertThat(approve.statusCode()).isEqualTo(401);
    assertThat(approve.headers().firstValue("HX-Redirect")).contains("/login?expired");
    assertThat(approve.body()).doesNotContain("<form");

    // the badge polls meanwhile: it must not become where the login returns to
    HttpResponse<String> badge = expired.send(HttpRequest.newBuilder(uri("/approvals/badge")).header("HX-Request", "true")
        .header("HX-Current-URL", "http://localhost:" + port + "/runs/run-42"));
    assertThat(badge.statusCode()).isEqualTo(401);

    assertThat(expired.logIn()).endsWith("/runs/run-42");
  }

  @Test
  void backgroundRequestsAndOtherOriginsAreNeverReturnedTo() {
    Session background = new Session();
    HttpResponse<String> status = background.send(HttpRequest.newBuilder(uri("/kubernetes/api-status"))
        .header("HX-Request", "true"));
    assertThat(status.statusCode()).isEqualTo(401);
    HttpResponse<String> events = background.send(HttpRequest.newBuilder(uri("/runs/events"))
        .header("Accept", "text/event-stream"));
    assertThat(events.statusCode()).isEqualTo(302);
    assertThat(background.logIn()).doesNotContain("api-status").doesNotContain("events").doesNotContain("continue");

    Session elsewhere = new Session();
    elsewhere.send(HttpRequest.newBuilder(uri("/runs/run-1/status")).header("HX-Request", "true")
        .header("HX-Current-URL", "http://evil.example/runs/run-1"));
    assertThat(elsewhere.logIn()).doesNotContain("evil");

    Session page = new Session();
    assertThat(page.send(HttpRequest.newBuilder(uri("/runs"))).statusCode()).isEqualTo(302);
    assertThat(page.logIn()).contains("/runs");
  }

  @Test
  void aRefusedPlanEditSaysWhyNextToSaveWithTheFormOpen() {
    io.lockstep.testing.ConsoleClient console = new io.lockstep.testing.ConsoleClient(port);
    HttpResponse<String> plan = console.postAs("op1", DEMO_PASSWORD, "/api/plans",
        "{\"procedure\":\"engine-test\",\"title\":\"edited twice\",\"values\":{\"password\":\"pw-edit-1234\"}}");
    assertThat(plan.statusCode()).as(plan.body()).isEqualTo(201);
    String id = plan.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    console.logIn("op1", DEMO_PASSWORD);
    // an edit of a version that is no longer the current one
    HttpResponse<String> stale = console.htmxPost("/plans/" + id, "/plans/" + id, "version=99&title=stale&value.tag=b");
    assertThat(stale.statusCode()).isEqualTo(302);
    String page = console.page("/plans/" + id).body();
    assertThat(page).contains("id=\"save-error\"").doesNotContain("id=\"request-error\"");
    Matcher details = Pattern.compile("<details[^>]*id=\"edit-plan\"[^>]*>").matcher(page);
    assertThat(details.find()).isTrue();
    assertThat(details.group()).as("the edit form stays open").contains("open");
    assertThat(page.indexOf("id=\"save-error\"")).as("the reason is next to Save")
        .isBetween(page.indexOf("id=\"edit-plan\""), page.indexOf("save-plan"));
  }

  @Test
  void aLoggedInPageWithAStaleTokenIsToldToReloadNotThatItLacksARole() {
    Session session = new Session();
    session.logIn();
    HttpResponse<String> stale = session.send(HttpRequest.newBuilder(uri("/runs/run-1/pause"))
        .header("HX-Request", "true").header("X-CSRF-TOKEN", "a-token-of-an-older-login")
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("")));
    assertThat(stale.statusCode()).isEqualTo(403);
    assertThat(stale.body()).contains("ls-error-notice").contains("This page is out of date")
        .doesNotContain("roles");
  }

  /** A browser's cookie jar, following no redirects. */
  private final class Session {
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    HttpResponse<String> send(HttpRequest.Builder request) {
      try {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Logs in as op1 with the login page's form; answers where the login sends the browser. */
    String logIn() {
      String login = send(HttpRequest.newBuilder(uri("/login"))).body();
      Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|<meta name=\"_csrf\" content=\"([^\"]+)\"")
          .matcher(login);
      assertThat(token.find()).isTrue();
      String csrf = token.group(1) != null ? token.group(1) : token.group(2);
      HttpResponse<String> res = send(HttpRequest.newBuilder(uri("/login"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("username=op1&password=" + DEMO_PASSWORD + "&_csrf="
              + URLEncoder.encode(csrf, StandardCharsets.UTF_8))));
      assertThat(res.statusCode()).isEqualTo(302);
      return res.headers().firstValue("Location").orElse("");
    }
  }

  private HttpResponse<String> get(String path, String... headers) {
    return new Session().send(HttpRequest.newBuilder(uri(path)).headers(headers)
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            ("op1:" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8))));
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }
}
