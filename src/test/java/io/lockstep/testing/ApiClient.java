package io.lockstep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One caller of the console's REST API, as a script is: one HTTP/1.1 client of its own (kept
 * connections, like any real client library), one way of authenticating. Each answer carries the
 * {@link System#nanoTime()} at which it had been read whole, which is when the caller knows the
 * write happened.
 *
 * <p>Unlike {@link ConsoleClient}, it can send a personal API token: HTTP Basic makes the console
 * check the bcrypt hash of the password on every call (about a tenth of a second of CPU with the
 * C1-only JIT a {@link ConsoleProcess} runs with), which a test that polls a run, or writes as
 * fast as it can, cannot afford.
 */
public final class ApiClient {

  public static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .cookieHandler(new CookieManager()).connectTimeout(Duration.ofSeconds(2)).build();
  private final String base;
  private final String authorization;

  private ApiClient(int port, String authorization) {
    this.base = "http://127.0.0.1:" + port;
    this.authorization = authorization;
  }

  /** A caller sending a personal API token ({@code lst_…}). */
  public static ApiClient bearer(int port, String token) {
    return new ApiClient(port, "Bearer " + token);
  }

  /** A caller sending a user's password (HTTP Basic; bcrypt on every call, so slow). */
  public static ApiClient basic(int port, String user, String password) {
    return new ApiClient(port, "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
        .getBytes(StandardCharsets.UTF_8)));
  }

  /** An answer: status, body (JSON when it parses, else null), when it was read. */
  public record Answer(int status, String text, JsonNode body, long at) {

    public boolean ok() {
      return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
      return status + " " + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
    }
  }

  public Answer get(String path) {
    return send(request(path).GET());
  }

  public Answer post(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer put(String path, String json) {
    return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json");
    return authorization == null ? request : request.header("Authorization", authorization);
  }

  /**
   * Sends once more, on a new connection, when a kept connection was found closed before any byte of
   * an answer came (the server closed it as idle just as the request went out; OkHttp's
   * {@code retryOnConnectionFailure} does the same). A console that is really gone refuses the new
   * connection, so that still throws.
   *
   * @throws UncheckedIOException when no answer came (the console is gone, or died mid-request)
   */
  private Answer send(HttpRequest.Builder request) {
    try {
      return sendOnce(request);
    } catch (UncheckedIOException e) {
      if (e.getCause().getMessage() == null || !e.getCause().getMessage().contains("received no bytes")) {
        throw e;
      }
      return sendOnce(request);
    }
  }

  private Answer sendOnce(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      long at = System.nanoTime();
      JsonNode body;
      try {
        body = response.body().isBlank() ? null : JSON.readTree(response.body());
      } catch (RuntimeException e) {
        body = null;
      }
      return new Answer(response.statusCode(), response.body(), body, at);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
