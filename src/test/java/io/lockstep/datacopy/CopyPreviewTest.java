package io.lockstep.datacopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.KubernetesProperties;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshProperties;
import io.lockstep.sshsteps.NodeAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the approver reads: the checks, then every command on its node, in order. */
@EnableKubernetesMockClient(crud = true, https = false)
class CopyPreviewTest {

  KubernetesClient client;
  @TempDir Path dir;
  NodeShell shell;
  CopyRsync executor;

  @BeforeEach
  void nodes() {
    for (int i = 1; i <= 6; i++) {
      client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-" + i)
          .endMetadata().withNewStatus().addNewAddress().withType("InternalIP")
          .withAddress("10.0.0." + i).endAddress().endStatus().build()).create();
    }
    shell = new NodeShell(new SshProperties("root", 22, null, null, null, dir.resolve("known_hosts"),
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), null));
    Kubernetes kubernetes = new Kubernetes(new KubernetesProperties(null, null, "anyshare",
        "resource", Duration.ofSeconds(5)), client);
    executor = new CopyRsync(shell, new NodeAddresses(kubernetes),
        new DataCopyProperties(6, Duration.ofSeconds(10), 1.1));
  }

  @AfterEach
  void close() {
    shell.close();
  }

  @Test
  void previewsThePreCopyWithItsChecksAndExactCommands() {
    List<String> lines = executor.preview(Map.of("mode", "pre", "bwlimit", 20000, "rows", List.of(
        ARow.moving("kafka", 0, "node-1", "node-4"), ARow.staying("kafka", 2, "node-3"),
        ARow.hostMove("proton-cr-registry", 1, "node-2", "/data/registry")))).actions();

    assertThat(lines).hasSize(8);
    assertThat(lines.get(0)).startsWith("before anything is copied: on each target node, every "
        + "target directory must be absent or empty");
    assertThat(lines.get(1)).contains("du -sb", "df -B1", "at least 1.10 × the bytes to copy");
    assertThat(lines.subList(2, 7)).containsExactly(
        "kafka-0 (kafka #0 node-1 → node-4): on node-4: mkdir -p /sysvol/kafka/kafka_data",
        "kafka-0 (kafka #0 node-1 → node-4): on node-1: rsync -a --numeric-ids --bwlimit=20000 "
            + "--info=progress2 --no-inc-recursive --stats /sysvol/kafka/kafka_data/ "
            + "root@10.0.0.4:/sysvol/kafka/kafka_data/",
        "proton-cr-registry-1 (proton-cr-registry #1 node-2 /sysvol/proton-cr/registry → "
            + "/data/registry): on node-2: mkdir -p /data/registry",
        "proton-cr-registry-1 (proton-cr-registry #1 node-2 /sysvol/proton-cr/registry → "
            + "/data/registry): on node-2: rsync -a --numeric-ids --bwlimit=20000 "
            + "--info=progress2 --no-inc-recursive --stats /sysvol/proton-cr/registry/ "
            + "/data/registry/",
        "2 node pairs (node-1 → node-4, node-2 → node-2) at once (at most 6); the rows of one "
            + "pair one after the other; each command under 'timeout --kill-after=10s <time "
            + "left>s …' on its node");
    assertThat(lines.get(7)).isEqualTo("not copied, they stay where they are: kafka-2");
  }

  @Test
  void previewsTheFinalCopyWithItsVerificationAndMeasureWithoutChecks() {
    List<Map<String, Object>> rows = List.of(ARow.moving("kafka", 0, "node-1", "node-4"));
    assertThat(executor.preview(Map.of("mode", "final", "rows", rows)).actions()).containsSubsequence(
        "kafka-0 (kafka #0 node-1 → node-4): on node-1: rsync -a --numeric-ids --delete "
            + "--info=progress2 --no-inc-recursive --stats /sysvol/kafka/kafka_data/ "
            + "root@10.0.0.4:/sysvol/kafka/kafka_data/",
        "kafka-0 (kafka #0 node-1 → node-4): then, only for files an earlier verification of "
            + "this run found different (undo records copy/kafka-0/differs/<n>), on node-1: rsync "
            + "-a --numeric-ids --checksum --itemize-changes --info=progress2 --no-inc-recursive "
            + "--stats --include=/DIR/ --include=/DIR/FILE … '--exclude=*' "
            + "/sysvol/kafka/kafka_data/ root@10.0.0.4:/sysvol/kafka/kafka_data/ re-sends exactly "
            + "those by checksum (with more differences than a verification lists: the copy above "
            + "with --checksum instead)",
        "kafka-0 (kafka #0 node-1 → node-4): then on node-1: rsync -a --numeric-ids --checksum "
            + "--dry-run --itemize-changes --delete /sysvol/kafka/kafka_data/ "
            + "root@10.0.0.4:/sysvol/kafka/kafka_data/ must list no difference");
    assertThat(executor.preview(Map.of("mode", "measure", "rows", rows)).actions()).containsExactly(
        "kafka-0 (kafka #0 node-1 → node-4): on node-1: rsync -a --numeric-ids --delete --dry-run "
            + "--stats /sysvol/kafka/kafka_data/ root@10.0.0.4:/sysvol/kafka/kafka_data/ "
            + "(changes nothing)",
        "1 node pair (node-1 → node-4); the rows of one pair one after the other; each command "
            + "under 'timeout --kill-after=10s <time left>s …' on its node");
  }

  @Test
  void warnsOfANodeItCannotFindAndRefusesBadParams() {
    assertThat(executor.preview(Map.of("mode", "pre", "rows",
        List.of(ARow.moving("kafka", 0, "node-1", "node-9")))).actions())
        .startsWith("warning: node 'node-9' is not a node of the cluster; the step will refuse to "
            + "copy unless it is found then")
        .anyMatch(line -> line.endsWith("root@ADDRESS-OF-node-9:/sysvol/kafka/kafka_data/"));
    assertThatThrownBy(() -> executor.preview(Map.of("mode", "pre")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("param 'rows'");
  }

  @Test
  void nothingMovesNothingToDo() {
    assertThat(executor.preview(Map.of("mode", "pre", "rows",
        List.of(ARow.staying("kafka", 0, "node-1")))).actions())
        .containsExactly("nothing to copy: none of the 1 rows moves");
  }
}
