package io.lockstep.migration;

import io.lockstep.ssh.ExecResult;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.RemotePaths;
import io.lockstep.ssh.SshException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Measures data directories over SSH, in parallel, and keeps what it measured for a while: the
 * data size of a source directory ({@code du -sb}) and the state of a target directory (absent, an
 * empty directory, or not; the free space of the filesystem that holds it, {@code df}).
 *
 * <p>A page load measures sizes afresh; the edits that follow, and the save, reuse them for
 * {@code lockstep.migration.size-ttl}. Target states are reused for the shorter {@code target-ttl}.
 * A failed measurement is reused no longer than a target state. A measurement under way is never
 * started twice. Nothing here changes anything on a node.
 */
@Component
class Measurements implements DisposableBean {

  private final NodeShell shell;
  private final MigrationProperties properties;
  private final Clock clock;
  private final ExecutorService pool;
  private final Map<Key, Entry<?>> cache = new ConcurrentHashMap<>();

  Measurements(NodeShell shell, MigrationProperties properties, Clock clock) {
    this.shell = shell;
    this.properties = properties;
    this.clock = clock;
    this.pool = Executors.newFixedThreadPool(properties.parallelism(), r -> {
      Thread t = new Thread(r, "migration-measure");
      t.setDaemon(true);
      return t;
    });
  }

  private record Key(boolean size, Place place) {}

  private record Entry<T>(CompletableFuture<Measured<T>> future, Instant started) {}

  /**
   * Measures what the rules need for {@code rows}: the size of every source, the state of every
   * target of a moving row; waits at most {@code wait} and reports what is not done as pending.
   *
   * @param freshSizes measure sizes again even when a recent result is kept (a page load)
   */
  Facts measure(List<Row> rows, Platform platform, boolean freshSizes, Duration wait) {
    prune();
    Map<Place, CompletableFuture<Measured<Long>>> sizes = new LinkedHashMap<>();
    Map<Place, CompletableFuture<Measured<TargetState>>> targets = new LinkedHashMap<>();
    for (Row row : rows) {
      sizes.computeIfAbsent(row.source(), p -> size(platform, p, freshSizes));
      if (row.moves()) {
        targets.computeIfAbsent(row.target(), p -> target(platform, p));
      }
    }
    List<CompletableFuture<?>> all = new ArrayList<>(sizes.values());
    all.addAll(targets.values());
    await(all, wait);
    Map<Place, Measured<Long>> sizeResults = new LinkedHashMap<>();
    sizes.forEach((place, f) -> sizeResults.put(place, f.getNow(Measured.pending())));
    Map<Place, Measured<TargetState>> targetResults = new LinkedHashMap<>();
    targets.forEach((place, f) -> targetResults.put(place, f.getNow(Measured.pending())));
    return new Facts(sizeResults, targetResults);
  }

  private CompletableFuture<Measured<Long>> size(Platform platform, Place place, boolean fresh) {
    return cached(new Key(true, place), fresh ? Duration.ZERO : properties.sizeTtl(),
        () -> onNode(platform, place, () -> du(platform.node(place.node()).orElseThrow(), place.path())));
  }

  private CompletableFuture<Measured<TargetState>> target(Platform platform, Place place) {
    return cached(new Key(false, place), properties.targetTtl(),
        () -> onNode(platform, place, () -> targetState(platform.node(place.node()).orElseThrow(), place.path())));
  }

