package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabNodesSeedTest {

  @TempDir
  Path state;

  @Test
  void theSeedWritesRealDataWhereTheComponentsLiveAndOnlyThere() throws Exception {
    LabSeed seed = ALab.seed("4MB");
    LabNodes nodes = new LabNodes(seed, ALab.props(state), new RecordingCluster());
    nodes.seed();

    Path kafka = nodes.sandbox("node-1").resolve("sysvol/kafka/kafka_data");
    assertThat(kafka.resolve("segment-00001.log")).isRegularFile();
    assertThat(kafka.resolve("index")).isDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kafka.resolve("segment-00001.log"))))
        .isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kafka))).isEqualTo("rwxr-x---");
    assertThat(nodes.sandbox("node-4").resolve("sysvol/kafka")).doesNotExist();
    assertThat(nodes.sandbox("node-4").resolve("sysvol")).isDirectory();
    assertThat(nodes.sandbox("node-2").resolve("sysvol/grafana/data")).isDirectory();
    assertThat(nodes.sandbox("node-1").resolve("sysvol/grafana")).doesNotExist();
    assertThat(nodes.sandbox("node-3").resolve("sysvol/proton-cr/registry/meta.properties")).isRegularFile();

    long total = seed.nodes().stream()
        .mapToLong(n -> dataBytes(nodes.sandbox(n.name()).resolve("sysvol")))
        .sum();
    long expected = seed.platform().data().toBytes();
    assertThat(total).isBetween(expected - 4096, expected);
  }

  @Test
  void reseedingGivesTheSameBytesAndReplicasDiffer() throws Exception {
    LabNodes nodes = new LabNodes(ALab.seed("2MB"), ALab.props(state), new RecordingCluster());
    nodes.seed();
    Map<String, String> first = digests(nodes.sandbox("node-1"));
    Files.writeString(nodes.sandbox("node-1").resolve("sysvol/kafka/kafka_data/segment-00001.log"), "changed");
    nodes.seed();
    assertThat(digests(nodes.sandbox("node-1"))).isEqualTo(first);
    assertThat(digests(nodes.sandbox("node-2")).get("/sysvol/kafka/kafka_data/segment-00001.log"))
        .isNotEqualTo(first.get("/sysvol/kafka/kafka_data/segment-00001.log"));
  }

  @Test
  void reseedingKeepsTheHostKeysAndResetsTheUnits() throws Exception {
    LabProperties props = ALab.props(state);
    LabNodes nodes = new LabNodes(ALab.seed("1MB"), props, new RecordingCluster());
    nodes.start();
    nodes.stop();
    Path hostKey = props.nodesDir().resolve("node-1/ssh_host_ed25519_key");
    String key = Files.readString(hostKey);
    Files.writeString(props.nodesDir().resolve("node-1/units.properties"), "kubelet=inactive\n");
    nodes.seed();
    assertThat(Files.readString(hostKey)).isEqualTo(key);
    assertThat(Files.readString(props.nodesDir().resolve("node-1/units.properties"))).contains("kubelet=active");
  }

  /** A kill while a node is seeded leaves its half-written tree beside the root, never as the root. */
  @Test
  void aSeedingKilledMidwayIsDoneAgainWhenTheNodesStart() throws Exception {
    LabProperties props = ALab.props(state);
    Path half = Files.createDirectories(props.nodesDir().resolve("node-4/root.seeding/etc"));
    Files.writeString(half.resolve("hostname"), "node-");
    LabNodes nodes = new LabNodes(ALab.seed("1MB"), props, new RecordingCluster());
    nodes.start();
    nodes.stop();
    assertThat(Files.readString(nodes.sandbox("node-4").resolve("etc/hostname"))).isEqualTo("node-4\n");
    assertThat(nodes.sandbox("node-4").resolve("sysvol")).isDirectory();
    assertThat(props.nodesDir().resolve("node-4/root.seeding")).doesNotExist();
  }

  private static long dataBytes(Path tree) {
    try (Stream<Path> files = Files.walk(tree)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> digests(Path root) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
          digests.put("/" + root.relativize(file), HexFormat.of().formatHex(FileCommands.digest(in)) + " " + mode);
        }
      }
    }
    return digests;
  }
}
