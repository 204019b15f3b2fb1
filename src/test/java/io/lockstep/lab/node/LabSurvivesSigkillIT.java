package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import io.lockstep.lab.kube.LabKube;
import io.lockstep.lab.vmcluster.VmClusterLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The strongest proof that the lab is as durable as its answers: the lab runs as a JVM of its own
 * ({@link LabProcess}), answers commands over SSH and writes over the Kubernetes API, is killed
 * with SIGKILL the moment the last answer arrives, and is started again on the same files.
 */
class LabSurvivesSigkillIT {

  private static final String NODE_1 = "127.0.10.1";
  private static final String NODE_2 = "127.0.10.2";
  private static final String NODE_3 = "127.0.10.3";
  private static final String TOP_1 = "127.0.20.1";
  private static final String TOP_2 = "127.0.20.2";
  private static final String BASTION = "127.0.20.10";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  /**
   * Issue 11: add-nodes answered, then a kill — the run failed for good at reinstall.apply. With it,
   * the other kinds of state: unit and etcd states, a Helm release, P5's VMs, volumes and power.
   */
  @Test
  void everyCommandAndWriteAnsweredBeforeTheKillIsThereAfterTheRestart() throws Exception {
    Path state = dir.resolve("lab");
    LabProperties props = ALab.props(state);
    try (LabProcess lab = LabProcess.start(state, dir.resolve("lab.log"));
        NodeClient ssh = new NodeClient(props, lab.sshPort());
        KubernetesClient client = client(props)) {
      assertThat(ssh.exec(NODE_3, "systemctl stop kubelet").status()).isZero();
      assertThat(ssh.exec(NODE_2, "systemctl stop etcd").status()).isZero();
      String conf = ssh.exec(NODE_1, "proton-cli get conf").out();
      Files.writeString(props.nodesDir().resolve("node-1/root/root/add-nodes.yaml"), withNewMasters(conf));
      NodeClient.Result apply = ssh.exec(NODE_1, "proton-cli apply -f /root/add-nodes.yaml");
      assertThat(apply.status()).as(apply.out() + apply.err()).isZero();
      assertThat(ssh.exec(NODE_1, "helm3 -n resource delete kafka").status()).isZero();
      assertThat(ssh.exec(TOP_1, "fleetctl stop pcocc-vm-admin1").status()).isZero();
      assertThat(ssh.exec(TOP_1, "gluster --mode=script volume stop volspoms2").status()).isZero();
      assertThat(ssh.exec(TOP_2, "systemctl stop glusterd").status()).isZero();
      assertThat(ssh.exec(BASTION, "ipmitool -I lanplus -H iw1-bmc -U admin -f /root/.ipmi/password chassis power off")
          .status()).isZero();
      client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
          .withName("answered-last").endMetadata().addToData("k", "v").build()).create();
      lab.kill();
    }

