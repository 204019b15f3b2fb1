package io.lockstep.run;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Tells open pages that a run changed, over server-sent events, so the run page and the dashboard
 * (with its approval badge) refresh at once instead of polling. Every move of a run is a
 * {@link RunEvent} and every other change of it is audited ({@link RunAudit}), so those events,
 * after their commit, are the signal. Changes are coalesced
 * (at most one event per run every {@value #COALESCE_MS} ms) and the event carries only the run id:
 * readers fetch what they may see through the pages.
 */
@Component
class RunChanges implements DisposableBean, SmartLifecycle {

  static final long COALESCE_MS = 250;
  private static final long HEARTBEAT_S = 20;

  private final CopyOnWriteArrayList<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "run-changes");
    t.setDaemon(true);
    return t;
  });

  RunChanges() {
    timer.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_S, HEARTBEAT_S, TimeUnit.SECONDS);
  }

  private volatile boolean running;

  /** A stream of changes of one run, or of every run when {@code runId} is null. */
  SseEmitter subscribe(String runId) {
    SseEmitter emitter = new SseEmitter(0L);
    if (!running) {
      emitter.complete(); // stopping: the page's EventSource connects again to the console that answers next
      return emitter;
    }
    Subscriber subscriber = new Subscriber(runId, emitter);
    subscribers.add(subscriber);
    emitter.onCompletion(() -> subscribers.remove(subscriber));
    emitter.onTimeout(() -> subscribers.remove(subscriber));
    emitter.onError(e -> subscribers.remove(subscriber));
    return emitter;
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void on(RunAudit event) {
    changed(event.runId());
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void on(RunEvent event) {
    changed(event.runId());
  }

  @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
  void on(RunNotifications.ApprovalWaiting event) {
    changed(event.runId());
  }

  void changed(String runId) {
    coalesced("changed", runId);
  }

  /**
   * Tells pages that a step of a run reported progress: a separate, lighter event
   * ({@code progress}) that only run pages act on, so copies reporting every second do not make
   * dashboards recompute.
   */
  void progressed(String runId) {
    coalesced("progress", runId);
  }

  /**
   * Sends event {@code name} with the run id to the pages of that run and of every run, at most
   * once per run and name every {@value #COALESCE_MS} ms.
   */
  private void coalesced(String name, String runId) {
    if (runId == null || !pending.add(name + ":" + runId)) {
      return;
    }
    timer.schedule(() -> {
      pending.remove(name + ":" + runId);
      for (Subscriber subscriber : subscribers) {
        if (subscriber.runId() == null || subscriber.runId().equals(runId)) {
          send(subscriber, SseEmitter.event().name(name).data(runId));
        }
      }
    }, COALESCE_MS, TimeUnit.MILLISECONDS);
  }

  private void heartbeat() {
    for (Subscriber subscriber : subscribers) {
      send(subscriber, SseEmitter.event().comment("heartbeat"));
    }
  }

  private void send(Subscriber subscriber, SseEmitter.SseEventBuilder event) {
    try {
      subscriber.emitter().send(event);
    } catch (IOException | IllegalStateException e) {
      subscribers.remove(subscriber);
      subscriber.emitter().completeWithError(e);
    }
  }

  @Override
  public void start() {
    running = true;
  }

  /**
   * Ends every open stream before the web server's graceful shutdown (a later phase): an open
   * stream is a request in progress, which kept a stopping console waiting its whole shutdown
   * timeout (30 s) whenever a page was watching. Pages reconnect by themselves.
   */
  @Override
  public void stop() {
    running = false;
    subscribers.forEach(s -> s.emitter().complete());
    subscribers.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
    subscribers.forEach(s -> s.emitter().complete());
    subscribers.clear();
  }

  private record Subscriber(String runId, SseEmitter emitter) {}
}
