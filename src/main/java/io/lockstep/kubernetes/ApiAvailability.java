package io.lockstep.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Whether the platform's Kubernetes API answers, as last seen: the console runs outside the
 * cluster and keeps working while the API is away (a whole-cluster stop, P4), and every page says
 * so. A look ({@code GET /version}) is taken on a thread of its own when the last one is older
 * than {@link #FRESH}; callers get the last known state at once and never wait for the API.
 */
@Component
public class ApiAvailability {

  static final Duration FRESH = Duration.ofSeconds(5);

  /**
   * The API's state.
   *
   * @param up whether it answered the last look (true before the first look: no news is no alarm)
   * @param reason why it did not answer; null while up
   * @param since when it went away; null while up
   */
  public record Status(boolean up, @Nullable String reason, @Nullable Instant since) {

    /** {@code 03:12:07}, the console's local time it went away; empty while up. */
    public String sinceClock() {
      return since == null ? "" : java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")
          .withZone(java.time.ZoneId.systemDefault()).format(since);
    }
  }

  private final Kubernetes kubernetes;
  private final Clock clock;
  private final AtomicBoolean looking = new AtomicBoolean();
  private volatile Status status = new Status(true, null, null);
  private volatile Instant lookedAt = Instant.EPOCH;

  @Autowired
  ApiAvailability(Kubernetes kubernetes) {
    this(kubernetes, Clock.systemUTC());
  }

  ApiAvailability(Kubernetes kubernetes, Clock clock) {
    this.kubernetes = kubernetes;
    this.clock = clock;
  }

  /** The last known state; starts a new look in the background when it is stale. */
  public Status status() {
    if (Duration.between(lookedAt, clock.instant()).compareTo(FRESH) > 0 && looking.compareAndSet(false, true)) {
      Thread thread = new Thread(() -> {
        try {
          look();
        } finally {
          looking.set(false);
        }
      }, "api-availability");
      thread.setDaemon(true);
      thread.start();
    }
    return status;
  }

  /** Looks now, on the calling thread, and returns what it saw. */
  public Status look() {
    Status seen;
    try {
      kubernetes.client().getKubernetesVersion();
      seen = new Status(true, null, null);
    } catch (KubernetesClientException e) {
      String reason = e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")"
          : rootMessage(e);
      Status before = status;
      seen = new Status(false, reason, before.up() ? clock.instant() : before.since());
    } catch (RuntimeException e) {
      Status before = status;
      seen = new Status(false, rootMessage(e), before.up() ? clock.instant() : before.since());
    }
    status = seen;
    lookedAt = clock.instant();
    return seen;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }
}