    LabSeed seed = ALab.seed("1MB");
    LabKube kube = new LabKube(seed, props);
    kube.start();
    LabNodes nodes = new LabNodes(seed, props, kube);
    nodes.start();
    VmClusterLab vmCluster = LabProcess.vmCluster(props);
    vmCluster.start(nodes.sshPort());
    try (NodeClient ssh = new NodeClient(props, nodes.sshPort()); KubernetesClient client = client(props)) {
      assertThat(vmCluster.vmRunning("admin1")).isFalse();
      assertThat(vmCluster.volumeStarted("volspoms2")).isFalse();
      assertThat(vmCluster.unitActive("top2", "glusterd")).isFalse();
      assertThat(vmCluster.power("iw1")).isEqualTo("off");
      assertThat(ssh.exec(TOP_1, "fleetctl list-units --fields unit,sub --no-legend").out())
          .containsPattern("pcocc-vm-admin1.service\\s+dead");
      assertThat(client.configMaps().inNamespace("default").withName("answered-last").get()).isNotNull();
      assertThat(nodeNames(ssh.exec(NODE_1, "proton-cli get conf").out()))
          .containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
      assertThat(client.nodes().withName("node-6").get().getMetadata().getLabels())
          .containsKey("node-role.kubernetes.io/control-plane");
      assertThat(client.apps().statefulSets().inNamespace("resource").withName("kafka").get()).isNull();
      assertThat(ssh.exec(NODE_3, "systemctl is-active kubelet").status()).isEqualTo(3);
      assertThat(ready(client.nodes().withName("node-3").get())).isFalse();
      assertThat(ssh.exec(NODE_2, "systemctl is-active etcd").status()).isEqualTo(3);
      assertThat(kube.etcdActive("node-2")).isFalse();
      NodeClient.Result health = ssh.exec(NODE_1, "etcdctl --endpoints=https://127.0.10.2:2379"
          + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/member-node-1.pem"
          + " --key=/etc/ssl/etcd/ssl/member-node-1-key.pem endpoint health");
      assertThat(health.status()).as(health.err()).isEqualTo(1);
    } finally {
      vmCluster.stop();
      nodes.stop();
      kube.stop();
    }
  }

  /** Writes in a stream, the kill in the middle of one: each answered write is back, the one in flight may be. */
  @Test
  void aKillInTheMiddleOfABurstKeepsEveryAnsweredWrite() throws Exception {
    Path state = dir.resolve("lab");
    LabProperties props = ALab.props(state);
    Set<String> answered = ConcurrentHashMap.newKeySet();
    AtomicInteger attempted = new AtomicInteger();
    try (LabProcess lab = LabProcess.start(state, dir.resolve("lab.log")); KubernetesClient client = client(props)) {
      Thread writer = new Thread(() -> {
        for (int i = 0; ; i++) {
          attempted.set(i);
          try {
            client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("w-" + i).endMetadata().addToData("k", "x".repeat(2048)).build()).create();
          } catch (RuntimeException e) {
            return; // the lab is gone
          }
          answered.add("w-" + i);
        }
      }, "writer");
      writer.start();
      await().atMost(PATIENCE).until(() -> answered.size() >= 400);
      lab.kill();
      writer.join(PATIENCE.toMillis());
    }

    LabKube kube = new LabKube(ALab.seed("1MB"), props);
    kube.start();
    try (KubernetesClient client = client(props)) {
      Set<String> found = new HashSet<>();
      client.configMaps().inNamespace("default").list().getItems().stream().map(c -> c.getMetadata().getName())
          .filter(n -> n.startsWith("w-")).forEach(found::add);
      assertThat(found).containsAll(answered);
      Set<String> extra = new HashSet<>(found);
      extra.removeAll(answered);
      assertThat(extra).as("only the write in flight at the kill may be there unanswered")
          .isSubsetOf(Set.of("w-" + attempted.get()));
      System.out.printf("lab killed after %d answered writes: %d back, %d unanswered one(s) back%n",
          answered.size(), found.size() - extra.size(), extra.size());
    } finally {
      kube.stop();
    }
  }

  /** The console's way in: the lab's kubeconfig; no retries, so a write to a dead lab fails at once. */
  private static KubernetesClient client(LabProperties props) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(props.kubeconfig()));
    config.setRequestRetryBackoffLimit(0);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The operator's edit of P1's add-nodes step: node-4..6 under .nodes and .cs.master. */
  private static String withNewMasters(String conf) {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode root = (ObjectNode) yaml.readTree(conf);
    ArrayNode nodes = (ArrayNode) root.get("nodes");
    ArrayNode masters = (ArrayNode) root.get("cs").get("master");
    for (String node : List.of("node-4", "node-5", "node-6")) {
      nodes.addObject().put("name", node).put("ip4", "127.0.10." + node.substring(5));
      masters.add(node);
    }
    return yaml.writeValueAsString(root);
  }

  private static List<String> nodeNames(String conf) {
    List<String> names = new java.util.ArrayList<>();
    new YAMLMapper().readTree(conf).path("nodes").forEach(n -> names.add(n.path("name").asString()));
    return names;
  }

  private static boolean ready(Node node) {
    return node.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
