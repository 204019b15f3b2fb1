package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The lab's WebSocket watches (fabric8's watches and informers), replacing the mock's own: the
 * mock's watch blocks a server event loop for up to a minute when a client closes it while events
 * are being sent, and fails every write made meanwhile — which the console, opening and closing
 * watches all day, would run into. Here a watch starts from the {@link WatchJournal} (the changes
 * since the resourceVersion it asks for, or the current objects when it asks for none), then gets
 * every matching change as it happens; messages are written by one sender thread, never on an event
 * loop; a closing watch simply leaves.
 */
final class WebSocketWatches {

  /** What a new watch starts with: the events to replay and the version they bring it up to. */
  record Start(List<WatchJournal.Event> events, long version) {}

  private final Set<Watch> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
    Thread t = new Thread(task, "lab-kube-watch-sender");
    t.setDaemon(true);
    return t;
  });

  /**
   * A listener for a new watch of the changes {@code selected} accepts; {@code start} computes its
   * replay once it is registered.
   */
  WebSocketListener watch(Predicate<WatchJournal.Event> selected, Supplier<Start> start) {
    return new Watch(selected, start);
  }

  /** Passes a change to every open watch that selects it. Never blocks. */
  void publish(WatchJournal.Event event) {
    for (Watch watch : open) {
      if (watch.selected.test(event)) {
        watch.deliver(event);
      }
    }
  }

  void stop() {
    open.clear();
    sender.shutdownNow();
  }

  /**
   * One watch. Until its replay is known, changes published to it wait in {@code early}; then it
   * sends the replay, the early changes the replay does not already cover, and every later change.
   */
  private final class Watch extends WebSocketListener {

    private final Predicate<WatchJournal.Event> selected;
    private final Supplier<Start> start;
    private final List<WatchJournal.Event> early = new ArrayList<>();
    private final Queue<WatchJournal.Event> pending = new ArrayDeque<>();
    private WebSocket socket;
    private long replayedUpTo;
    private boolean started;
    private boolean closed;

    Watch(Predicate<WatchJournal.Event> selected, Supplier<Start> start) {
      this.selected = selected;
      this.start = start;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      synchronized (this) {
        socket = webSocket;
      }
      open.add(this);
      Start replay = start.get();
      synchronized (this) {
        replayedUpTo = replay.version();
        pending.addAll(replay.events());
        early.stream().filter(e -> e.version() > replayedUpTo).forEach(pending::add);
        early.clear();
        started = true;
      }
      submit(this::drain);
    }

    void deliver(WatchJournal.Event event) {
      synchronized (this) {
        if (closed) {
          return;
        }
        if (!started) {
          early.add(event);
          return;
        }
        if (event.version() <= replayedUpTo) {
          return;
        }
        pending.add(event);
      }
      submit(this::drain);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      leave();
      submit(() -> webSocket.close(code, reason));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      leave();
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
      leave();
    }

    private void leave() {
      open.remove(this);
      synchronized (this) {
        closed = true;
        pending.clear();
        early.clear();
      }
    }

    private void drain() {
      while (true) {
        WatchJournal.Event next;
        WebSocket target;
        synchronized (this) {
          next = pending.poll();
          target = socket;
          if (next == null || closed) {
            return;
          }
        }
        target.send(next.message());
      }
    }

    private void submit(Runnable task) {
      try {
        sender.execute(task);
      } catch (RejectedExecutionException stopped) {
        leave();
      }
    }
  }
}
