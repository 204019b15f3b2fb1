package io.lockstep.logstream.bench;

import io.lockstep.logstream.FollowingReader;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * SSE fan-out benchmark (not a test): one run's log followed by many SSE readers while a producer
 * appends at a fixed rate; prints lines sent, lines received per reader, lost lines, duplicates,
 * reconnects, and the latency from the start of {@code append} to a reader having the event.
 *
 * <p>Server and readers share this JVM (and the machine's cores) and talk over loopback. Readers
 * behave like browsers: they reconnect with {@code Last-Event-ID} when the console drops them. A
 * shorter warm-up run with the same readers comes first (so the JIT has compiled the hot paths) and
 * is not counted. Bounded in time: warm-up and run, plus at most 60 s each for readers to connect
 * and to finish.
 *
 * <p>Run from the project directory:
 *
 * <pre>
 * ./mvnw -q -B -Dbuild.dir=target-bench test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target-bench/bench.classpath -Dmdep.includeScope=test
 * java -cp target-bench/test-classes:target-bench/classes:$(cat target-bench/bench.classpath) \
 *     io.lockstep.logstream.bench.LogStreamBenchmark --clients=50 --rate=2000 --seconds=20 --db=h2
 * </pre>
 *
 * Options: {@code --clients} readers (50), {@code --rate} lines per second (2000), {@code --seconds}
 * (20), {@code --warmup} seconds (5), {@code --batch} lines per append call (1: one {@code append}
 * per line, as an SSH output listener does; more uses {@code appendAll}), {@code --db} {@code h2}
 * (in memory) or {@code postgres} (127.0.0.1:5432, database test), {@code --format} {@code html} or
 * {@code json}.
 */
public final class LogStreamBenchmark {

  private LogStreamBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    int clients = Integer.parseInt(options.getOrDefault("clients", "50"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "2000"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "1"));
    String db = options.getOrDefault("db", "h2");
    String format = options.getOrDefault("format", "html");
    String run = "bench-" + System.currentTimeMillis();

    try (BenchConsole console = BenchConsole.start(db)) {
      if (warmup > 0) {
        new FanOutRun(clients, rate, warmup, batch).run(console.runLog(), console.port(), run + "-warmup", format);
      }
      System.out.printf("SSE fan-out: %d readers, %,d lines/s for %d s (%,d lines), %s per append call, %s, %s, "
              + "after a %d s warm-up; %d cores%n", clients, rate, seconds, rate * seconds,
          batch == 1 ? "1 line" : batch + " lines", console.databaseUrl(), format, warmup,
          Runtime.getRuntime().availableProcessors());
      report(new FanOutRun(clients, rate, seconds, batch).run(console.runLog(), console.port(), run, format));
    }
    System.exit(0);
  }

  private static void report(FanOutRun run) {
    int[] received = run.received();
    long lost = Arrays.stream(received).mapToLong(r -> run.total - r).sum();
    StringBuilder perReader = new StringBuilder();
    for (int c = 0; c < received.length; c++) {
      perReader.append(c % 10 == 0 ? "\n    " : " ").append(String.format("%,7d", received[c]));
    }
    System.out.printf("lines sent:        %,d in %.1f s (%,.0f lines/s)%n", run.total, run.producedSeconds,
        run.total / run.producedSeconds);
    System.out.printf("append call:       %s%n", run.appendTime.summary());
    System.out.printf("received/reader:   min %,d, max %,d; per reader:%s%n",
        Arrays.stream(received).min().orElse(0), Arrays.stream(received).max().orElse(0), perReader);
    System.out.printf("lost lines:        %,d (over all readers)%n", lost);
    System.out.printf("duplicates:        %,d%n", run.duplicates());
    System.out.printf("reconnects:        %d (readers dropped for falling behind, then caught up)%n",
        run.readers.stream().mapToInt(FollowingReader::reconnects).sum());
    System.out.printf("readers ended:     %d of %d got the end event%n",
        run.readers.stream().filter(FollowingReader::ended).count(), run.readers.size());
    System.out.printf("latency append→reader: %s%n", run.latency(1, run.total + 1).summary());
    StringBuilder byWindow = new StringBuilder();
    for (int from = 0; from < run.seconds; from += 5) {
      int to = Math.min(run.seconds, from + 5);
      byWindow.append(from == 0 ? "" : ", ").append(String.format("%d-%ds %.1f ms", from, to,
          run.latency(from * run.rate + 1, to * run.rate + 1).percentileMillis(99)));
    }
    System.out.printf("p99 by 5 s window: %s%n", byWindow);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("options look like --clients=50, got " + arg);
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    return options;
  }
}
