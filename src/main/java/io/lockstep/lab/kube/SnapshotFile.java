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
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The lab cluster's snapshot ({@value #NAME}): every object of the store at one point of its
 * journal, custom resource definitions first, after a header naming the snapshot's generation (the
 * journals from that generation on hold what came after) and the highest resourceVersion given.
 * Written beside ({@code .tmp}) and renamed over the previous one, so it is always whole: a kill
 * while writing leaves the previous snapshot and a {@code .tmp} that the next start deletes.
 */
final class SnapshotFile {

  static final String NAME = "snapshot.jsonl";
  private static final String CRDS = ApiCatalog.CRDS.collectionPath(null);

  private final Path file;
  private final Path tmp;

  SnapshotFile(Path dir) {
    this.file = dir.resolve(NAME);
    this.tmp = dir.resolve(NAME + ".tmp");
  }

  boolean exists() {
    return Files.exists(file);
  }

  /** Deletes what a kill while writing left beside the snapshot. */
  void deleteLeftover() throws IOException {
    Files.deleteIfExists(tmp);
  }

  /** Restores every object of the snapshot; answers its generation, 0 when there is no snapshot. */
  long restore(StoreRestore restore) throws IOException {
    if (!exists()) {
      return 0;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonNode header = ClusterLines.parse(in.readLine(), file, 1);
      long generation = header.path("generation").asLong(0);
      if (generation < 1) {
        throw new IllegalStateException(file + " has no generation in its first line");
      }
      restore.versionGiven(header.path("resourceVersion").asLong(0));
      int number = 1;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        JsonNode object = ClusterLines.parse(line, file, ++number);
        restore.put(ClusterLines.key(object, file, number), ClusterLines.objectOf(object, file, number));
      }
      return generation;
    }
  }

  /** Writes the checkpoint as snapshot {@code generation} and answers its size in bytes. */
  long write(long generation, LabDispatcher.Checkpoint checkpoint) {
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        out.write(ClusterLines.header(generation, checkpoint.version()));
        for (boolean definitions : new boolean[] {true, false}) {
          for (Map.Entry<AttributeSet, String> entry : checkpoint.objects()) {
            StoreKey key = StoreKey.of(entry.getKey(), null);
            if (key.path().equals(CRDS) == definitions) {
              out.write(ClusterLines.object(key, entry.getValue()));
            }
          }
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(file);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      throw new UncheckedIOException("cannot write the lab cluster snapshot " + file, e);
    }
  }
}