  /** Forgets results nobody may reuse any more, so places typed once do not pile up. */
  private void prune() {
    Instant now = clock.instant();
    Duration longest = properties.sizeTtl().compareTo(properties.targetTtl()) > 0 ? properties.sizeTtl() : properties.targetTtl();
    cache.values().removeIf(e -> e.future().isDone() && !e.started().plus(longest).isAfter(now));
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<Measured<T>> cached(Key key, Duration ttl, Supplier<Measured<T>> measure) {
    Instant now = clock.instant();
    Entry<?> entry = cache.compute(key, (k, old) -> {
      if (old != null && (!old.future().isDone() || fresh(old, ttl, now))) {
        return old;
      }
      return new Entry<>(CompletableFuture.supplyAsync(measure, pool), now);
    });
    return ((Entry<T>) entry).future();
  }

  private boolean fresh(Entry<?> entry, Duration ttl, Instant now) {
    Measured<?> result = entry.future().getNow(null);
    Duration kept = result != null && result.state() == Measured.State.FAILED && ttl.compareTo(properties.targetTtl()) > 0
        ? properties.targetTtl() : ttl;
    return entry.started().plus(kept).isAfter(now);
  }

  /** Runs a measurement on a node that exists and is reachable; anything else is a failure. */
  private static <T> Measured<T> onNode(Platform platform, Place place, Supplier<Measured<T>> measure) {
    NodeState node = platform.node(place.node()).orElse(null);
    if (node == null) {
      return Measured.failed(place.node() + " is not a node of the cluster");
    }
    if (!node.reachable() || node.ip() == null) {
      return Measured.failed(node.name() + " cannot be reached over SSH: " + node.sshMessage());
    }
    try {
      RemotePaths.requireAbsolute(place.path());
      return measure.get();
    } catch (IllegalArgumentException | SshException e) {
      return Measured.failed(e.getMessage());
    }
  }

  /** {@code du -sb PATH}: the apparent size in bytes of everything under the directory. */
  private Measured<Long> du(NodeState node, String path) {
    Output out = run(node, RemoteCommand.of("du", "-sb", path));
    if (out.status != 0 || out.stdout.isEmpty()) {
      return Measured.failed("du -sb " + path + " on " + node.name() + " exited with " + out.status + out.why());
    }
    String first = out.stdout.get(0).strip().split("\\s+")[0];
    try {
      return Measured.done(Long.parseLong(first));
    } catch (NumberFormatException e) {
      return Measured.failed("du -sb " + path + " on " + node.name() + " printed no size: " + out.stdout.get(0));
    }
  }

  /**
   * The target's state in at most four read-only commands: which of the path and its parents
   * exist ({@code ls -d}), whether the path is a directory ({@code test -d}) and its first entry
   * ({@code find -mindepth 1 -maxdepth 1 -print -quit}, which stops at one entry however large the
   * directory), and the free space where it is or would be ({@code df -B1 --output=avail,target}
   * of the nearest existing parent).
   */
  private Measured<TargetState> targetState(NodeState node, String path) {
    List<String> chain = new ArrayList<>();
    for (String p = path; !p.isEmpty(); p = p.substring(0, p.lastIndexOf('/'))) {
      chain.add(p);
    }
    chain.add("/");
    Output ls = run(node, new RemoteCommand(prepend("ls", "-d", chain)));
    String nearest = chain.stream().filter(ls.stdout::contains).findFirst().orElse(null);
    if (nearest == null) {
      return Measured.failed("ls -d on " + node.name() + " listed none of " + chain + ls.why());
    }
    boolean exists = nearest.equals(path);
    boolean directory = false;
    String firstEntry = null;
    if (exists) {
      directory = run(node, RemoteCommand.of("test", "-d", path)).status == 0;
      if (directory) {
        Output find = run(node, RemoteCommand.of("find", path, "-mindepth", "1", "-maxdepth", "1", "-print", "-quit"));
        if (find.status != 0) {
          return Measured.failed("find " + path + " on " + node.name() + " exited with " + find.status + find.why());
        }
        firstEntry = find.stdout.isEmpty() ? null : find.stdout.get(0);
      }
    }
    Output df = run(node, RemoteCommand.of("df", "-B1", "--output=avail,target", nearest));
    String[] last = df.stdout.isEmpty() ? new String[0] : df.stdout.get(df.stdout.size() - 1).strip().split("\\s+", 2);
    if (df.status != 0 || last.length < 2 || !last[0].matches("\\d+")) {
      return Measured.failed("df of " + nearest + " on " + node.name() + " gave no free space" + df.why());
    }
    return Measured.done(new TargetState(exists, directory, firstEntry, Long.parseLong(last[0]), last[1]));
  }

  private static List<String> prepend(String program, String option, List<String> args) {
    List<String> argv = new ArrayList<>(List.of(program, option));
    argv.addAll(args);
    return argv;
  }

  private Output run(NodeState node, RemoteCommand command) {
    Output out = new Output();
    ExecResult result = shell.exec(shell.target(node.name(), node.ip()), command, properties.measureTimeout(), out);
    out.status = result.exitStatus();
    return out;
  }

  /** A command's output lines and exit status. */
  private static final class Output implements OutputListener {
    final List<String> stdout = new ArrayList<>();
    final List<String> stderr = new ArrayList<>();
    int status;

    @Override
    public synchronized void onLine(Stream stream, String line) {
      (stream == Stream.STDOUT ? stdout : stderr).add(line);
    }

    String why() {
      return stderr.isEmpty() ? "" : ": " + String.join(" ", stderr.subList(0, Math.min(3, stderr.size())));
    }
  }

  private static void await(List<CompletableFuture<?>> futures, Duration wait) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // What is not done is reported as pending.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // Measurements report their failures as values; nothing else is expected here.
    }
  }

  @Override
  public void destroy() {
    pool.shutdownNow();
  }
}
