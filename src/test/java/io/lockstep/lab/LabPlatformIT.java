package io.lockstep.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.inventory.Inventory;
import io.lockstep.inventory.InventorySnapshot;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.SshTarget;
import io.lockstep.testing.LabConsoleTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;

/**
 * The lab as the console sees it: through the console's own Kubernetes client and SSH module,
 * and through real kubectl and OpenSSH — never through the lab's Java objects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabPlatformIT extends LabConsoleTest {

  final Kubernetes kubernetes;
  final NodeShell shell;
  final Inventory inventory;

  final int port;

  @Autowired
  LabPlatformIT(Kubernetes kubernetes, NodeShell shell, Inventory inventory,
      @Value("${local.server.port}") int port) {
    this.port = port;
    this.kubernetes = kubernetes;
    this.shell = shell;
    this.inventory = inventory;
  }

  @Test
  @Order(1)
  void realKubectlListsWhatTheInventoryShows() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      InventorySnapshot s = inventory.snapshot();
      return s.replicaCount() > 0 && s.readyReplicas() == s.replicaCount();
    });
    InventorySnapshot snapshot = inventory.snapshot();
    String nodes = run("kubectl", "--kubeconfig", stateDir().resolve("kubeconfig").toString(), "get", "nodes");
    snapshot.nodes().forEach(n -> assertThat(nodes).contains(n.name()));
    String pods = run("kubectl", "--kubeconfig", stateDir().resolve("kubeconfig").toString(), "get", "pods", "-A");
    snapshot.components().stream().flatMap(c -> c.replicas().stream())
        .forEach(r -> assertThat(pods).contains(r.pod()));
    assertThat(pods).contains("kube-system").contains("anyshare");
  }

  @Test
  @Order(2)
  void openSshRunsACommandOnALabNode() throws Exception {
    String out = run("ssh", "-p", String.valueOf(sshPort()), "-i", stateDir().resolve("id_ed25519").toString(),
        "-o", "UserKnownHostsFile=" + stateDir().resolve("known_hosts"), "-o", "StrictHostKeyChecking=yes",
        "-o", "BatchMode=yes", "root@127.0.10.3", "hostname");
    assertThat(out.trim()).isEqualTo("node-3");
  }

  @Test
  @Order(3)
  void stoppingKubeletOverSshMakesTheNodeNotReady() {
    KubernetesClient client = kubernetes.client();
    assertThat(exec("node-2", "systemctl", "stop", "kubelet").exit()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> !ready(client.nodes().withName("node-2").get()));
    assertThat(exec("node-2", "systemctl", "is-active", "kubelet").exit()).isEqualTo(3);
    assertThat(exec("node-2", "systemctl", "start", "kubelet").exit()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> ready(client.nodes().withName("node-2").get()));
  }

  @Test
  @Order(4)
  void scalingAStatefulSetToZeroRemovesItsPods() {
    KubernetesClient client = kubernetes.client();
    client.apps().statefulSets().inNamespace("anyshare").withName("content-indexer").scale(0);
    await().atMost(Duration.ofSeconds(10)).until(() -> podsOf(client, "anyshare", "content-indexer").isEmpty());
    client.apps().statefulSets().inNamespace("anyshare").withName("content-indexer").scale(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> podsOf(client, "anyshare", "content-indexer").size() == 2);
  }

  @Test
  @Order(5)
  void rsyncBetweenNodesOverSshProducesByteIdenticalFiles() throws Exception {
    Result copy = exec("node-1", "rsync", "-a", "--bwlimit=100000", "/sysvol/zookeeper/data", "root@node-5:/sysvol/zookeeper/");
    assertThat(copy.exit()).as(copy.output()).isZero();
    Path source = stateDir().resolve("nodes/node-1/root/sysvol/zookeeper/data");
    Path target = stateDir().resolve("nodes/node-5/root/sysvol/zookeeper/data");
    assertThat(digests(target)).isNotEmpty().isEqualTo(digests(source));
    Result check = exec("node-1", "rsync", "-a", "--checksum", "--dry-run", "--itemize-changes",
        "/sysvol/zookeeper/data", "root@node-5:/sysvol/zookeeper/");
    assertThat(check.exit()).isZero();
    assertThat(check.output().trim()).as("nothing differs after the copy").isEmpty();
  }

  @Test
  @Order(6)
  void helmDeleteRemovesAComponentAndProtonCliApplyPutsItOnOtherNodes() {
    KubernetesClient client = kubernetes.client();
    assertThat(exec("node-1", "helm3", "-n", "resource", "delete", "zookeeper").exit()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        client.apps().statefulSets().inNamespace("resource").withName("zookeeper").get() == null
            && podsOf(client, "resource", "zookeeper").isEmpty());

    Result conf = exec("node-1", "proton-cli", "get", "conf");
    assertThat(conf.exit()).isZero();
    String withNodes = moveZookeeperToNewNodes(conf.output());
    writeOnNode("node-1", "/root/middle.yaml", withNodes);
    Result apply = exec("node-1", "proton-cli", "apply", "-f", "/root/middle.yaml");
    assertThat(apply.exit()).as(apply.output()).isZero();
    await().atMost(Duration.ofSeconds(15)).until(() -> podsOf(client, "resource", "zookeeper").size() == 3);
    Map<String, String> placement = new TreeMap<>();
    podsOf(client, "resource", "zookeeper").forEach(p -> placement.put(p.getMetadata().getName(), p.getSpec().getNodeName()));
    assertThat(placement).containsEntry("zookeeper-0", "node-4").containsEntry("zookeeper-1", "node-5")
        .containsEntry("zookeeper-2", "node-6");
  }

  @Test
  @Order(7)
  void anOperatorResetsTheLabThroughTheApiAndTheResetIsAudited() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String op1 = "Basic " + Base64.getEncoder().encodeToString(("op1:" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> reset = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/lab/reset"))
        .header("Authorization", op1).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
    HttpResponse<String> audit = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
        + "/api/audit?type=LAB_RESET")).header("Authorization", op1).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(audit.body()).contains("\"type\":\"LAB_RESET\"").contains("\"actor\":\"op1\"");
    KubernetesClient client = kubernetes.client();
    await().atMost(Duration.ofSeconds(15)).until(() -> podsOf(client, "resource", "zookeeper").stream()
        .map(p -> p.getSpec().getNodeName()).sorted().toList().equals(List.of("node-1", "node-2", "node-3")));
    assertThat(Files.exists(stateDir().resolve("nodes/node-5/root/sysvol/zookeeper/data"))).isFalse();
  }

  @Test
  @Order(8)
  void unknownAndChangedHostKeysAreRefusedNamingTheNodeAndFingerprint() throws Exception {
    Path knownHosts = stateDir().resolve("known_hosts");
    List<String> original = Files.readAllLines(knownHosts);
    String node6 = original.stream().filter(l -> l.contains("127.0.10.6")).findFirst().orElseThrow();
    String node5 = original.stream().filter(l -> l.contains("127.0.10.5")).findFirst().orElseThrow();
    try {
      Files.write(knownHosts, original.stream().filter(l -> !l.equals(node6)).toList());
      inventory.forgetProbes();
      InventorySnapshot.SshStatus unknown = sshOf(inventory.snapshot(), "node-6");
      assertThat(unknown.reachable()).isFalse();
      assertThat(unknown.message()).contains("node-6").contains("SHA256:");
      assertThat(unknown.fingerprint()).startsWith("SHA256:");

      String changed = node6.substring(0, node6.indexOf(' ')) + node5.substring(node5.indexOf(' '));
      Files.write(knownHosts, original.stream().map(l -> l.equals(node6) ? changed : l).toList());
      inventory.forgetProbes();
      InventorySnapshot.SshStatus mismatch = sshOf(inventory.snapshot(), "node-6");
      assertThat(mismatch.reachable()).isFalse();
      assertThat(mismatch.message()).contains("node-6").containsIgnoringCase("changed").contains(unknown.fingerprint());
    } finally {
      Files.write(knownHosts, original);
      inventory.forgetProbes();
    }
    assertThat(sshOf(inventory.snapshot(), "node-6").reachable()).isTrue();
  }

  private static InventorySnapshot.SshStatus sshOf(InventorySnapshot snapshot, String node) {
    return snapshot.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().ssh();
  }

  // --- helpers: everything goes over SSH or the Kubernetes API -------------------------------

  record Result(int exit, String output) {}

  private Result exec(String node, String... argv) {
    String ip = kubernetes.client().nodes().withName(node).get().getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType())).findFirst().orElseThrow().getAddress();
    StringBuilder out = new StringBuilder();
    var result = shell.exec(new SshTarget(node, ip, sshPort()), new RemoteCommand(List.of(argv)),
        Duration.ofSeconds(60), (stream, line) -> out.append(line).append('\n'));
    return new Result(result.exitStatus(), out.toString());
  }

  /** The operator's edit of P1 step 9/15: add node-4..6 and put zookeeper's replicas on them. */
  private static String moveZookeeperToNewNodes(String conf) {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode root = (ObjectNode) yaml.readTree(conf);
    ArrayNode nodes = (ArrayNode) root.get("nodes");
    ArrayNode masters = (ArrayNode) root.get("cs").get("master");
    for (int i = 4; i <= 6; i++) {
      nodes.addObject().put("name", "node-" + i).put("ip4", "127.0.10." + i);
      masters.add("node-" + i);
    }
    ArrayNode hosts = ((ObjectNode) root.get("zookeeper")).putArray("hosts");
    hosts.add("node-4").add("node-5").add("node-6");
    return yaml.writeValueAsString(root);
  }

  private void writeOnNode(String node, String path, String content) {
    // Written through the node's sandbox: the lab's nodes offer no editor over exec.
    try {
      Path file = stateDir().resolve("nodes").resolve(node).resolve("root").resolve(path.substring(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean ready(Node node) {
    return node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static List<io.fabric8.kubernetes.api.model.Pod> podsOf(KubernetesClient client, String ns, String workload) {
    return client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> p.getMetadata().getName().matches(java.util.regex.Pattern.quote(workload) + "-\\d+"))
        .toList();
  }

  private static Map<String, String> digests(Path root) throws Exception {
    Map<String, String> result = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        result.put(root.relativize(f).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f))));
      }
    }
    return result;
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }
}
