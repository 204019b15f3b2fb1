package io.lockstep.lab.kube;

import io.fabric8.mockwebserver.crud.AttributeSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lab cluster's objects on disk, exactly as durable as the API's answers: the store writes every
 * change to a journal before it applies it (so before the request that made it is answered, see
 * {@link ClusterJournal} for what "written" promises), and now and then the whole store becomes a
 * snapshot and the journal starts afresh. Nothing is saved later or on a timer, so a lab killed at
 * any instant comes back with every change it answered.
 *
 * <p>Files in {@code dir}, one JSON document per line (JSON because it round-trips every string
 * exactly: a label value {@code 1e3} stays a string):
 * <ul>
 *   <li>{@value #SNAPSHOT}: a header {@code {"generation":G,"resourceVersion":V}}, then one line per
 *       object, {@code {"path":P,"name":N,"object":{…}}}, custom resource definitions first. Written
 *       beside and renamed over the previous one, so it is always whole.
 *   <li>{@code journal-G.jsonl}: the changes made after snapshot G was taken, in order:
 *       {@code {"op":"put","path":P,"name":N,"rv":V,"object":{…}}} or
 *       {@code {"op":"delete","path":P,"name":N,"rv":V}}.
 * </ul>
 *
 * <p><b>Recovery</b> loads snapshot G, then replays {@code journal-G}, {@code journal-G+1}, … in
 * order, and deletes older journals (left by a compaction killed before it cleaned up). Without a
 * snapshot there is no state (a first seeding killed midway leaves journals only; they are deleted
 * and the platform is seeded again). A journal's torn last line is left out; any other unreadable
 * line makes the state unreadable (it is not a crash's doing).
 *
 * <p><b>Compaction</b> — once the journal outgrows the last snapshot (and {@value #MIN_COMPACTION_MIB}
 * MiB), after a seeding and on stop: between two changes, the store is copied and appends switch to
 * journal G+1; then snapshot G+1 is written beside and renamed into place; then the journals before
 * G+1 are deleted. A kill before the rename leaves snapshot G with journals G and G+1, which together
 * hold every change; a kill after it leaves snapshot G+1 and journal G+1, plus a stale journal G that
 * recovery deletes. A compaction that fails keeps every journal it would have replaced.
 */
final class ClusterStorage implements ChangeLog {

  static final String SNAPSHOT = "snapshot.jsonl";
  private static final long MIN_COMPACTION_MIB = 4;
  private static final Pattern JOURNAL = Pattern.compile("journal-(\\d+)\\.jsonl");
  private static final String CRDS = ApiCatalog.CRDS.collectionPath(null);
  private static final Logger log = LoggerFactory.getLogger(ClusterStorage.class);

  private final LabDispatcher store;
  private final Path dir;
  private final JsonMapper json = JsonMapper.builder().build();
  private final Object compaction = new Object();
  private final AtomicBoolean compactionQueued = new AtomicBoolean();
  private volatile ClusterJournal journal;
  private volatile ExecutorService compactor;
  private volatile long snapshotBytes;
  private long generation;
  private long savedVersion;

  ClusterStorage(LabDispatcher store, Path dir) {
    this.store = store;
    this.dir = dir;
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
      Files.deleteIfExists(dir.resolve(SNAPSHOT + ".tmp"));
      legacy = !Files.exists(dir.resolve(SNAPSHOT)) && LegacyClusterFiles.present(dir);
      long snapshot = legacy ? LegacyClusterFiles.restore(dir, store) : restoreSnapshot();
      generation = Math.max(1, snapshot);
      for (long g : journals()) {
        if (snapshot == 0 || g < snapshot) {
          delete(journalFile(g));
        } else {
          replay(journalFile(g));
          generation = g;
        }
      }
      store.finishRestore(savedVersion);
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
      try {
        if (legacy) {
          compact();
        }
        LegacyClusterFiles.delete(dir, store.types());
      } catch (RuntimeException e) {
        log.warn("lab cluster state in {} kept in its earlier format too: {}", dir, e.toString());
      }
    }
    return legacy || Files.exists(dir.resolve(SNAPSHOT));
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
    append("{\"op\":\"put\"," + where(key) + ",\"rv\":" + version + ",\"object\":" + oneLine(object) + "}\n");
  }

  @Override
  public void delete(StoreKey key, long version) {
    append("{\"op\":\"delete\"," + where(key) + ",\"rv\":" + version + "}\n");
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
      writeSnapshot(next, checkpoint);
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
        executor.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
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

  /** Restores the snapshot; answers its generation, 0 when there is none. */
  private long restoreSnapshot() throws IOException {
    Path file = dir.resolve(SNAPSHOT);
    if (!Files.exists(file)) {
      return 0;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonNode header = parse(in.readLine(), file, 1);
      long snapshot = header.path("generation").asLong(0);
      if (snapshot < 1) {
        throw new IllegalStateException(file + " has no generation in its first line");
      }
      int number = 1;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode object = parse(line, file, ++number);
        store.restore(key(object, file, number), json.writeValueAsString(object.get("object")));
      }
      savedVersion = header.path("resourceVersion").asLong(0);
      snapshotBytes = Files.size(file);
      return snapshot;
    }
  }

  /** Applies a journal's complete lines to the store, in order. */
  private void replay(Path file) {
    List<String> lines = ClusterJournal.read(file);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode change = parse(lines.get(i), file, i + 1);
      StoreKey key = key(change, file, i + 1);
      switch (change.path("op").asString("")) {
        case "put" -> store.restore(key, json.writeValueAsString(change.get("object")));
        case "delete" -> store.restoreDeletion(key, change.path("rv").asLong(0));
        default -> throw new IllegalStateException(file + " line " + (i + 1) + " is not a change: " + lines.get(i));
      }
    }
  }

  private void writeSnapshot(long next, LabDispatcher.Checkpoint checkpoint) {
    Path file = dir.resolve(SNAPSHOT);
    Path tmp = dir.resolve(SNAPSHOT + ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        out.write("{\"generation\":" + next + ",\"resourceVersion\":" + checkpoint.version() + "}\n");
        for (boolean definitions : new boolean[] {true, false}) {
          for (Map.Entry<AttributeSet, String> entry : checkpoint.objects()) {
            StoreKey key = StoreKey.of(entry.getKey(), null);
            if (key.path().equals(CRDS) == definitions) {
              out.write("{" + where(key) + ",\"object\":" + oneLine(entry.getValue()) + "}\n");
            }
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      snapshotBytes = Files.size(file);
    } catch (IOException e) {
      delete(tmp);
      throw new UncheckedIOException("cannot write the lab cluster snapshot " + file, e);
    }
  }

  private String where(StoreKey key) {
    return "\"path\":" + json.writeValueAsString(key.path()) + ",\"name\":" + json.writeValueAsString(key.name());
  }

  /** A stored state on one line: JSON text has line breaks only between tokens, where a space does as well. */
  private static String oneLine(String object) {
    return object.indexOf('\n') < 0 && object.indexOf('\r') < 0 ? object : object.replace('\n', ' ').replace('\r', ' ');
  }

  private JsonNode parse(String line, Path file, int number) {
    try {
      JsonNode node = line == null ? null : json.readTree(line);
      if (node == null || !node.isObject()) {
        throw new IllegalStateException(file + " line " + number + " is not a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new IllegalStateException(file + " line " + number + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static StoreKey key(JsonNode line, Path file, int number) {
    if (!line.path("path").isString() || !line.path("name").isString()) {
      throw new IllegalStateException(file + " line " + number + " names no object");
    }
    return new StoreKey(line.path("path").asString(), line.path("name").asString());
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
