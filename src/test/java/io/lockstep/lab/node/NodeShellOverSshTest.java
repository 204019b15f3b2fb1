package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.node.NodeClient.Result;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node shell as the console meets it: commands over real SSH to the lab nodes. */
class NodeShellOverSshTest {

  static final String NODE_1 = "127.0.10.1";
  static final String NODE_2 = "127.0.10.2";
  static final String NODE_4 = "127.0.10.4";

  @TempDir
  static Path state;

  static LabProperties props;
  static RecordingCluster cluster = new RecordingCluster();
  static LabNodes nodes;
  static NodeClient ssh;

  @BeforeAll
  static void startTheLab() throws Exception {
    props = ALab.props(state);
    nodes = new LabNodes(ALab.seed("3MB"), props, cluster);
    nodes.start();
    ssh = new NodeClient(props, nodes.sshPort());
  }

  @AfterAll
  static void stopTheLab() throws Exception {
    ssh.close();
    nodes.stop();
  }

  @Test
  void openSshReachesANodeWithThePinnedHostKeyAndTheClientKey() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(props.clientKey()))).isEqualTo("rw-------");
    assertThat(Files.readString(Path.of(props.clientKey() + ".pub"))).startsWith("ssh-ed25519 ");
    assertThat(Files.readString(props.knownHosts())).contains("[127.0.10.4]:" + nodes.sshPort() + " ssh-ed25519 ");
    Process p = new ProcessBuilder("ssh", "-F", "/dev/null", "-p", String.valueOf(nodes.sshPort()),
        "-i", props.clientKey().toString(), "-o", "UserKnownHostsFile=" + props.knownHosts(),
        "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "root@" + NODE_1, "hostname")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out).isEqualTo("node-1\n");
  }

  @Test
  void rootLogsInWithThePlatformPasswordAndNobodyElseGetsIn() throws Exception {
    assertThat(ssh.execWithPassword("root", ALab.ROOT_PASSWORD, NODE_2, "uname -n").out()).isEqualTo("node-2\n");
    assertThatThrownBy(() -> ssh.execWithPassword("root", "wrong", NODE_2, "true")).isInstanceOf(Exception.class);
    assertThatThrownBy(() -> ssh.execWithPassword("admin", ALab.ROOT_PASSWORD, NODE_2, "true")).isInstanceOf(Exception.class);
    assertThatThrownBy(() -> ssh.execAs("admin", NODE_2, "true")).isInstanceOf(Exception.class);
  }

  @Test
  void systemctlStopsAndStartsUnitsAndTellsTheCluster() throws Exception {
    assertThat(ssh.exec(NODE_2, "systemctl stop kubelet").status()).isZero();
    Result inactive = ssh.exec(NODE_2, "systemctl is-active kubelet");
    assertThat(inactive.out()).isEqualTo("inactive\n");
    assertThat(inactive.status()).isEqualTo(3);
    assertThat(cluster.events).contains("kubelet node-2 false");
    Result status = ssh.exec(NODE_2, "systemctl status kubelet");
    assertThat(status.status()).isEqualTo(3);
    assertThat(status.out()).contains("○ kubelet.service - kubelet: The Kubernetes Node Agent", "Active: inactive (dead) since ");

    assertThat(ssh.exec(NODE_2, "systemctl start kubelet && systemctl is-active kubelet docker").out())
        .isEqualTo("active\nactive\n");
    assertThat(cluster.events).contains("kubelet node-2 true");
    assertThat(ssh.exec(NODE_2, "systemctl status kubelet.service").out()).contains("Active: active (running)");
  }

  @Test
  void theRuntimeIsDownOnlyWhenDockerAndContainerdAreBothDown() throws Exception {
    Result docker = ssh.exec(NODE_4, "systemctl stop docker");
    assertThat(docker.err()).contains("Warning: Stopping docker.service, but it can still be activated by:");
    assertThat(cluster.events).doesNotContain("runtime node-4 false");
    ssh.exec(NODE_4, "systemctl stop containerd docker.socket");
    assertThat(cluster.events).contains("runtime node-4 false");
    ssh.exec(NODE_4, "systemctl start docker containerd docker.socket");
    assertThat(cluster.events).contains("runtime node-4 true");
  }

  @Test
  void unknownUnitsFailAsSystemdDoes() throws Exception {
    Result start = ssh.exec(NODE_1, "systemctl start nosuch");
    assertThat(start.status()).isEqualTo(5);
    assertThat(start.err()).isEqualTo("Failed to start nosuch.service: Unit nosuch.service not found.\n");
    Result etcdOnWorker = ssh.exec(NODE_4, "systemctl status etcd");
    assertThat(etcdOnWorker.status()).isEqualTo(4);
    assertThat(etcdOnWorker.err()).isEqualTo("Unit etcd.service could not be found.\n");
    assertThat(ssh.exec(NODE_1, "systemctl is-active etcd").out()).isEqualTo("active\n");
  }

  @Test
  void theShellQuotesChainsAndRedirectsLikeBash() throws Exception {
    assertThat(ssh.exec(NODE_1, "echo 'a b' \"c\\\"d\"").out()).isEqualTo("a b c\"d\n");
    assertThat(ssh.exec(NODE_1, "false && echo no || echo yes; echo done").out()).isEqualTo("yes\ndone\n");
    assertThat(ssh.exec(NODE_1, "echo hello > /tmp/x && echo again >> /tmp/x && cat /tmp/x").out())
        .isEqualTo("hello\nagain\n");
    assertThat(nodes.sandbox("node-1").resolve("tmp/x")).hasContent("hello\nagain");
    Result merged = ssh.exec(NODE_1, "cat /nope 2>&1");
    assertThat(merged.out()).isEqualTo("cat: /nope: No such file or directory\n");
    assertThat(merged.status()).isEqualTo(1);
    assertThat(ssh.exec(NODE_1, "cat /nope 2>/dev/null").err()).isEmpty();
  }

  @Test
  void unknownCommandsPipesAndEscapesAreRefused() throws Exception {
    Result unknown = ssh.exec(NODE_1, "frobnicate --now");
    assertThat(unknown.status()).isEqualTo(127);
    assertThat(unknown.err()).isEqualTo("bash: frobnicate: command not found\n");
    Result pipe = ssh.exec(NODE_1, "ls / | wc -l");
    assertThat(pipe.status()).isEqualTo(2);
    assertThat(pipe.err()).isEqualTo("lab shell: pipes are not supported\n");
    Result escape = ssh.exec(NODE_1, "cat /../../etc/passwd");
    assertThat(escape.status()).isEqualTo(1);
    assertThat(escape.err()).contains("path leaves the node's filesystem");
    assertThat(ssh.exec(NODE_1, "ls ../../../..").err()).contains("path leaves the node's filesystem");
    assertThat(ssh.exec(NODE_1, "echo x > ../../../x").err()).contains("path leaves the node's filesystem");
    assertThat(ssh.exec(NODE_1, "rm -rf /").status()).isEqualTo(127);
  }

  @Test
  void filesystemCommandsSeeTheNodesFiles() throws Exception {
    Path sandbox = nodes.sandbox("node-1");
    Path segment = sandbox.resolve("sysvol/kafka/kafka_data/segment-00001.log");
    String digest;
    try (InputStream in = Files.newInputStream(segment)) {
      digest = HexFormat.of().formatHex(FileCommands.digest(in));
    }
    assertThat(ssh.exec(NODE_1, "sha256sum /sysvol/kafka/kafka_data/segment-00001.log").out())
        .isEqualTo(digest + "  /sysvol/kafka/kafka_data/segment-00001.log\n");

    Result du = ssh.exec(NODE_1, "du -sb /sysvol/kafka/kafka_data");
    assertThat(du.out()).isEqualTo(Sandbox.sizeOf(sandbox.resolve("sysvol/kafka/kafka_data")) + "\t/sysvol/kafka/kafka_data\n");

    List<String> df = ssh.exec(NODE_1, "df -k /sysvol").out().lines().toList();
    assertThat(df.get(0)).matches("Filesystem +1K-blocks +Used +Available +Use% +Mounted on");
    assertThat(df.get(1)).matches("/dev/vda1 +8388608 +\\d+ +\\d+ +\\d+% /");
    String[] row = df.get(1).split(" +");
    assertThat(Long.parseLong(row[2]) + Long.parseLong(row[3])).isEqualTo(8388608L);
    List<String> avail = ssh.exec(NODE_1, "df -B1 --output=avail /sysvol").out().lines().toList();
    assertThat(avail.get(0)).endsWith("Avail");
    assertThat(Long.parseLong(avail.get(1).trim())).isBetween(8L * 1024 * 1024 * 1024 - 20_000_000, 8L * 1024 * 1024 * 1024);
    assertThat(ssh.exec(NODE_1, "df -h /").out()).contains("Size", "8.0G");

    Result ls = ssh.exec(NODE_1, "ls -l /sysvol/kafka/kafka_data");
    assertThat(ls.out()).startsWith("total ").contains("-rw-r----- 1 root root", "segment-00001.log", "drwxr-x---");
    assertThat(ssh.exec(NODE_1, "ls /sysvol/kafka/kafka_data").out())
        .isEqualTo("index\nmeta.properties\nsegment-00001.log\nsegment-00002.log\nsegment-00003.log\nsnapshot\n");
    assertThat(ssh.exec(NODE_1, "test -d /sysvol/kafka && test ! -e /sysvol/none && [ -s /etc/hostname ]").status()).isZero();
    assertThat(ssh.exec(NODE_1, "mkdir -p /sysvol/new/deep && test -d /sysvol/new/deep").status()).isZero();
    assertThat(ssh.exec(NODE_1, "mkdir /sysvol/new").err()).isEqualTo("mkdir: cannot create directory '/sysvol/new': File exists\n");
  }

  @Test
  void findTellsAnEmptyTargetFromAFullOne() throws Exception {
    String emptiness = "find /sysvol/kafka/kafka_data -mindepth 1 -maxdepth 1 -print -quit";
    assertThat(ssh.exec(NODE_1, emptiness).out()).isEqualTo("/sysvol/kafka/kafka_data/index\n");
    Result missing = ssh.exec(NODE_4, emptiness);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err()).isEqualTo("find: '/sysvol/kafka/kafka_data': No such file or directory\n");
    assertThat(ssh.exec(NODE_4, "mkdir -p /sysvol/empty && find /sysvol/empty -mindepth 1 -maxdepth 1 -print -quit").out()).isEmpty();
  }

  @Test
  void protonCliAndHelmAreThereOnMastersOnly() throws Exception {
    assertThat(ssh.exec(NODE_1, "proton-cli get conf").out()).isEqualTo(RecordingCluster.CONF);
    Result apply = ssh.exec(NODE_1, "proton-cli get conf > middle.yaml && proton-cli apply -f /root/middle.yaml -p 'pa ss'");
    assertThat(apply.status()).isZero();
    assertThat(apply.out()).isEqualTo("[1/2] checking nodes\n[2/2] applying configuration: done\n");
    assertThat(cluster.appliedConfs).contains(RecordingCluster.CONF);
    assertThat(cluster.events).contains("apply password=pa ss");
    Result broken = ssh.exec(NODE_1, "echo broken > /root/b.yaml; proton-cli apply -f /root/b.yaml");
    assertThat(broken.status()).isEqualTo(3);
    assertThat(broken.err()).isEqualTo("Error: invalid configuration: broken\n");
    // new nodes get the tools too (P1 phase 1 installs them there); a command no node has is missing
    assertThat(ssh.exec(NODE_4, "which proton-cli helm3").status()).isZero();
    assertThat(ssh.exec(NODE_4, "proton-clix get conf").status()).isEqualTo(127);

    Result helm = ssh.exec(NODE_1, "helm3 -n resource delete kafka zookeeper");
    assertThat(helm.out()).isEqualTo("release \"kafka\" uninstalled\nrelease \"zookeeper\" uninstalled\n");
    assertThat(cluster.events).contains("helm resource [kafka, zookeeper]");
    Result missing = ssh.exec(NODE_1, "helm3 -n resource uninstall missing");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("Release not loaded: missing");
  }

  @Test
  void kubectlIsTheRealOneOnMasters() throws Exception {
    Result version = ssh.exec(NODE_1, "kubectl version --client");
    assertThat(version.status()).as(version.err()).isZero();
    assertThat(version.out()).contains("Client Version:");
    assertThat(ssh.exec(NODE_4, "kubectl version --client").status()).as("new nodes have kubectl too").isZero();
    Result other = ssh.exec(NODE_1, "kubectl --server https://example.com get pods");
    assertThat(other.status()).isEqualTo(1);
    assertThat(other.err()).contains("--server is not available on lab nodes");
    assertThat(ssh.exec(NODE_1, "kubectl get -f /../../etc/passwd").err()).contains("path leaves the node's filesystem");
    assertThat(ssh.exec(NODE_1, "which kubectl proton-cli rsync").out())
        .isEqualTo("/usr/bin/kubectl\n/usr/local/bin/proton-cli\n/usr/bin/rsync\n");
    Result onNewNode = ssh.exec(NODE_4, "command -v rsync kubectl nosuch");
    assertThat(onNewNode.out()).isEqualTo("/usr/bin/rsync\n/usr/bin/kubectl\n");
    assertThat(onNewNode.status()).isEqualTo(1);
  }
}
