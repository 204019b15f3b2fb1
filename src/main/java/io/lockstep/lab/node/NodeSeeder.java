package io.lockstep.lab.node;

import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Builds a node's filesystem from the seed: a small skeleton ({@code /root}, {@code /etc/hostname},
 * {@code /etc/hosts}, {@code /sysvol}, {@code /tmp}) and the data directory of every component
 * replica and host service placed on the node, filled with real files.
 *
 * <p>The seed's data size is split by weight over every data directory of the platform. Each
 * directory holds a {@code meta.properties}, log segments, an {@code index/} and a
 * {@code snapshot/} sub-directory; content is pseudo-random but deterministic, seeded per node,
 * component and file, so replicas differ and a reseed gives the same bytes. Files are 0640,
 * directories 0750, modification times five days back (at a fixed time of day), as data written
 * some days ago.
 */
final class NodeSeeder {

  private static final String[] FILES = {
      "segment-00001.log", "segment-00002.log", "segment-00003.log",
      "index/00000001.index", "index/00000002.index", "snapshot/snapshot-00001.bin"};
  private static final int[] SHARES = {30, 25, 15, 8, 7, 15};

  /** A data directory: whose, where, and how many bytes it holds. */
  record DataDir(String node, String owner, int ordinal, String path, long bytes) {}

  private final LabSeed seed;
  private final Clock clock;
  private final List<DataDir> dataDirs;

  NodeSeeder(LabSeed seed, Clock clock) {
    this.seed = seed;
    this.clock = clock;
    this.dataDirs = plan(seed);
  }

  /** Every data directory of the platform with its share of the seed's data size. */
  List<DataDir> dataDirs() {
    return dataDirs;
  }

  /**
   * Replaces {@code root} with the node's filesystem written afresh. Written beside it first and
   * renamed into place, so that {@code root} exists only once whole: a lab killed while seeding
   * finds no root, not half of one, and seeds the node again when it starts.
   */
  void seed(LabSeed.Node node, Path root) throws IOException {
    Path fresh = root.resolveSibling(root.getFileName() + ".seeding");
    deleteTree(fresh);
    writeNode(node, fresh);
    deleteTree(root);
    Files.move(fresh, root, StandardCopyOption.ATOMIC_MOVE);
  }

  private void writeNode(LabSeed.Node node, Path root) throws IOException {
    Files.createDirectories(root);
    directory(root.resolve("root"), 0700);
    directory(root.resolve("sysvol"), 0755);
    directory(root.resolve("tmp"), 0777);
    directory(root.resolve("etc"), 0755);
    Files.writeString(root.resolve("etc/hostname"), node.name() + "\n");
    StringBuilder hosts = new StringBuilder("127.0.0.1   localhost\n");
    seed.nodes().forEach(n -> hosts.append(n.ip()).append("  ").append(n.name()).append('\n'));
    Files.writeString(root.resolve("etc/hosts"), hosts);
    for (DataDir dir : dataDirs) {
      if (dir.node().equals(node.name())) {
        write(dir, root);
      }
    }
    if (node.etcd()) {
      EtcdFiles.write(seed, node, root);
    }
  }

  private static List<DataDir> plan(LabSeed seed) {
    record Placement(String node, String owner, int ordinal, String path, int weight) {}
    List<Placement> placements = new ArrayList<>();
    for (LabSeed.Component c : seed.components()) {
      for (int i = 0; i < c.nodes().size(); i++) {
        placements.add(new Placement(c.nodes().get(i), c.name(), i, c.dataPath(), c.weight()));
      }
    }
    for (LabSeed.HostService h : seed.hostServices()) {
      for (int i = 0; i < h.nodes().size(); i++) {
        placements.add(new Placement(h.nodes().get(i), h.name(), i, h.dataPath(), h.weight()));
      }
    }
    long total = seed.platform().data().toBytes();
    long weights = placements.stream().mapToLong(Placement::weight).sum();
    return placements.stream()
        .map(p -> new DataDir(p.node(), p.owner(), p.ordinal(), p.path(), total * p.weight() / Math.max(1, weights)))
        .toList();
  }

  private void write(DataDir dir, Path root) throws IOException {
    Instant written = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(5, ChronoUnit.DAYS).plus(2, ChronoUnit.HOURS);
    Path target = root.resolve(dir.path().substring(1));
    Path parent = root;
    for (Path part : root.relativize(target.getParent())) {
      parent = parent.resolve(part);
      if (!Files.exists(parent)) {
        directory(parent, 0755);
      }
    }
    directory(target, 0750);
    directory(target.resolve("index"), 0750);
    directory(target.resolve("snapshot"), 0750);
    String meta = "# written by the lab seed\ncomponent=" + dir.owner() + "\nreplica=" + dir.ordinal()
        + "\nnode=" + dir.node() + "\npath=" + dir.path() + "\n";
    Path metaFile = target.resolve("meta.properties");
    Files.writeString(metaFile, meta, StandardCharsets.UTF_8);
    finish(metaFile, written);
    long remaining = Math.max(0, dir.bytes() - meta.length());
    long left = remaining;
    for (int i = 0; i < FILES.length; i++) {
      long size = i == FILES.length - 1 ? left : remaining * SHARES[i] / 100;
      left -= size;
      Path file = target.resolve(FILES[i]);
      fill(file, size, new SplittableRandom(stableSeed(dir.node() + "|" + dir.owner() + "|" + FILES[i])));
      finish(file, written.plusSeconds(60L * (i + 1)));
    }
    for (Path d : List.of(target.resolve("index"), target.resolve("snapshot"), target)) {
      Files.setLastModifiedTime(d, FileTime.from(written.plusSeconds(600)));
    }
  }

  private static void fill(Path file, long size, SplittableRandom random) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long done = 0; done < size; ) {
        random.nextBytes(buffer);
        int n = (int) Math.min(buffer.length, size - done);
        out.write(buffer, 0, n);
        done += n;
      }
    }
  }

  private static void finish(Path file, Instant modified) throws IOException {
    Files.setPosixFilePermissions(file, Modes.of(0640));
    Files.setLastModifiedTime(file, FileTime.from(modified));
  }

  private static void directory(Path dir, int mode) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, Modes.of(mode));
  }

  private static long stableSeed(String key) {
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
  }

  /** Deletes a tree without following symbolic links (a link is removed, never its target). */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
