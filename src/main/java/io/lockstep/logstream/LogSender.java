package io.lockstep.logstream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Writes one run's log to one reader's connection, on a thread of its own. It catches up from the
 * database first (the lines after the reader's {@code Last-Event-ID}, or the tail), then follows the
 * lines published to its {@link LogSubscriber}, skipping what it already sent (seq at or below the
 * last one) and filling a hole from the database, so the switch from stored to live lines neither
 * loses nor repeats a line. Lines go out in batches, one write and one flush per batch.
 */
final class LogSender implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(LogSender.class);
  private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);
  private static final int PAGE = 1000;
  private static final int BATCH = 1000;
  private static final long RETRY_MILLIS = 2000;
  /**
   * The shortest time between two writes of live lines to one reader: lines that arrive meanwhile go
   * out together. A lone line still goes out at once; under a flood this turns thousands of small
   * writes and flushes per reader and second into a few dozen, unnoticeable to a person.
   */
  private static final long COALESCE_MILLIS = 20;

  private final LogSubscriber reader;
  private final Long lastEventId;
  private final LogFormat format;
  private final SseEmitter emitter;
  private final RunLogLines lines;
  private final LogLineViews views;
  private final LogstreamProperties properties;
  private long lastSent;

  LogSender(LogSubscriber reader, Long lastEventId, LogFormat format, SseEmitter emitter, RunLogLines lines,
      LogLineViews views, LogstreamProperties properties) {
    this.reader = reader;
    this.lastEventId = lastEventId;
    this.format = format;
    this.emitter = emitter;
    this.lines = lines;
    this.views = views;
    this.properties = properties;
  }

  @Override
  public void run() {
    try {
      if (reader.attach(Thread.currentThread())) {
        send(new SseFrames().retry(RETRY_MILLIS).comment("log of run " + reader.runId()));
        if (catchUp()) {
          follow();
        }
      }
      complete();
    } catch (IOException gone) {
      log.debug("log reader of run {} gone: {}", reader.runId(), gone.toString());
    } catch (RuntimeException failure) {
      if (reader.closed()) {
        log.debug("log stream of run {} closed: {}", reader.runId(), failure.toString());
      } else {
        log.warn("log stream of run {} stopped: {}", reader.runId(), failure.toString());
      }
      complete();
    } catch (InterruptedException closing) {
      complete();
    } finally {
      reader.detach();
    }
  }

  /** Sends stored lines in rounds until no overflow happened meanwhile; false when the log ended. */
  private boolean catchUp() throws IOException {
    boolean first = true;
    do {
      reader.restart();
      boolean ended = lines.endedAt(reader.runId()).isPresent();
      if (first && lastEventId == null) {
        sendStored(lines.tail(reader.runId(), properties.tail()));
      } else if (first) {
        lastSent = lastEventId;
      }
      first = false;
      sendStoredBefore(Long.MAX_VALUE);
      if (ended) {
        send(new SseFrames().end(lastSent));
        return false;
      }
    } while (reader.overflowed());
    reader.followLive();
    return true;
  }

  /** Sends live lines as they come, a heartbeat when none came for a while, and the end. */
  private void follow() throws IOException, InterruptedException {
    long heartbeat = properties.heartbeat().toMillis();
    List<PublishedLine> batch = new ArrayList<>(BATCH);
    while (!reader.closed()) {
      if (reader.overflowed()) {
        log.info("log reader of run {} dropped: {} lines behind", reader.runId(), reader.backlog());
        return;
      }
      batch.clear();
      reader.take(batch, BATCH, heartbeat);
      if (reader.closed()) {
        return;
      }
      if (batch.isEmpty()) {
        send(new SseFrames().comment("heartbeat"));
        continue;
      }
      if (sendLive(batch)) {
        sendStoredBefore(Long.MAX_VALUE);
        send(new SseFrames().end(lastSent));
        return;
      }
      reader.pause(COALESCE_MILLIS);
    }
  }

  /** Sends a batch of live lines; true when it held the end of the log. */
  private boolean sendLive(List<PublishedLine> batch) throws IOException {
    SseFrames frames = new SseFrames();
    for (PublishedLine line : batch) {
      if (line == PublishedLine.END) {
        send(frames);
        return true;
      }
      if (line.seq() <= lastSent) {
        continue;
      }
      if (line.seq() > lastSent + 1) {
        send(frames);
        frames = new SseFrames();
        sendStoredBefore(line.seq());
      }
      frames.line(line.seq(), line.data(format, views));
      lastSent = line.seq();
    }
    send(frames);
    return false;
  }

  /** Sends the stored lines after the last one sent and below {@code before}, page by page. */
  private void sendStoredBefore(long before) throws IOException {
    List<StoredLine> page;
    do {
      page = lines.after(reader.runId(), lastSent, PAGE).stream().filter(line -> line.seq() < before).toList();
      sendStored(page);
    } while (page.size() == PAGE);
  }

  private void sendStored(List<StoredLine> stored) throws IOException {
    SseFrames frames = new SseFrames();
    for (StoredLine line : stored) {
      frames.line(line.seq(), new PublishedLine(line).data(format, views));
      lastSent = line.seq();
    }
    send(frames);
  }

  private void send(SseFrames frames) throws IOException {
    if (!frames.isEmpty()) {
      emitter.send(Set.of(new DataWithMediaType(frames.toString(), TEXT)));
    }
  }

  private void complete() {
    try {
      emitter.complete();
    } catch (RuntimeException alreadyDone) {
      log.debug("log stream of run {} was already complete", reader.runId());
    }
  }
}
