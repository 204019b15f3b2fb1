package io.lockstep.webhook;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where run notifications are POSTed. Without {@code url} nothing is sent.
 *
 * @param url the receiver (http or https); unset turns the webhook off. Often a secret itself
 *     (chat webhooks carry a key in the path), so logs name only its host
 * @param secret key of the HMAC-SHA256 signature sent as {@code X-Lockstep-Signature:
 *     sha256=<hex>} over the exact body bytes; unset sends no signature
 * @param consoleUrl how receivers reach this console ({@code https://lockstep.example.internal}),
 *     for the link to the run in every notification; required with {@code url}
 * @param timeout how long one attempt may take to connect and to get an answer
 * @param retries further attempts after a connection error, a timeout or a 5xx answer; a 4xx
 *     answer is not retried
 * @param backoff the wait before the first retry, doubled before each further one
 * @param queueCapacity notifications waiting for delivery at most; more are dropped (and logged)
 *     rather than held up or piled up in memory while the receiver is down
 */
@Validated
@ConfigurationProperties("lockstep.webhook")
record WebhookProperties(
    URI url,
    String secret,
    URI consoleUrl,
    @DefaultValue("5s") Duration timeout,
    @DefaultValue("3") @Min(0) @Max(10) int retries,
    @DefaultValue("1s") Duration backoff,
    @DefaultValue("100") @Positive int queueCapacity) {

  WebhookProperties {
    secret = secret == null || secret.isEmpty() ? null : secret;
    if (url != null) {
      if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())
          || url.getHost() == null) {
        throw new IllegalArgumentException("lockstep.webhook.url must be an http or https URL with a host");
      }
      if (consoleUrl == null) {
        throw new IllegalArgumentException("lockstep.webhook.console-url is needed with lockstep.webhook.url: "
            + "notifications link to the run, e.g. https://lockstep.example.internal");
      }
    }
    if (timeout.isNegative() || timeout.isZero() || backoff.isNegative()) {
      throw new IllegalArgumentException("lockstep.webhook.timeout must be positive and backoff not negative");
    }
  }

  boolean enabled() {
    return url != null;
  }

  /** The receiver without path, query or user info, for log lines. */
  String receiver() {
    return url == null ? "(none)" : url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
  }

  @Override
  public String toString() {
    return "WebhookProperties[receiver=" + receiver() + ", signed=" + (secret != null) + ", consoleUrl=" + consoleUrl
        + ", timeout=" + timeout + ", retries=" + retries + ", backoff=" + backoff + ", queueCapacity=" + queueCapacity + "]";
  }
}
