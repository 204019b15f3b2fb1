package io.lockstep.webhook;

import io.lockstep.run.RunNotifications.ApprovalWaiting;
import io.lockstep.run.RunNotifications.ChecklistWaiting;
import io.lockstep.run.RunNotifications.RunStopped;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hands every run notification to the webhook, when {@code lockstep.webhook.url} is set; does
 * nothing otherwise (its thread is started by the first notification only).
 *
 * <p>The listener runs in the publisher's thread (the engine's, after its change committed), so it
 * only turns the event into a document and queues it for a single thread of its own, which
 * delivers in order through {@link WebhookSender}. The queue is bounded: while a receiver is down
 * or slow, notifications beyond {@code queue-capacity} are dropped with a log line rather than
 * making the engine wait or filling memory. Nothing here throws into the publisher.
 */
@Component
class WebhookNotifier implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);

  private final WebhookProperties properties;
  private final WebhookSender sender;
  private final ThreadPoolExecutor worker;

  WebhookNotifier(WebhookProperties properties) {
    this.properties = properties;
    this.sender = new WebhookSender(properties);
    this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(properties.queueCapacity()), runnable -> {
          Thread thread = new Thread(runnable, "lockstep-webhook");
          thread.setDaemon(true);
          return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
    if (properties.enabled()) {
      log.info("Run notifications go to the webhook at {}", properties.receiver());
    }
  }

  @EventListener
  void on(ApprovalWaiting event) {
    enqueue(event.runId(), () -> WebhookDocument.of(event, properties.consoleUrl()));
  }

  @EventListener
  void on(ChecklistWaiting event) {
    enqueue(event.runId(), () -> WebhookDocument.of(event, properties.consoleUrl()));
  }

  @EventListener
  void on(RunStopped event) {
    enqueue(event.runId(), () -> WebhookDocument.of(event, properties.consoleUrl()));
  }

  private void enqueue(String runId, Supplier<WebhookDocument> document) {
    if (!properties.enabled()) {
      return;
    }
    try {
      WebhookDocument doc = document.get();
      worker.execute(() -> sender.send(doc));
    } catch (RejectedExecutionException e) {
      log.warn("Webhook notification about run {} dropped: {} are already waiting for {}", runId,
          properties.queueCapacity(), properties.receiver());
    } catch (RuntimeException e) {
      log.warn("Webhook notification about run {} could not be prepared", runId, e);
    }
  }

  /** Gives queued notifications one timeout's time to go out, then stops the thread. */
  @Override
  public void destroy() throws InterruptedException {
    worker.shutdown();
    if (!worker.awaitTermination(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      worker.shutdownNow();
    }
  }
}
