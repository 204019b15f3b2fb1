package io.lockstep.datacopy.bench;

import io.lockstep.LockstepApplication;
import io.lockstep.run.Actor;
import io.lockstep.run.Plan;
import io.lockstep.run.Plans;
import io.lockstep.run.Run;
import io.lockstep.run.RunPhase;
import io.lockstep.run.RunStep;
import io.lockstep.run.Runs;
import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.sshsteps.NodeAddresses;
import io.lockstep.system.Role;
import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Copy throughput on the lab: the whole console (lab profile) runs {@code copy.rsync} steps as a
 * procedure's phases, approved and persisted like any run, over generated trees of {@code
 * --size} in {@code --files} files on node-1..3 ({@code /sysvol/bench/data}), pushed to node-4..6.
 * It prints:
 * <ol>
 *   <li>the executor's pre-copy of one tree (node-1 → node-4, the step from start to end: target
 *       checks, mkdir, rsync, progress, figures) against the very rsync command it ran (taken from
 *       the step's last action) run by hand through one SSH session: the median of {@code
 *       --rounds} each, taking turns at going first;</li>
 *   <li>the final copy (with its checksum verification) after 1% of the tree's bytes changed,
 *       against the full copy of the same run;</li>
 *   <li>three pairs (node-1→4, node-2→5, node-3→6) in one step against each pair alone, without
 *       a bandwidth limit and with {@code --pair-bwlimit} KB/s (default 10000).</li>
 * </ol>
 * Every copy starts from an empty target. Figures on the shared 2-core machine vary by ±10%.
 *
 * <pre>
 * ./mvnw -q -B -Dbuild.dir=target-bench test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target-bench/bench.classpath -Dmdep.includeScope=test
 * java -cp target-bench/test-classes:target-bench/classes:$(cat target-bench/bench.classpath) \
 *     io.lockstep.datacopy.bench.CopyBenchmark --size=200MB --files=800 --rounds=5
 * </pre>
 */
public final class CopyBenchmark {

  private static final String DATA = "/sysvol/bench/data";
  /** How often the run's state is read: seldom, so the reading costs the copy no CPU. */
  private static final long POLL = 200;
  private static final String[][] PAIRS = {{"node-1", "node-4"}, {"node-2", "node-5"},
      {"node-3", "node-6"}};

  private final ConfigurableApplicationContext console;
  private final Path nodesDir;
  private final Plans plans;
  private final Runs runs;
  private final Actor op = Actor.of("op1", Role.OPERATOR);
  private final Actor ap = Actor.of("ap1", Role.APPROVER);
  private final List<String[]> table = new ArrayList<>();

  private CopyBenchmark(ConfigurableApplicationContext console, Path nodesDir) {
    this.console = console;
    this.nodesDir = nodesDir;
    this.plans = console.getBean(Plans.class);
    this.runs = console.getBean(Runs.class);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>(Map.of("size", "200MB", "files", "800",
        "rounds", "5", "pair-bwlimit", "10000"));
    for (String arg : args) {
      String[] kv = arg.replaceFirst("^--", "").split("=", 2);
      options.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    long size = bytes(options.get("size"));
    int files = Integer.parseInt(options.get("files"));
    int rounds = Integer.parseInt(options.get("rounds"));
    int pairLimit = Integer.parseInt(options.get("pair-bwlimit"));
    Path dir = Files.createTempDirectory("lockstep-copy-bench-");
    Path procedures = Files.createDirectories(dir.resolve("procedures"));
    Files.writeString(procedures.resolve("copy-bench.yml"), procedure("copy-bench", "pre"));
    Files.writeString(procedures.resolve("copy-bench-migrate.yml"),
        procedure("copy-bench-migrate", "pre", "final"));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("server.port", "0");
    properties.put("logging.level.root", "WARN");
    properties.put("spring.main.banner-mode", "off");
    properties.put("lockstep.lab.state-dir", dir.resolve("lab").toString());
    properties.put("lockstep.lab.ssh-port", String.valueOf(LabConsoleTest.freePortOnNodeAddresses()));
    properties.put("lockstep.lab.api-port", "0");
    properties.put("lockstep.procedure.user-dir", procedures.toString());
    properties.put("spring.datasource.url", "jdbc:h2:mem:copy-bench;DB_CLOSE_DELAY=-1");
    try (ConfigurableApplicationContext console = new SpringApplicationBuilder(
        LockstepApplication.class).profiles("lab").run(properties.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new))) {
      CopyBenchmark bench = new CopyBenchmark(console, dir.resolve("lab/nodes"));
      System.out.printf(Locale.ROOT, "copy benchmark on the lab: trees of %s in %d files, %d "
          + "rounds, %d cores, %s%n", shown(size), files, rounds,
          Runtime.getRuntime().availableProcessors(), rsyncVersion());
      bench.run(size, files, rounds, pairLimit);
    } finally {
      io.lockstep.datacopy.CopyLab.deleteTree(dir);
    }
  }

