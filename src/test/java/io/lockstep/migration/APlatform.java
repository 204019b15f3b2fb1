package io.lockstep.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Object mother of the planner tests: a platform like the lab's (node-1..3 masters holding every
 * replica, node-4..6 new workers), a plan made of its rows with some moves, and what measuring
 * would find.
 */
final class APlatform {

  static final long GIB = 1L << 30;
  static final long MIB = 1L << 20;

  private final List<NodeState> nodes = new ArrayList<>();
  private final List<Replica> replicas = new ArrayList<>();

  private APlatform() {}

  /** node-1..3 masters, node-4..6 workers; kafka and zookeeper on node-1..3, prometheus on node-1, a registry on node-1..3. */
  static APlatform lab() {
    APlatform p = new APlatform();
    for (int i = 1; i <= 6; i++) {
      p.nodes.add(new NodeState("node-" + i, "127.0.10." + i, true, true, "", i <= 3));
    }
    p.component("kafka", "helm", "kafka", "/sysvol/kafka/kafka_data", "node-1", "node-2", "node-3");
    p.component("zookeeper", "helm", "zookeeper", "/sysvol/zookeeper/data", "node-1", "node-2", "node-3");
    p.component("prometheus", "helm", "prometheus", "/sysvol/prometheus/data", "node-1");
    p.component("mariadb", "operator", "proton_mariadb", "/sysvol/mariadb/data", "node-1", "node-2", "node-3");
    for (int i = 0; i < 3; i++) {
      p.replicas.add(new Replica("proton-cr-registry", "host", null, i, "node-" + (i + 1), "/sysvol/proton-cr/registry"));
    }
    return p;
  }

  private void component(String name, String kind, String confKey, String path, String... onNodes) {
    for (int i = 0; i < onNodes.length; i++) {
      replicas.add(new Replica(name, kind, confKey, i, onNodes[i], path));
    }
  }

  APlatform with(NodeState node) {
    nodes.replaceAll(n -> n.name().equals(node.name()) ? node : n);
    return this;
  }

  APlatform unreachable(String node, String why) {
    return with(new NodeState(node, "127.0.10.9", true, false, why, false));
  }

  APlatform notReady(String node) {
    return with(new NodeState(node, "127.0.10.9", false, true, "", false));
  }

  Platform build() {
    return new Platform(nodes, replicas, "anyshare", null);
  }

  /** Every replica as a row that stays, 10 MiB each. */
  static List<Row> staying(Platform platform) {
    return platform.replicas().stream().map(r -> new Row(r.key(), r.component(), r.kind(), r.confKey(), r.ordinal(),
        r.node(), r.path(), r.node(), r.path(), 10 * MIB)).toList();
  }

  /** The lab's migration: node-1 → node-4, node-2 → node-5, node-3 → node-6 (host services stay). */
  static List<Row> migrated(Platform platform) {
    return mapped(staying(platform), Map.of("node-1", "node-4", "node-2", "node-5", "node-3", "node-6"));
  }

  static List<Row> mapped(List<Row> rows, Map<String, String> nodes) {
    return rows.stream().map(r -> r.host() ? r : target(r, nodes.getOrDefault(r.sourceNode(), r.sourceNode()), r.targetPath()))
        .toList();
  }

  /** {@code rows} with row {@code key} sent to {@code node:path}. */
  static List<Row> moved(List<Row> rows, String key, String node, String path) {
    return rows.stream().map(r -> r.key().equals(key) ? target(r, node, path) : r).toList();
  }

  static Row target(Row r, String node, String path) {
    return new Row(r.key(), r.component(), r.kind(), r.confKey(), r.ordinal(), r.sourceNode(), r.sourcePath(), node,
        path, r.bytes());
  }

  /** What measuring finds: each source holds its row's bytes, every target is absent with {@code free} bytes free on /. */
  static Facts measured(List<Row> rows, long free) {
    return measured(rows, free, Map.of());
  }

  static Facts measured(List<Row> rows, long free, Map<Place, TargetState> special) {
    Map<Place, Measured<Long>> sizes = new HashMap<>();
    Map<Place, Measured<TargetState>> targets = new HashMap<>();
    for (Row row : rows) {
      sizes.put(row.source(), Measured.done(row.bytes()));
      if (row.moves()) {
        targets.put(row.target(), Measured.done(special.getOrDefault(row.target(),
            new TargetState(false, false, null, free, "/"))));
      }
    }
    return new Facts(sizes, targets);
  }
}
