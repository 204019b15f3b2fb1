package io.lockstep.logstream.bench;

import io.lockstep.logstream.FollowingReader;
import io.lockstep.logstream.LogLine;
import io.lockstep.logstream.RunLog;
import io.lockstep.logstream.SseClient.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the fan-out benchmark: {@code clients} readers follow a new run's log from its start
 * while a producer appends {@code rate} lines a second for {@code seconds}; then the log is finished
 * and the readers get until their {@code end} event (at most 60 s more). Each reader records, on its
 * own thread, how often each seq arrived and when it first did.
 */
final class FanOutRun {

  private static final String AUTH = "Basic "
      + Base64.getEncoder().encodeToString("viewer:lockstep-demo".getBytes(StandardCharsets.UTF_8));

  final int clients;
  final int rate;
  final int seconds;
  final int batch;
  final int total;
  final long[] appendedAt;
  final AtomicIntegerArray[] seen;
  final long[][] receivedAt;
  final Latencies appendTime = new Latencies();
  final List<FollowingReader> readers = new ArrayList<>();
  double producedSeconds;

  FanOutRun(int clients, int rate, int seconds, int batch) {
    this.clients = clients;
    this.rate = rate;
    this.seconds = seconds;
    this.batch = batch;
    this.total = rate * seconds;
    this.appendedAt = new long[total + 1];
    this.seen = new AtomicIntegerArray[clients];
    this.receivedAt = new long[clients][total + 1];
  }

  /** Runs it against the console on {@code port}; returns once every reader ended or 60 s passed. */
  FanOutRun run(RunLog runLog, int port, String runId, String format) throws InterruptedException, IOException {
    for (int c = 0; c < clients; c++) {
      AtomicIntegerArray counts = seen[c] = new AtomicIntegerArray(total + 1);
      long[] times = receivedAt[c];
      readers.add(new FollowingReader(port, "/api/runs/" + runId + "/log?lastEventId=0&format=" + format,
          Map.of("Authorization", AUTH), Duration.ofMillis(500), event -> record(event, counts, times)));
    }
    waitUntil(() -> readers.stream().allMatch(FollowingReader::connected));
    long start = System.nanoTime();
    long period = 1_000_000_000L * batch / rate;
    for (int seq = 1; seq <= total; seq += batch) {
      LockSupport.parkNanos(start + (seq - 1L) / batch * period - System.nanoTime());
      int n = Math.min(batch, total - seq + 1);
      List<LogLine> lines = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String text = "line " + (seq + i) + " <of> the benchmark run " + runId;
        lines.add(LogLine.out("bench", "node-" + (seq % 6 + 1), text));
      }
      long before = System.nanoTime();
      for (int i = 0; i < n; i++) {
        appendedAt[seq + i] = before;
      }
      if (n == 1) {
        runLog.append(runId, lines.get(0));
      } else {
        runLog.appendAll(runId, lines);
      }
      appendTime.add(System.nanoTime() - before);
    }
    producedSeconds = (System.nanoTime() - start) / 1e9;
    runLog.finish(runId);
    waitUntil(() -> readers.stream().allMatch(FollowingReader::ended));
    for (FollowingReader reader : readers) {
      reader.close();
    }
    return this;
  }

  /** Latency from the start of the append to a reader having the line, for lines in [from, to). */
  Latencies latency(int fromSeq, int toSeq) {
    Latencies latency = new Latencies();
    for (int c = 0; c < clients; c++) {
      for (int seq = fromSeq; seq < toSeq; seq++) {
        if (seen[c].get(seq) > 0) {
          latency.add(receivedAt[c][seq] - appendedAt[seq]);
        }
      }
    }
    return latency;
  }

  /** Lines each reader received at least once. */
  int[] received() {
    int[] received = new int[clients];
    for (int c = 0; c < clients; c++) {
      for (int seq = 1; seq <= total; seq++) {
        received[c] += seen[c].get(seq) > 0 ? 1 : 0;
      }
    }
    return received;
  }

  long duplicates() {
    long duplicates = 0;
    for (int c = 0; c < clients; c++) {
      for (int seq = 1; seq <= total; seq++) {
        duplicates += Math.max(0, seen[c].get(seq) - 1);
      }
    }
    return duplicates;
  }

  private static void record(Event event, AtomicIntegerArray counts, long[] times) {
    int seq = Integer.parseInt(event.id());
    if (counts.getAndIncrement(seq) == 0) {
      times[seq] = event.receivedNanos();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