  private void run(long size, int files, int rounds, int pairLimit) throws Exception {
    for (String[] pair : PAIRS) {
      generate(host(pair[0], DATA), size, files, pair[0].hashCode());
      Files.createDirectories(host(pair[1], DATA).getParent());
    }
    // warm-up (page cache, SSH sessions, JIT), and the exact command the executor runs
    Timed warm = step("copy-bench", List.of(row(0)));
    String command = warm.lastAction().substring(warm.lastAction().indexOf(": ") + 2);
    clearTargets();

    List<Timed> byHand = new ArrayList<>();
    List<Timed> executor = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      // alternate who goes first, so that neither always meets a warmer page cache
      for (int turn = 0; turn < 2; turn++) {
        if ((round + turn) % 2 == 0) {
          byHand.add(byHand(PAIRS[0][0], command));
        } else {
          executor.add(step("copy-bench", List.of(row(0))));
        }
        clearTargets();
      }
    }
    Duration hand = median(byHand.stream().map(Timed::took).toList());
    Duration console = median(executor.stream().map(Timed::took).toList());
    Duration rsync = median(executor.stream().map(t -> Duration.ofMillis(t.rsyncMillis()))
        .toList());
    add("rsync by hand, one SSH session, node-1 → node-4", hand, size, "the same command; "
        + spread(byHand.stream().map(Timed::took).toList()));
    add("copy.rsync step (console, engine), same tree", console, size,
        String.format(Locale.ROOT, "throughput ratio %.2f (goal ≥ 0.95); ",
            seconds(hand) / seconds(console))
        + spread(executor.stream().map(Timed::took).toList()));
    add("  of which the rsync itself", rsync, size, String.format(Locale.ROOT,
        "ratio %.2f; the rest: target checks (find, df, du) and the engine", seconds(hand)
            / seconds(rsync)));

    Timed[] migrate = migrate(size, files);
    add("full pre-copy (the same run's phase 5)", migrate[0].took(), size, "");
    add("final copy after 1% of the bytes changed", migrate[1].took(), -1,
        String.format(Locale.ROOT, "%.0f%% of the full copy; verify by checksum included",
            100 * seconds(migrate[1].took()) / seconds(migrate[0].took())));
    add("  of which the final rsync itself", Duration.ofMillis(migrate[1].rsyncMillis()), -1,
        String.format(Locale.ROOT, "%.0f%% of the full copy's rsync; the rest is mostly the "
            + "checksum verification, which reads every byte on both nodes",
            100.0 * migrate[1].rsyncMillis() / migrate[0].rsyncMillis()));
    clearTargets();

