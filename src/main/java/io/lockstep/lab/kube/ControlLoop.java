package io.lockstep.lab.kube;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab controllers' work queue: one thread runs every reconciliation, so controllers never race
 * each other, and a key queued again before its turn runs once (a burst of watch events for one
 * StatefulSet is one reconciliation). Delayed work (a pod starting, a pod's grace period ending)
 * waits on the same thread's timer instead of sleeping.
 */
final class ControlLoop {

  private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

  private static final int MAX_ATTEMPTS = 3;
  private static final Duration RETRY_DELAY = Duration.ofMillis(500);

  private final ScheduledExecutorService thread;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();

  ControlLoop(String name) {
    thread = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Runs {@code work} soon, unless work under the same key is already waiting. Work that fails (the
   * API refused a write that raced another client's) is tried again a little later, a few times.
   */
  void enqueue(String key, Runnable work) {
    enqueue(key, work, Duration.ZERO, 1);
  }

  private void enqueue(String key, Runnable work, Duration delay, int attempt) {
    if (queued.add(key)) {
      submit(() -> {
        queued.remove(key);
        if (!run(key, work) && attempt < MAX_ATTEMPTS) {
          enqueue(key, work, RETRY_DELAY, attempt + 1);
        }
      }, delay);
    }
  }

  /** Runs {@code work} after {@code delay} (and, if it fails, again a little later, a few times). */
  void later(Duration delay, String key, Runnable work) {
    submit(() -> {
      if (!run(key, work)) {
        enqueue(key, work, RETRY_DELAY, 2);
      }
    }, delay);
  }

  /** Stops the thread; queued work is dropped. */
  void stop() {
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("lab controllers did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void submit(Runnable task, Duration delay) {
    try {
      thread.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopped) {
      log.debug("lab controllers stopped; dropping work");
    }
  }

  private static boolean run(String key, Runnable work) {
    try {
      work.run();
      return true;
    } catch (RuntimeException e) {
      log.debug("lab controller work {} failed: {}", key, e.toString());
      return false;
    }
  }
}
