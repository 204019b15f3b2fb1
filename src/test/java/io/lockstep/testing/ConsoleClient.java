package io.lockstep.testing;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Someone at the running console over plain HTTP: with a session (form login, CSRF tokens taken
 * from the pages) or with HTTP Basic like a script.
 */
public final class ConsoleClient {

  private final String base;
  private final HttpClient session = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

  public ConsoleClient(int port) {
    this.base = "http://localhost:" + port;
  }

  /** GET as a script authenticating with HTTP Basic on every call. */
  public HttpResponse<String> getAs(String user, String password, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user, password));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(HttpClient.newHttpClient(), request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<byte[]> bytesAs(String user, String password, String path) {
    return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user, password))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> anonymous(String path) {
    return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  public void logIn(String user, String password) {
    String token = csrf(sessionGet("/login").body());
    HttpResponse<String> res = sessionPost("/login", "username=" + user + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    assertThat(res.statusCode()).isEqualTo(302);
    assertThat(res.headers().firstValue("Location").orElse("")).doesNotContain("error");
  }

  public void logOut() {
    String token = csrf(sessionGet("/audit").body());
    sessionPost("/logout", "_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
  }

  /** POST of a JSON body as a script with HTTP Basic. */
  public HttpResponse<String> postAs(String user, String password, String path, String json) {
    return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user, password))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** PUT of a JSON body as a script with HTTP Basic. */
  public HttpResponse<String> putAs(String user, String password, String path, String json) {
    return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri(path)).header("Authorization", basic(user, password))
        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET in the logged-in session. */
  public HttpResponse<String> page(String path) {
    return sessionGet(path);
  }

  /**
   * POST of a form in the logged-in session as htmx sends it (CSRF header from {@code tokenPage},
   * HX-Request set).
   */
  public HttpResponse<String> htmxPost(String tokenPage, String path, String form) {
    String token = csrf(sessionGet(tokenPage).body());
    return send(session, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .header("X-CSRF-TOKEN", token).header("HX-Request", "true")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> sessionGet(String path) {
    return send(session, HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> sessionPost(String path, String form) {
    return send(session, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
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

  private static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return client.send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