    pairs(size, 0);
    pairs(size, pairLimit);
    print();
    System.out.println("command: " + command);
  }

  /**
   * Each pair alone, then the three in one step. Unlimited, the lab's pairs share its two cores
   * and the one JVM every byte passes through; with {@code --bwlimit} (as the online pre-copy
   * runs) each pair is held to a rate the machine can give all three at once.
   */
  private void pairs(long size, int bwlimit) throws Exception {
    String limit = bwlimit > 0 ? ", --bwlimit=" + bwlimit : "";
    Duration slowest = Duration.ZERO;
    for (int i = 0; i < PAIRS.length; i++) {
      Timed alone = step("copy-bench", List.of(row(i)), bwlimit);
      slowest = alone.took().compareTo(slowest) > 0 ? alone.took() : slowest;
      add("pair " + PAIRS[i][0] + " → " + PAIRS[i][1] + " alone" + limit, alone.took(), size, "");
      clearTargets();
    }
    Timed all = step("copy-bench", List.of(row(0), row(1), row(2)), bwlimit);
    add("three pairs in one step (parallel)" + limit, all.took(), 3 * size,
        String.format(Locale.ROOT, "%.2f × the slowest pair alone", seconds(all.took())
            / seconds(slowest)));
    clearTargets();
  }

  /** Phase 5 then phase 11 of one run, with 1% of each tree's bytes rewritten in between. */
  private Timed[] migrate(long size, int files) throws Exception {
    Plan plan = plans.create(op, "copy-bench-migrate", "copy bench migrate", Map.of(),
        Map.of("rows", List.of(row(0))));
    Run run = runs.request(op, plan.id());
    Timed pre = phase(run.id(), "pre");
    change(host(PAIRS[0][0], DATA), size / 100);
    Timed fin = phase(run.id(), "final");
    awaitRun(run.id(), Run.State.SUCCEEDED);
    return new Timed[] {pre, fin};
  }

  /** One run of {@code procedure} (a single phase) over {@code rows}: the step's time. */
  private Timed step(String procedure, List<Map<String, Object>> rows) throws Exception {
    return step(procedure, rows, 0);
  }

  private Timed step(String procedure, List<Map<String, Object>> rows, int bwlimit)
      throws Exception {
    Plan plan = plans.create(op, procedure, procedure, Map.of("bwlimit", bwlimit),
        Map.of("rows", rows));
    Run run = runs.request(op, plan.id());
    Timed timed = phase(run.id(), "pre");
    awaitRun(run.id(), Run.State.SUCCEEDED);
    return timed;
  }

  private Timed phase(String runId, String phase) throws Exception {
    while (runs.get(runId).state() != Run.State.AWAITING_APPROVAL) {
      failIfStopped(runId);
      Thread.sleep(POLL);
    }
    runs.approve(ap, runId, phase, "bench", plans.get(runs.get(runId).planId()).hash());
    while (true) {
      RunPhase p = runs.phases(runId).stream().filter(x -> x.phaseId().equals(phase)).findFirst()
          .orElseThrow();
      if (p.state() == RunPhase.State.SUCCEEDED) {
        RunStep step = runs.steps(runId).stream().filter(s -> s.phaseId().equals(phase))
            .findFirst().orElseThrow();
        return new Timed(Duration.between(step.startedAt(), step.endedAt()), step.lastAction(),
            figure(runId, "copy." + phase + ".bench-0.millis"));
      }
      failIfStopped(runId);
      Thread.sleep(POLL);
    }
  }

  private void awaitRun(String runId, Run.State state) throws InterruptedException {
    while (runs.get(runId).state() != state) {
      failIfStopped(runId);
      Thread.sleep(POLL);
    }
  }

  private void failIfStopped(String runId) {
    Run run = runs.get(runId);
    if (run.state() == Run.State.ABORTED || run.state().isStoppedOnStep()) {
      throw new IllegalStateException("benchmark run " + runId + " stopped: " + run.message());
    }
  }

  /** The command run by hand on {@code node}: one SSH command, its output read and dropped. */
  private Timed byHand(String node, String command) {
    NodeShell shell = console.getBean(NodeShell.class);
    String host = console.getBean(NodeAddresses.class).hostOf(node);
    long started = System.nanoTime();
    ExecResult result = shell.exec(shell.target(node, host),
        new RemoteCommand(Arrays.asList(command.split(" "))), Duration.ofHours(2),
        OutputListener.IGNORE);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    if (!result.succeeded()) {
      throw new IllegalStateException("rsync by hand exited " + result.exitStatus());
    }
    return new Timed(took, command, took.toMillis());
  }

  private long figure(String runId, String name) throws SQLException {
    try (Connection c = console.getBean(DataSource.class).getConnection();
        PreparedStatement q = c.prepareStatement(
            "SELECT figure FROM run_figure WHERE run_id = ? AND name = ?")) {
      q.setString(1, runId);
      q.setString(2, name);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next() ? rs.getLong(1) : -1;
      }
    }
  }

  private record Timed(Duration took, String lastAction, long rsyncMillis) {}

  private static Map<String, Object> row(int pair) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("key", "bench-" + pair);
    row.put("component", "bench");
    row.put("kind", "helm");
    row.put("ordinal", pair);
    row.put("source_node", PAIRS[pair][0]);
    row.put("source_path", DATA);
    row.put("target_node", PAIRS[pair][1]);
    row.put("target_path", DATA);
    return row;
  }

  private static String procedure(String id, String... modes) {
    StringBuilder yaml = new StringBuilder("id: " + id + "\nname: Copy benchmark\n"
        + "parameters:\n  - name: bwlimit\n    type: int\n    min: 0\n    max: 10000000\n    default: 0\nphases:\n");
    for (String mode : modes) {
      yaml.append("  - id: ").append(mode).append("\n    name: ").append(mode)
          .append(" copy\n    steps:\n      - id: copy\n        type: copy.rsync\n")
          .append("        params: { rows: \"${plan.rows}\", bwlimit: \"${params.bwlimit}\", mode: ")
          .append(mode).append(" }\n")
          .append("        timeout: 2h\n        repeatable: true\n");
    }
    return yaml.toString();
  }

  private Path host(String node, String path) {
    return nodesDir.resolve(node).resolve("root").resolve(path.substring(1));
  }

  private void clearTargets() {
    for (String[] pair : PAIRS) {
      io.lockstep.datacopy.CopyLab.deleteTree(host(pair[1], DATA));
    }
  }

  /** {@code files} files of random bytes, {@code size} in all, sizes varying ±50%, 100 per directory. */
  private static void generate(Path tree, long size, int files, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    long[] sizes = new long[files];
    long sum = 0;
    for (int i = 0; i < files; i++) {
      sizes[i] = 50 + random.nextInt(100);
      sum += sizes[i];
    }
    byte[] buffer = new byte[1 << 20];
    for (int i = 0; i < files; i++) {
      Path file = tree.resolve(String.format(Locale.ROOT, "d%03d/f%05d.bin", i / 100, i));
      Files.createDirectories(file.getParent());
      write(file, size * sizes[i] / sum, random, buffer);
    }
  }

  /** Rewrites whole files (same sizes, new bytes, new times) until {@code bytes} have changed. */
  private static void change(Path tree, long bytes) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    byte[] buffer = new byte[1 << 20];
    List<Path> files;
    try (Stream<Path> all = Files.walk(tree)) {
      files = all.filter(Files::isRegularFile).sorted().toList();
    }
    long changed = 0;
    for (int i = 0; changed < bytes && i < files.size(); i += 7) {
      long size = Files.size(files.get(i));
      write(files.get(i), size, random, buffer);
      changed += size;
    }
  }

  private static void write(Path file, long size, SplittableRandom random, byte[] buffer)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; ) {
        random.nextBytes(buffer);
        int n = (int) Math.min(buffer.length, size - done);
        out.write(buffer, 0, n);
        done += n;
      }
    }
  }

  private static Duration median(List<Duration> times) {
    List<Duration> sorted = times.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /** {@code median of 3, 2.41–2.97 s}. */
  private static String spread(List<Duration> times) {
    List<Duration> sorted = times.stream().sorted().toList();
    return String.format(Locale.ROOT, "median of %d, %.2f–%.2f s", sorted.size(),
        seconds(sorted.get(0)), seconds(sorted.get(sorted.size() - 1)));
  }

  private void add(String what, Duration took, long bytes, String note) {
    table.add(new String[] {what, String.format(Locale.ROOT, "%.2f s", seconds(took)),
        bytes < 0 ? "" : shown((long) (bytes / seconds(took))) + "/s", note});
  }

  private void print() {
    String format = "| %-54s | %9s | %12s | %s%n";
    System.out.printf(Locale.ROOT, format, "copy", "time", "throughput", "note");
    System.out.printf(Locale.ROOT, format, "-".repeat(54), "-".repeat(9), "-".repeat(12), "---");
    table.forEach(row -> System.out.printf(Locale.ROOT, format, (Object[]) row));
  }

  private static double seconds(Duration took) {
    return took.toNanos() / 1e9;
  }

  private static String shown(long bytes) {
    return bytes >= 1 << 30 ? String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1 << 30))
        : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
  }

  private static long bytes(String size) {
    String s = size.toUpperCase(Locale.ROOT).replace("IB", "B");
    long unit = s.endsWith("GB") ? 1L << 30 : s.endsWith("MB") ? 1L << 20 : s.endsWith("KB")
        ? 1L << 10 : 1;
    return Long.parseLong(s.replaceAll("[^0-9]", "")) * unit;
  }

  private static String rsyncVersion() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("rsync", "--version").redirectErrorStream(true).start();
    String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
    p.waitFor();
    return first.replaceAll("\\s+", " ").replace("protocol version", "protocol");
  }

}
