package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.node.NodeClient.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * P1's data copy as the console runs it: rsync on the source node, over SSH, into the new node.
 * The steps build on each other (pre-copy, idle re-run, delta after a change, verification).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RsyncBetweenNodesTest {

  static final String NODE_1 = "127.0.10.1";
  static final String NODE_4 = "127.0.10.4";
  static final String COPY = "rsync -a --progress --bwlimit=50000 /sysvol/kafka/kafka_data root@node-4:/sysvol/kafka/";

  @TempDir
  static Path state;

  static LabProperties props;
  static LabNodes nodes;
  static NodeClient ssh;

  @BeforeAll
  static void startTheLab() throws Exception {
    props = ALab.props(state);
    nodes = new LabNodes(ALab.seed("8MB"), props, new RecordingCluster());
    nodes.start();
    ssh = new NodeClient(props, nodes.sshPort());
  }

  @AfterAll
  static void stopTheLab() throws Exception {
    ssh.close();
    nodes.stop();
  }

  private Path source() {
    return nodes.sandbox("node-1").resolve("sysvol/kafka/kafka_data");
  }

  private Path target() {
    return nodes.sandbox("node-4").resolve("sysvol/kafka/kafka_data");
  }

  private long usedKb(String ip) throws Exception {
    String row = ssh.exec(ip, "df -k /sysvol").out().lines().skip(1).findFirst().orElseThrow();
    return Long.parseLong(row.trim().split(" +")[2]);
  }

  @Test
  @Order(1)
  void theFirstCopyMovesEveryByteAndKeepsModes() throws Exception {
    long usedBefore = usedKb(NODE_4);
    Result copy = ssh.exec(NODE_1, COPY);
    assertThat(copy.status()).as(copy.err()).isZero();
    assertThat(copy.out()).contains("kafka_data/segment-00001.log", "100%", "\r");
    assertThat(LabNodesSeedTest.digests(target())).isEqualTo(LabNodesSeedTest.digests(source()));
    assertThat(Files.getPosixFilePermissions(target())).isEqualTo(Files.getPosixFilePermissions(source()));
    long copied = Sandbox.sizeOf(target());
    assertThat(usedKb(NODE_4)).isGreaterThanOrEqualTo(usedBefore + copied / 1024 - 8);
    assertThat(ssh.exec(NODE_4, "du -sb /sysvol/kafka/kafka_data").out()).isEqualTo(copied + "\t/sysvol/kafka/kafka_data\n");
  }

  @Test
  @Order(2)
  void aSecondRunMovesNothing() throws Exception {
    Result again = ssh.exec(NODE_1, COPY.replace("--progress", "--stats"));
    assertThat(again.status()).isZero();
    assertThat(again.out()).contains("Number of regular files transferred: 0");
  }

  @Test
  @Order(3)
  void aChangedFileIsTransferredOnTheNextRun() throws Exception {
    assertThat(ssh.exec(NODE_1, "echo appended >> /sysvol/kafka/kafka_data/segment-00002.log").status()).isZero();
    Result delta = ssh.exec(NODE_1, COPY.replace("--progress", "--stats"));
    assertThat(delta.out()).contains("Number of regular files transferred: 1");
    assertThat(LabNodesSeedTest.digests(target())).isEqualTo(LabNodesSeedTest.digests(source()));
  }

  @Test
  @Order(4)
  void aChecksumDryRunFindsNoDifference() throws Exception {
    Result verify = ssh.exec(NODE_1,
        "rsync -a --checksum --dry-run --itemize-changes /sysvol/kafka/kafka_data root@node-4:/sysvol/kafka/");
    assertThat(verify.status()).isZero();
    assertThat(verify.out()).isEmpty();
    Files.writeString(source().resolve("meta.properties"), "# edited\n", StandardOpenOption.APPEND);
    Result differs = ssh.exec(NODE_1,
        "rsync -a --checksum -n -i /sysvol/kafka/kafka_data root@127.0.10.4:/sysvol/kafka/");
    assertThat(differs.out()).contains("kafka_data/meta.properties");
  }

  @Test
  @Order(5)
  void failuresComeBackWithRsyncsStatus() throws Exception {
    Result missing = ssh.exec(NODE_1, "rsync -a /sysvol/nope root@node-4:/sysvol/");
    assertThat(missing.status()).isEqualTo(23);
    assertThat(missing.err()).contains("link_stat \"/sysvol/nope\" failed: No such file or directory");
    Result unknown = ssh.exec(NODE_1, "rsync -a /sysvol/kafka/kafka_data root@node-9:/sysvol/");
    assertThat(unknown.status()).isEqualTo(255);
    assertThat(unknown.err()).startsWith("ssh: Could not resolve hostname node-9: Name or service not known\n");
    Result refused = ssh.exec(NODE_1, "rsync -a --temp-dir=/tmp /sysvol/kafka root@node-4:/sysvol/");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("--temp-dir is not available in the lab");
    Result shell = ssh.exec(NODE_1, "rsync -a -e 'sh -c id' /sysvol/kafka root@node-4:/sysvol/");
    assertThat(shell.status()).isEqualTo(1);
  }

  @Test
  @Order(6)
  void localAndPullCopiesStayInsideTheirNodes() throws Exception {
    Result local = ssh.exec(NODE_1, "rsync -a /sysvol/proton-cr/registry/ /sysvol/proton-cr/registry-moved");
    assertThat(local.status()).as(local.err()).isZero();
    assertThat(LabNodesSeedTest.digests(nodes.sandbox("node-1").resolve("sysvol/proton-cr/registry-moved")))
        .isEqualTo(LabNodesSeedTest.digests(nodes.sandbox("node-1").resolve("sysvol/proton-cr/registry")));
    Result pull = ssh.exec("127.0.10.5", "rsync -a root@node-2:/sysvol/zookeeper/data /sysvol/");
    assertThat(pull.status()).as(pull.err()).isZero();
    assertThat(LabNodesSeedTest.digests(nodes.sandbox("node-5").resolve("sysvol/data")))
        .isEqualTo(LabNodesSeedTest.digests(nodes.sandbox("node-2").resolve("sysvol/zookeeper/data")));
    Result escape = ssh.exec(NODE_1, "rsync -a /sysvol/kafka root@node-4:../../../../tmp/");
    assertThat(escape.status()).isNotZero();
    assertThat(state.resolve("nodes/tmp")).doesNotExist();
  }
}
