package io.lockstep.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one notification, signed if a secret is set, and tries again after a connection error, a
 * timeout or a 5xx answer, waiting {@code backoff}, then twice that, and so on. Blocks the calling
 * thread (the notifier's own) while it tries; never throws: the last failure becomes a log line
 * naming the receiver's host only, since webhook URLs often carry a key.
 */
final class WebhookSender {

  static final String SIGNATURE_HEADER = "X-Lockstep-Signature";
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  private final WebhookProperties properties;
  private final HttpClient http;

  WebhookSender(WebhookProperties properties) {
    this.properties = properties;
    this.http = HttpClient.newBuilder()
        .connectTimeout(properties.timeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /** Delivers the notification; true if the receiver took it (2xx) within the attempts allowed. */
  boolean send(WebhookDocument doc) {
    HttpRequest request = request(doc);
    Duration wait = properties.backoff();
    String failure = null;
    for (int attempt = 0; attempt <= properties.retries(); attempt++) {
      if (attempt > 0 && !sleep(wait)) {
        break;
      }
      if (attempt > 0) {
        wait = wait.multipliedBy(2);
      }
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 200 && status < 300) {
          return true;
        }
        failure = "HTTP " + status;
        if (status < 500) {
          break;
        }
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + scrub(e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = "interrupted";
        break;
      }
    }
    log.warn("Webhook notification {} ({}) to {} was not delivered: {}", doc.event(), doc.deliveryId(),
        properties.receiver(), failure);
    return false;
  }

  /** The text without the receiver's full URL, path or query (they may hold a key). */
  private String scrub(String text) {
    URI url = properties.url();
    String scrubbed = text.replace(url.toString(), properties.receiver());
    for (String part : new String[] {url.getRawPath(), url.getRawQuery(), url.getRawUserInfo()}) {
      if (part != null && part.length() > 1) {
        scrubbed = scrubbed.replace(part, "…");
      }
    }
    return scrubbed;
  }

  private HttpRequest request(WebhookDocument doc) {
    byte[] body = doc.body().getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request = HttpRequest.newBuilder(properties.url())
        .timeout(properties.timeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "Lockstep-Webhook")
        .header("X-Lockstep-Event", doc.event())
        .header("X-Lockstep-Delivery", doc.deliveryId())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (properties.secret() != null) {
      request.header(SIGNATURE_HEADER, "sha256=" + hmacSha256(properties.secret(), body));
    }
    return request.build();
  }

  static String hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static boolean sleep(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
