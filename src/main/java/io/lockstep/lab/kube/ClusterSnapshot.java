package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Utils;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The lab cluster's state on disk: one JSON file per resource type holding every stored object as
 * the API serves it (uids, resource versions, statuses and timestamps included), plus which node
 * agents are stopped. JSON rather than YAML because it round-trips every string exactly (a label
 * value {@code 1e3} stays a string). Saved at most {@value #DEBOUNCE_SECONDS} s after a change (the
 * changes meanwhile ride along) — so a killed lab loses little — and on stop; restored into the store
 * before the API server opens, so owner references still point at the right uids.
 */
final class ClusterSnapshot {

  static final int DEBOUNCE_SECONDS = 2;
  private static final Logger log = LoggerFactory.getLogger(ClusterSnapshot.class);
  private static final String AGENTS = "node-agents.json";

  private final LabDispatcher store;
  private final Path dir;
  private final NodeAgents agents;
  private final JsonMapper json = JsonMapper.builder().build();
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile ScheduledExecutorService timer;

  ClusterSnapshot(LabDispatcher store, Path dir, NodeAgents agents) {
    this.store = store;
    this.dir = dir;
    this.agents = agents;
  }

  /** Whether a saved state exists. */
  boolean exists() {
    return Files.exists(dir.resolve(fileName(ApiCatalog.NAMESPACES)));
  }

  /** Loads the saved objects into the (not yet serving) store and the node agents' state. */
  void restore() {
    restoreType(ApiCatalog.CRDS);
    for (ApiResourceType type : store.types()) {
      if (!type.equals(ApiCatalog.CRDS)) {
        restoreType(type);
      }
    }
    agents.load(dir.resolve(AGENTS));
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

  /** Saves soon: the first change of a burst schedules one save, the rest ride along. */
  void changed() {
    if (timer != null && pending.compareAndSet(false, true)) {
      timer.schedule(() -> {
        pending.set(false);
        saveQuietly();
      }, DEBOUNCE_SECONDS, TimeUnit.SECONDS);
    }
  }

  void startAutoSave() {
    timer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, "lab-kube-snapshot");
      t.setDaemon(true);
      return t;
    });
  }

  /** Stops saving in the background and saves once more. */
  void stop() {
    if (timer != null) {
      timer.shutdownNow();
      awaitQuietly(timer, Duration.ofSeconds(5));
      timer = null;
    }
    pending.set(false);
    save();
  }

  synchronized void save() {
    try {
      Files.createDirectories(dir);
      Set<String> written = new HashSet<>();
      for (ApiResourceType type : store.types()) {
        JsonNode items = json.readTree(store.listJson(type)).path("items");
        String file = fileName(type);
        write(dir.resolve(file), json.writerWithDefaultPrettyPrinter()
            .writeValueAsString(items.isArray() ? items : json.createArrayNode()));
        written.add(file);
      }
      agents.save(dir.resolve(AGENTS));
      written.add(AGENTS);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path stale : files.filter(f -> !written.contains(f.getFileName().toString())).toList()) {
          Files.deleteIfExists(stale);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the lab cluster to " + dir, e);
    }
  }

  private void saveQuietly() {
    try {
      save();
    } catch (RuntimeException e) {
      log.warn("lab cluster not saved: {}", e.toString());
    }
  }

  private void restoreType(ApiResourceType type) {
    Path file = dir.resolve(fileName(type));
    if (!Files.exists(file)) {
      return;
    }
    try {
      JsonNode items = json.readTree(Files.readString(file));
      if (items instanceof ArrayNode array) {
        for (JsonNode object : array) {
          put(type, json.writeValueAsString(object));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Puts a saved object back exactly as it was (uid, resourceVersion, timestamps), bypassing the
   * create handler that would give it new ones — safe only while the store is not serving — and
   * moves the store's version counter and fabric8's uid counter past it, so that no later object
   * reuses its version or uid.
   */
  private void put(ApiResourceType type, String object) {
    GenericKubernetesResource resource = store.serialization().unmarshal(object, GenericKubernetesResource.class);
    String path = type.collectionPath(resource.getMetadata().getNamespace());
    AttributeSet key = store.getKey(path).add(new Attribute("name", resource.getMetadata().getName()));
    store.processEvent(path, key, null, resource, store.serialization().asJson(resource));
    long version = parseVersion(resource.getMetadata().getResourceVersion());
    while (store.requestResourceVersion() < version) {
      // advancing the counter is the point
    }
    UUID uid = counterUid(resource.getMetadata().getUid());
    while (uid != null && Utils.generateId().getLeastSignificantBits() < uid.getLeastSignificantBits()) {
      // advancing the counter is the point
    }
  }

  private static long parseVersion(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A uid from fabric8's counter (most significant bits zero); null for any other uid. */
  private static UUID counterUid(String value) {
    try {
      UUID uid = value == null ? null : UUID.fromString(value);
      return uid != null && uid.getMostSignificantBits() == 0 ? uid : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String fileName(ApiResourceType type) {
    return (type.group().isEmpty() ? "core" : type.group()) + "_" + type.version() + "_" + type.plural() + ".json";
  }

  private static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitQuietly(ScheduledExecutorService executor, Duration timeout) {
    try {
      executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
