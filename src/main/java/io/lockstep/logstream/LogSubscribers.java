package io.lockstep.logstream;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live readers of each run's log. {@link #publish} hands a stored line to every reader of its
 * run without ever waiting: each reader has a bounded queue and a thread of its own that writes to
 * its connection, so a slow or stalled reader only falls behind itself and, once its queue is full,
 * is dropped (it reconnects with its {@code Last-Event-ID} and catches up from the database).
 *
 * <p>On shutdown every stream is closed before the web server drains its requests, so open streams
 * do not hold the shutdown up; readers reconnect to the next start. Each reader has a thread of its
 * own while it is connected (a platform thread: Java 17), which suits the tens of people and
 * scripts that watch a maintenance window.
 */
@Component
class LogSubscribers implements SmartLifecycle {

  private final ConcurrentHashMap<String, Set<LogSubscriber>> byRun = new ConcurrentHashMap<>();
  private final SenderThreads threads = new SenderThreads();
  private final RunLogLines lines;
  private final LogLineViews views;
  private final LogstreamProperties properties;
  private volatile ExecutorService senders;
  private volatile boolean running;

  LogSubscribers(RunLogLines lines, LogLineViews views, LogstreamProperties properties) {
    this.lines = lines;
    this.views = views;
    this.properties = properties;
  }

  /**
   * Streams the run's log to {@code emitter}: the lines after {@code lastEventId} (the latest
   * {@code tail} lines when it is {@code null}), then live lines, then {@code end} once the log is
   * finished. Registers the reader before reading the database, so no line falls in between.
   *
   * @return false when the console is stopping and takes no new readers
   */
  boolean subscribe(String runId, Long lastEventId, LogFormat format, SseEmitter emitter) {
    LogSubscriber reader = new LogSubscriber(runId, properties.subscriberQueue(), this);
    LogSender sender = new LogSender(reader, lastEventId, format, emitter, lines, views, properties);
    if (!running) {
      return false;
    }
    byRun.compute(runId, (id, readers) -> {
      Set<LogSubscriber> all = readers == null ? ConcurrentHashMap.newKeySet() : readers;
      all.add(reader);
      return all;
    });
    emitter.onCompletion(reader::close);
    emitter.onTimeout(reader::close);
    emitter.onError(failure -> reader.close());
    try {
      senders.execute(sender);
    } catch (RejectedExecutionException stopping) {
      remove(reader);
      return false;
    }
    return true;
  }

  /** Offers stored lines, in seq order, to the run's readers; never blocks. */
  void publish(String runId, List<StoredLine> stored) {
    Set<LogSubscriber> readers = byRun.get(runId);
    if (readers == null || readers.isEmpty() || stored.isEmpty()) {
      return;
    }
    List<PublishedLine> published = stored.stream().map(PublishedLine::new).toList();
    for (LogSubscriber reader : readers) {
      reader.offer(published);
    }
  }

  /** Tells the run's readers its log has ended (after its last line was published). */
  void end(String runId) {
    Set<LogSubscriber> readers = byRun.get(runId);
    if (readers != null) {
      readers.forEach(LogSubscriber::end);
    }
  }

  /** How many readers follow the run right now. */
  int count(String runId) {
    Set<LogSubscriber> readers = byRun.get(runId);
    return readers == null ? 0 : readers.size();
  }

  void remove(LogSubscriber reader) {
    byRun.computeIfPresent(reader.runId(), (id, readers) -> {
      readers.remove(reader);
      return readers.isEmpty() ? null : readers;
    });
  }

  @Override
  public synchronized void start() {
    senders = Executors.newCachedThreadPool(threads);
    running = true;
  }

  /** Closes every stream (readers reconnect later) and refuses new readers until started again. */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    byRun.values().forEach(readers -> readers.forEach(LogSubscriber::close));
    senders.shutdown();
    try {
      senders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Daemon threads named after their job, one per connected reader. */
  private static final class SenderThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "logstream-sender-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
