package io.lockstep.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.testing.LabConsoleTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The measurements over real SSH on the lab's nodes, with the commands a real node runs (du, ls,
 * test, find, df): sizes of the seeded data, and every state a target directory can be in.
 */
class MeasurementsIT extends LabConsoleTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Autowired
  Measurements measurements;

  @Autowired
  Platforms platforms;

  private static Row row(String key, String node, String path, String targetNode, String targetPath) {
    return new Row(key, "kafka", "helm", "kafka", 0, node, path, targetNode, targetPath, 0);
  }

  private static Path onNode(String node, String path) {
    return stateDir().resolve("nodes").resolve(node).resolve("root").resolve(path.substring(1));
  }

  @Test
  void theSizeOfASourceIsWhatDuCountsOfItsFiles() throws IOException {
    Platform platform = platforms.read();
    Row kafka = row("kafka-0", "node-1", "/sysvol/kafka/kafka_data", "node-4", "/sysvol/kafka/kafka_data");
    Facts facts = measurements.measure(List.of(kafka), platform, true, WAIT);

    long files;
    try (Stream<Path> tree = Files.walk(onNode("node-1", "/sysvol/kafka/kafka_data"))) {
      files = tree.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
    assertThat(files).isPositive();
    assertThat(facts.size(kafka.source()).value()).isGreaterThanOrEqualTo(files);
    TargetState target = facts.target(kafka.target()).value();
    assertThat(target.exists()).isFalse();
    assertThat(target.usable()).isTrue();
    assertThat(target.mount()).isEqualTo("/");
    assertThat(target.available()).isGreaterThan(1L << 30);
  }

  @Test
  void everyStateOfATargetIsToldApart() throws IOException {
    Files.createDirectories(onNode("node-5", "/data/planner-it/full/sub"));
    Files.writeString(onNode("node-5", "/data/planner-it/full/a.log"), "old data\n");
    Files.createDirectories(onNode("node-5", "/data/planner-it/empty"));
    Files.writeString(onNode("node-5", "/data/planner-it/file"), "x");
    Platform platform = platforms.read();
    String source = "/sysvol/kafka/kafka_data";
    Facts facts = measurements.measure(List.of(
        row("a-0", "node-1", source, "node-5", "/data/planner-it/full"),
        row("b-0", "node-1", source, "node-5", "/data/planner-it/empty"),
        row("c-0", "node-1", source, "node-5", "/data/planner-it/file"),
        row("d-0", "node-1", source, "node-5", "/data/planner-it/empty/new/deeper")), platform, false, WAIT);

    assertThat(facts.targets().values()).as(facts.targets().toString()).allMatch(Measured::isDone);
    TargetState full = facts.target(new Place("node-5", "/data/planner-it/full")).value();
    assertThat(full.exists()).isTrue();
    assertThat(full.directory()).isTrue();
    assertThat(full.firstEntry()).isEqualTo("/data/planner-it/full/a.log");
    assertThat(full.usable()).isFalse();
    assertThat(facts.target(new Place("node-5", "/data/planner-it/empty")).value().usable()).isTrue();
    TargetState file = facts.target(new Place("node-5", "/data/planner-it/file")).value();
    assertThat(file.exists()).isTrue();
    assertThat(file.directory()).isFalse();
    assertThat(file.usable()).isFalse();
    TargetState deeper = facts.target(new Place("node-5", "/data/planner-it/empty/new/deeper")).value();
    assertThat(deeper.exists()).isFalse();
    assertThat(deeper.available()).isPositive();
  }

  @Test
  void aNodeThatCannotBeReachedIsAFailureNotAWait() {
    Platform read = platforms.read();
    List<NodeState> nodes = read.nodes().stream().map(n -> n.name().equals("node-6")
        ? new NodeState(n.name(), n.ip(), true, false, "connection refused", false) : n).toList();
    Platform platform = new Platform(nodes, read.replicas(), read.appNamespace(), null);
    Row toNode6 = row("kafka-2", "node-3", "/sysvol/kafka/kafka_data", "node-6", "/data/planner-it/x");
    Measured<TargetState> target = measurements.measure(List.of(toNode6), platform, false, WAIT).target(toNode6.target());
    assertThat(target.state()).isEqualTo(Measured.State.FAILED);
    assertThat(target.failure()).isEqualTo("node-6 cannot be reached over SSH: connection refused");
  }
}
