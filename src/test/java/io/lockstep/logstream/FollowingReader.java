package io.lockstep.logstream;

import io.lockstep.logstream.SseClient.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Follows a run's log the way a browser's EventSource does: when the stream closes without an
 * {@code end} event (the console dropped a reader that fell behind, or restarted) it reconnects
 * after a pause, sending the id of the last event it got as {@code Last-Event-ID}. Line events go to
 * a listener on the reading thread.
 */
public final class FollowingReader implements AutoCloseable {

  private final int port;
  private final String path;
  private final Map<String, String> headers;
  private final Consumer<Event> lines;
  private final Duration pause;
  private final AtomicInteger reconnects = new AtomicInteger();
  private final Thread thread;
  private volatile SseClient current;
  private volatile boolean connected;
  private volatile boolean ended;
  private volatile boolean stopped;
  private volatile String lastId;

  public FollowingReader(int port, String path, Map<String, String> headers, Duration pause, Consumer<Event> lines) {
    this.port = port;
    this.path = path;
    this.headers = Map.copyOf(headers);
    this.pause = pause;
    this.lines = lines;
    this.thread = new Thread(this::follow, "following-reader-" + path);
    thread.setDaemon(true);
    thread.start();
  }

  /** How often the reader had to reconnect. */
  public int reconnects() {
    return reconnects.get();
  }

  /** Whether the stream is open right now (the console answered 200). */
  public boolean connected() {
    return connected;
  }

  /** Whether the {@code end} event arrived. */
  public boolean ended() {
    return ended;
  }

  @Override
  public void close() throws IOException {
    stopped = true;
    thread.interrupt();
    SseClient client = current;
    if (client != null) {
      client.close();
    }
  }

  private void follow() {
    while (!stopped && !ended) {
      Map<String, String> request = new HashMap<>(headers);
      if (lastId != null) {
        request.put("Last-Event-ID", lastId);
        reconnects.incrementAndGet();
      }
      try (SseClient client = SseClient.open(port, path, request, this::receive)) {
        current = client;
        connected = client.status() == 200;
        while (!client.isClosed() && !stopped) {
          Thread.sleep(20);
        }
        connected = false;
        if (!ended && !stopped) {
          Thread.sleep(pause.toMillis());
        }
      } catch (IOException e) {
        sleepQuietly();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void receive(Event event) {
    if ("line".equals(event.name())) {
      lastId = event.id();
      lines.accept(event);
    } else if ("end".equals(event.name())) {
      ended = true;
    }
  }

  private void sleepQuietly() {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
