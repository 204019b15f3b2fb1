package io.lockstep.lab.kube;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The lab cluster's objects on disk, exactly as durable as the API's answers: the store writes every
 * change to a journal before it applies it, so before the request that made it is answered (see
 * {@link ClusterJournal} for what "written" promises), and now and then the whole store becomes a
 * snapshot and the journal starts afresh. Nothing is saved later, on a timer or only on stop, so a
 * lab killed at any instant comes back with every change it answered. The lines are {@link
 * ClusterLines}'.
 *
 * <p>Files in {@code dir}: the {@link SnapshotFile} (generation G) and {@code journal-G.jsonl},
 * {@code journal-G+1.jsonl}, … holding the changes made after it, in order.
 *
 * <p><b>Recovery</b> loads snapshot G, replays the journals from G on, and deletes older ones (a
 * compaction killed before it cleaned up leaves them). Without a snapshot there is no state: a
 * first seeding killed midway leaves journals only; they are deleted and the platform is seeded
 * again. A journal's torn last line is left out; any other unreadable line makes the state
 * unreadable, since no crash makes one.
 *
 * <p><b>Compaction</b> — when the journal has outgrown the last snapshot (and {@value
 * #MIN_COMPACTION_MIB} MiB, so that the work stays proportional to the writes), after a seeding and
 * on stop: between two changes the store is copied and appends switch to journal G+1; then snapshot
 * G+1 is written beside and renamed into place; then the journals before G+1 are deleted. A kill
 * before the rename leaves snapshot G with journals G and G+1, which together hold every change; a
 * kill after it leaves snapshot G+1 with journal G+1, and a stale journal G that recovery deletes.
 * A compaction that fails keeps every journal it would have replaced.
 */
final class ClusterStorage implements ChangeLog {

  private static final long MIN_COMPACTION_MIB = 4;
  private static final Pattern JOURNAL = Pattern.compile("journal-(\\d+)\\.jsonl");
  private static final Logger log = LoggerFactory.getLogger(ClusterStorage.class);

  private final LabDispatcher store;
  private final Path dir;
  private final SnapshotFile snapshot;
  private final Object compaction = new Object();
  private final AtomicBoolean compactionQueued = new AtomicBoolean();
  private volatile ClusterJournal journal;
  private volatile ExecutorService compactor;
  private volatile long snapshotBytes;
  private long generation;

  ClusterStorage(LabDispatcher store, Path dir) {
    this.store = store;
    this.dir = dir;
    this.snapshot = new SnapshotFile(dir);
  }

  /**
   * Restores the saved objects into the (not yet serving) store, if there are any, and from then on
   * journals every change the store makes. Answers whether there was a saved state.
   *
   * @throws RuntimeException when the saved state cannot be read; nothing is left open then
   */
  boolean open() {
    boolean legacy;
    try {
      Files.createDirectories(dir);
      snapshot.deleteLeftover();
      legacy = !snapshot.exists() && LegacyClusterFiles.present(dir);
      StoreRestore restore = new StoreRestore(store);
      long snapshotGeneration = legacy ? LegacyClusterFiles.restore(dir, restore) : snapshot.restore(restore);
      generation = Math.max(1, snapshotGeneration);
      for (long g : journals()) {
        if (snapshotGeneration == 0 || g < snapshotGeneration) {
          delete(journalFile(g));
        } else {
          replay(journalFile(g), restore);
          generation = g;
        }
      }
      restore.finish();
      snapshotBytes = snapshot.exists() ? Files.size(dir.resolve(SnapshotFile.NAME)) : 0;
      journal = ClusterJournal.openForAppend(journalFile(generation));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lab cluster state in " + dir, e);
    }
    compactor = Executors.newSingleThreadExecutor(task -> {
      Thread t = new Thread(task, "lab-kube-compaction");
      t.setDaemon(true);
      return t;
    });
    store.logChangesTo(this);
    if (LegacyClusterFiles.present(dir)) {
      dropLegacy(legacy);
    }
    return legacy || snapshot.exists();
  }

  /** Moves the saved state out of the way (it could not be restored); answers where to. */
  Path setAside() {
    Path aside = dir.resolveSibling(dir.getFileName() + ".unreadable-" + System.currentTimeMillis());
    try {
      Files.move(dir, aside);
      return aside;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the unreadable lab cluster state " + dir + " aside", e);
    }
  }

  @Override
  public void put(StoreKey key, long version, String object) {
    append(ClusterLines.put(key, version, object));
  }

  @Override
  public void delete(StoreKey key, long version) {
    append(ClusterLines.delete(key, version));
  }

  /** Compacts on a background thread, soon; requests made meanwhile ride along. */
  void compactSoon() {
    ExecutorService executor = compactor;
    if (executor != null && compactionQueued.compareAndSet(false, true)) {
      executor.execute(() -> {
        compactionQueued.set(false);
        try {
          compact();
        } catch (RuntimeException e) {
          log.warn("lab cluster not compacted (every change stays in the journal): {}", e.toString());
        }
      });
    }
  }

  /** Writes a snapshot of the store now and starts a new journal (see the class comment for the order). */
  void compact() {
    synchronized (compaction) {
      long next = generation + 1;
      ClusterJournal fresh = ClusterJournal.openForAppend(journalFile(next));
      ClusterJournal[] previous = new ClusterJournal[1];
      LabDispatcher.Checkpoint checkpoint = store.checkpoint(() -> {
        previous[0] = journal;
        journal = fresh;
      });
      generation = next;
      previous[0].close();
      snapshotBytes = snapshot.write(next, checkpoint);
      journals().stream().filter(g -> g < next).forEach(g -> delete(journalFile(g)));
    }
  }

  /**
   * Stops compacting in the background and closes the journal; later changes are refused. With
   * {@code compact}, compacts once more first (a quicker start next time); without, writes nothing
   * more, as a killed process would not.
   */
  void close(boolean compact) {
    ExecutorService executor = compactor;
    compactor = null;
    if (executor != null) {
      if (compact) {
        executor.shutdown();
      } else {
        executor.shutdownNow(); // as a kill would: a compaction not yet begun does not begin
      }
      try {
        executor.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (compact) {
      try {
        compact();
      } catch (RuntimeException e) {
        log.warn("lab cluster not compacted on stop (every change stays in the journal): {}", e.toString());
      }
    }
    journal.close();
  }

  private void append(String line) {
    ClusterJournal current = journal;
    current.append(line.getBytes(StandardCharsets.UTF_8));
    if (current.size() > Math.max(MIN_COMPACTION_MIB << 20, snapshotBytes)) {
      compactSoon();
    }
  }

  /** Applies a journal's complete lines to the store, in order. */
  private static void replay(Path file, StoreRestore restore) {
    List<String> lines = ClusterJournal.read(file);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode change = ClusterLines.parse(lines.get(i), file, i + 1);
      StoreKey key = ClusterLines.key(change, file, i + 1);
      switch (change.path("op").asString("")) {
        case "put" -> restore.put(key, ClusterLines.objectOf(change, file, i + 1));
        case "delete" -> restore.delete(key, change.path("rv").asLong(0));
        default -> throw new IllegalStateException(file + " line " + (i + 1) + " is not a change: " + lines.get(i));
      }
    }
  }

  /**
   * The earlier format's files go once the state is in this one: at once for a lab restored from
   * them ({@code rewrite}), else they are what a kill left after that rewrite.
   */
  private void dropLegacy(boolean rewrite) {
    try {
      if (rewrite) {
        compact();
      }
      LegacyClusterFiles.delete(dir, store.types());
    } catch (RuntimeException e) {
      log.warn("lab cluster state in {} kept in its earlier format too: {}", dir, e.toString());
    }
  }

  private Path journalFile(long generation) {
    return dir.resolve("journal-" + generation + ".jsonl");
  }

  /** The generations of the journals in {@code dir}, oldest first. */
  private List<Long> journals() {
    try (Stream<Path> files = Files.list(dir)) {
      List<Long> generations = new ArrayList<>();
      files.forEach(f -> {
        Matcher m = JOURNAL.matcher(f.getFileName().toString());
        if (m.matches()) {
          generations.add(Long.parseLong(m.group(1)));
        }
      });
      generations.sort(null);
      return generations;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", file, e.toString());
    }
  }
}
