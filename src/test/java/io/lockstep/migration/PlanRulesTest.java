package io.lockstep.migration;

import static io.lockstep.migration.APlatform.GIB;
import static io.lockstep.migration.APlatform.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

/** Every rule of the issue, one refusal at a time, in the words the operator reads. */
class PlanRulesTest {

  private static final ResourceBundleMessageSource MESSAGES = messages();
  private final Platform platform = APlatform.lab().build();

  static ResourceBundleMessageSource messages() {
    ResourceBundleMessageSource source = new ResourceBundleMessageSource();
    source.setBasenames("messages-migration");
    source.setDefaultEncoding("UTF-8");
    source.setFallbackToSystemLocale(false);
    return source;
  }

  private static List<String> lines(List<Problem> problems) {
    return problems.stream().map(p -> p.line(MESSAGES, Locale.ROOT)).toList();
  }

  private List<String> check(List<Row> rows, Facts facts) {
    return lines(PlanRules.check(rows, platform, facts));
  }

  private List<String> check(Platform on, List<Row> rows) {
    return lines(PlanRules.check(rows, on, APlatform.measured(rows, 8 * GIB)));
  }

  @Test
  void theLabsMigrationHasNoProblem() {
    List<Row> rows = APlatform.migrated(platform);
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).isEmpty();
  }

  @Test
  void aPlanThatMovesNothingIsRefused() {
    List<Row> rows = APlatform.staying(platform);
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB)))
        .containsExactly("The plan moves nothing: pick a target node for a replica, or map a node.");
  }

  @Test
  void aTargetDirectoryThatHoldsSomethingIsRefused() {
    List<Row> rows = APlatform.migrated(platform);
    Place kafkaOnNode5 = new Place("node-5", "/sysvol/kafka/kafka_data");
    Facts facts = APlatform.measured(rows, 8 * GIB,
        Map.of(kafkaOnNode5, new TargetState(true, true, "/sysvol/kafka/kafka_data/old.log", 8 * GIB, "/")));
    assertThat(check(rows, facts)).containsExactly("kafka-1: target directory node-5:/sysvol/kafka/kafka_data is not"
        + " empty (it holds /sysvol/kafka/kafka_data/old.log): copying into it would mix data");
  }

  /**
   * A plan corrected while its run is under way (a wrong password found in downtime): the targets
   * the run's own pre-copy filled hold data and take room, and that is no reason to refuse it. A
   * row sent to another target still must find it empty.
   */
  @Test
  void targetsTheRunsOwnPreCopyFilledDoNotCountAgainstACorrection() {
    List<Row> rows = APlatform.migrated(platform);
    Place kafkaOnNode5 = new Place("node-5", "/sysvol/kafka/kafka_data");
    Place zookeeperOnNode4 = new Place("node-4", "/sysvol/zookeeper/data");
    Facts filled = APlatform.measured(rows, 8 * GIB, Map.of(
        kafkaOnNode5, new TargetState(true, true, "/sysvol/kafka/kafka_data/00000.log", 1 * MIB, "/"),
        zookeeperOnNode4, new TargetState(true, true, "/sysvol/zookeeper/data/version-2", 8 * GIB, "/")));
    assertThat(lines(PlanRules.check(rows, platform, filled, java.util.Set.of(kafkaOnNode5, zookeeperOnNode4))))
        .isEmpty();
    assertThat(lines(PlanRules.check(rows, platform, filled, java.util.Set.of(kafkaOnNode5))))
        .as("zookeeper-0's target was not one the run copies into").singleElement().asString()
        .startsWith("zookeeper-0: target directory node-4:/sysvol/zookeeper/data is not empty");
  }

  @Test
  void anEmptyTargetDirectoryIsFineAndAFileIsNot() {
    List<Row> rows = APlatform.migrated(platform);
    Facts facts = APlatform.measured(rows, 8 * GIB, Map.of(
        new Place("node-4", "/sysvol/kafka/kafka_data"), new TargetState(true, true, null, 8 * GIB, "/"),
        new Place("node-4", "/sysvol/zookeeper/data"), new TargetState(true, false, null, 8 * GIB, "/")));
    assertThat(check(rows, facts))
        .containsExactly("zookeeper-0: target node-4:/sysvol/zookeeper/data exists and is not a directory");
  }

  @Test
  void notEnoughFreeSpaceOnATargetIsRefusedOnEveryRowCopiedThere() {
    List<Row> rows = APlatform.migrated(platform);
    // node-4 receives kafka-0, zookeeper-0, prometheus-0, mariadb-0: 40 MiB; 1.1 × 40 MiB = 44 MiB.
    Facts facts = APlatform.measured(rows, 8 * GIB, Map.of(
        new Place("node-4", "/sysvol/kafka/kafka_data"), new TargetState(false, false, null, 43 * MIB, "/"),
        new Place("node-4", "/sysvol/zookeeper/data"), new TargetState(false, false, null, 43 * MIB, "/"),
        new Place("node-4", "/sysvol/prometheus/data"), new TargetState(false, false, null, 43 * MIB, "/"),
        new Place("node-4", "/sysvol/mariadb/data"), new TargetState(false, false, null, 43 * MIB, "/")));
    assertThat(check(rows, facts)).containsExactly(
        "kafka-0: not enough space on node-4: 43.0 MiB free on /, the 4 rows copied there need 44.0 MiB (1.1 × 40.0 MiB)",
        "zookeeper-0: not enough space on node-4: 43.0 MiB free on /, the 4 rows copied there need 44.0 MiB (1.1 × 40.0 MiB)",
        "prometheus-0: not enough space on node-4: 43.0 MiB free on /, the 4 rows copied there need 44.0 MiB (1.1 × 40.0 MiB)",
        "mariadb-0: not enough space on node-4: 43.0 MiB free on /, the 4 rows copied there need 44.0 MiB (1.1 × 40.0 MiB)");

    Facts enough = APlatform.measured(rows, 44 * MIB);
    assertThat(check(rows, enough)).isEmpty();
  }

  @Test
  void rowsOnDifferentFilesystemsOfANodeShareNoSpace() {
    List<Row> rows = APlatform.migrated(platform);
    Facts facts = APlatform.measured(rows, 8 * GIB, Map.of(
        new Place("node-4", "/sysvol/kafka/kafka_data"), new TargetState(false, false, null, 12 * MIB, "/sysvol/kafka")));
    assertThat(check(rows, facts)).isEmpty();
  }

  @Test
  void twoReplicasOfOneComponentOnOneNodeAreRefused() {
    List<Row> rows = APlatform.moved(APlatform.migrated(platform), "kafka-1", "node-4", "/sysvol/kafka/kafka_data");
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "kafka-0: kafka would run two replicas on node-4 (this one and kafka-1): at most one replica of a component per node",
        "kafka-1: kafka would run two replicas on node-4 (this one and kafka-0): at most one replica of a component per node");
  }

  @Test
  void aReplicaPutOnANodeThatKeepsOneIsRefused() {
    // kafka-0 to node-2, where kafka-1 stays.
    List<Row> rows = APlatform.moved(APlatform.staying(platform), "kafka-0", "node-2", "/sysvol/kafka/kafka_data");
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "kafka-0: kafka would run two replicas on node-2 (this one and kafka-1): at most one replica of a component per node",
        "kafka-1: kafka would run two replicas on node-2 (this one and kafka-0): at most one replica of a component per node");
  }

  @Test
  void aHostServiceMovedToAnotherNodeIsRefusedButMayChangeDirectory() {
    List<Row> rows = APlatform.moved(APlatform.migrated(platform), "proton-cr-registry-0", "node-4",
        "/sysvol/proton-cr/registry");
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "proton-cr-registry-0: proton-cr-registry is a host service: its data may change directory but never node"
            + " (node-1 → node-4)");

    List<Row> newDirectory = APlatform.migrated(platform).stream().map(r -> r.host()
        ? APlatform.target(r, r.sourceNode(), "/data/registry") : r).toList();
    assertThat(check(newDirectory, APlatform.measured(newDirectory, 8 * GIB))).isEmpty();
  }

  @Test
  void anUnreachableOrUnreadyTargetNodeIsRefused() {
    List<Row> rows = APlatform.migrated(platform);
    Platform unreachable = APlatform.lab().unreachable("node-5", "host key of node-5 is not pinned in known_hosts").build();
    assertThat(check(unreachable, rows)).contains(
        "kafka-1: node node-5 cannot be reached over SSH with its pinned host key: host key of node-5 is not pinned"
            + " in known_hosts")
        .allMatch(p -> p.contains("node-5"))
        .hasSize(3);

    Platform notReady = APlatform.lab().notReady("node-6").build();
    assertThat(check(notReady, rows)).contains("kafka-2: node node-6 is not Ready").hasSize(3);
  }

  @Test
  void anUnknownTargetNodeIsRefused() {
    List<Row> rows = APlatform.moved(APlatform.migrated(platform), "prometheus-0", "node-9", "/sysvol/prometheus/data");
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB)))
        .containsExactly("prometheus-0: target node node-9 is not a node of the cluster");
  }

  @Test
  void twoRowsWritingToOneDirectoryAreRefused() {
    List<Row> rows = APlatform.moved(APlatform.migrated(platform), "prometheus-0", "node-4", "/sysvol/kafka/kafka_data");
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "kafka-0: target node-4:/sysvol/kafka/kafka_data is also written by prometheus-0 (node-4:/sysvol/kafka/kafka_data):"
            + " no two rows write to the same directory",
        "prometheus-0: target node-4:/sysvol/kafka/kafka_data is also written by kafka-0 (node-4:/sysvol/kafka/kafka_data):"
            + " no two rows write to the same directory");
  }

  @Test
  void aTargetInsideAnotherRowsTargetIsRefusedToo() {
    List<Row> rows = APlatform.moved(APlatform.migrated(platform), "prometheus-0", "node-4", "/sysvol/kafka/kafka_data/p");
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB)))
        .anyMatch(p -> p.startsWith("prometheus-0: target node-4:/sysvol/kafka/kafka_data/p is also written by kafka-0"))
        .hasSize(2);
  }

  @Test
  void aTargetWhereAnotherReplicaStillKeepsItsDataIsRefused() {
    // A swap: kafka-0 to node-2 while kafka-1 leaves node-2 for node-5.
    List<Row> rows = APlatform.moved(APlatform.moved(APlatform.staying(platform), "kafka-0", "node-2",
        "/sysvol/kafka/kafka_data"), "kafka-1", "node-5", "/sysvol/kafka/kafka_data");
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "kafka-0: target node-2:/sysvol/kafka/kafka_data holds the data of kafka-1, which is still there while copying");
  }

  @Test
  void moreThanThreeReplicasAreRefused() {
    List<Row> rows = new ArrayList<>(APlatform.migrated(platform));
    Platform four = new Platform(platform.nodes(), withFourthKafka(platform), "anyshare", null);
    rows.add(3, new Row("kafka-3", "kafka", "helm", "kafka", 3, "node-4", "/sysvol/kafka/kafka_data", "node-6",
        "/sysvol/kafka/kafka_data", 10 * MIB));
    assertThat(lines(PlanRules.check(rows, four, APlatform.measured(rows, 8 * GIB)))).contains(
        "kafka-3: kafka would have 4 replicas: a component has at most 3");
  }

  private static List<Replica> withFourthKafka(Platform platform) {
    List<Replica> replicas = new ArrayList<>(platform.replicas());
    replicas.add(new Replica("kafka", "helm", "kafka", 3, "node-4", "/sysvol/kafka/kafka_data"));
    return replicas;
  }

  @Test
  void aChangedOrdinalIsRefused() {
    List<Row> rows = APlatform.migrated(platform).stream().map(r -> r.key().equals("kafka-0")
        ? new Row("kafka-1", "kafka", "helm", "kafka", 1, "node-1", r.sourcePath(), "node-4", r.targetPath(), r.bytes())
        : r.key().equals("kafka-1")
            ? new Row("kafka-0", "kafka", "helm", "kafka", 0, "node-2", r.sourcePath(), "node-5", r.targetPath(), r.bytes())
            : r).toList();
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "kafka-1: ordinal changed: the replica of kafka on node-1 is ordinal 0, not 1; ordinals are kept, because the"
            + " start order decides cluster membership",
        "kafka-0: ordinal changed: the replica of kafka on node-2 is ordinal 1, not 0; ordinals are kept, because the"
            + " start order decides cluster membership");
  }

  @Test
  void everyReplicaHasARowAndEveryRowAReplica() {
    List<Row> rows = new ArrayList<>(APlatform.migrated(platform));
    rows.removeIf(r -> r.key().equals("zookeeper-2"));
    rows.add(new Row("redis-0", "redis", "helm", "redis", 0, "node-1", "/sysvol/redis", "node-4", "/sysvol/redis", 1));
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "redis-0: redis is not a base component or host service of the platform",
        "zookeeper-2: replica zookeeper-2 has no row: a plan covers every replica");
  }

  @Test
  void aRowMustStartWhereTheReplicaIs() {
    List<Row> rows = APlatform.migrated(platform).stream().map(r -> r.key().equals("zookeeper-1")
        ? new Row(r.key(), r.component(), "operator", "zk", 1, "node-2", "/data/zk", "node-5", "/data/zk", r.bytes())
        : r).toList();
    assertThat(check(rows, APlatform.measured(rows, 8 * GIB))).containsExactly(
        "zookeeper-1: zookeeper-1 keeps its data in /sysvol/zookeeper/data now, not in /data/zk",
        "zookeeper-1: zookeeper is of kind helm, not operator",
        "zookeeper-1: zookeeper has conf key zookeeper, not zk",
        "zookeeper-1: rows of zookeeper share one target path: /data/zk differs from /sysvol/zookeeper/data");
  }

  @Test
  void measurementsThatFailedAreProblemsOfTheirRows() {
    List<Row> rows = APlatform.migrated(platform);
    Facts measured = APlatform.measured(rows, 8 * GIB);
    java.util.Map<Place, Measured<Long>> sizes = new java.util.HashMap<>(measured.sizes());
    sizes.put(new Place("node-3", "/sysvol/mariadb/data"), Measured.failed("du: permission denied"));
    assertThat(check(rows, new Facts(sizes, measured.targets()))).containsExactly(
        "mariadb-2: cannot measure the data in node-3:/sysvol/mariadb/data: du: permission denied");
  }

  @Test
  void pendingMeasurementsAreNoProblemYet() {
    List<Row> rows = APlatform.migrated(platform);
    assertThat(check(rows, Facts.NONE)).isEmpty();
  }

  @Test
  void theProblemsSpeakChinese() {
    List<Row> rows = APlatform.moved(APlatform.migrated(platform), "kafka-1", "node-4", "/sysvol/kafka/kafka_data");
    Problem first = PlanRules.check(rows, platform, APlatform.measured(rows, 8 * GIB)).get(0);
    assertThat(first.line(MESSAGES, Locale.SIMPLIFIED_CHINESE))
        .isEqualTo("kafka-0: kafka 将在 node-4 上运行两个副本（本行和 kafka-1）：每个节点最多一个同组件副本");
  }
}
