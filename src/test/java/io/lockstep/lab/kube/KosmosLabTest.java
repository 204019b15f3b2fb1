package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * P6 on the lab: a MysqlCluster of the host moved across the Kosmos member clusters by patching its
 * podSpec exactly as the seed's four scenarios do, seen through the kubeconfig's three contexts.
 */
class KosmosLabTest {

  /** The host nodes P6 leaves in every scenario but the first: all but node-4. */
  private static final String LEAVE_ALL_BUT_NODE_4 = "[node-1, node-2, node-3, node-5, node-6]";
  private static final String LEAVE_ALL = "[node-1, node-2, node-3, node-4, node-5, node-6]";

  @TempDir
  static Path state;

  static KosmosLab lab;

  @BeforeAll
  static void start() {
    lab = KosmosLab.start(state);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @BeforeEach
  void scenarioOne() {
    lab.reset();
  }

  @Test
  void theKubeconfigNamesTheHostAndEachMemberAndTheHostSeesEachMemberAsATaintedVirtualNode() throws Exception {
    String kubeconfig = Files.readString(lab.props.kubeconfig());
    assertThat(Config.fromKubeconfig(kubeconfig).getCurrentContext().getName()).isEqualTo("lockstep-lab");
    assertThat(Config.fromKubeconfig(kubeconfig).getContexts()).extracting(c -> c.getName())
        .containsExactly("lockstep-lab", "lockstep-member-1", "lockstep-member-2");
    assertThat(names(lab.member1.nodes().list().getItems())).containsExactlyInAnyOrder("m1-node-1", "m1-node-2");
    assertThat(names(lab.member2.nodes().list().getItems())).containsExactlyInAnyOrder("m2-node-1", "m2-node-2");
    Node virtual = lab.host.nodes().withName("kosmos-member-1").get();
    assertThat(virtual.getMetadata().getLabels()).containsEntry("kosmos.io/node", "true")
        .containsEntry("type", "virtual-kubelet");
    assertThat(virtual.getSpec().getTaints()).singleElement().satisfies(t -> {
      assertThat(t.getKey()).isEqualTo("kosmos.io/node");
      assertThat(t.getEffect()).isEqualTo("NoSchedule");
    });
    assertThat(NodeObjects.ready(virtual)).isTrue();
    for (var client : List.of(lab.host, lab.member1, lab.member2)) {
      assertThat(client.getApiResources("multicluster.x-k8s.io/v1alpha1").getResources())
          .extracting(r -> r.getKind()).contains("ServiceExport", "ServiceImport");
    }
    // nothing that does not tolerate the taint runs there: the platform's DaemonSets skip it
    assertThat(lab.host.pods().inAnyNamespace().withField("spec.nodeName", "kosmos-member-1").list().getItems())
        .isEmpty();
  }

  @Test
  void scenarioOneBothReplicasRunInTheHostOnTwoWorkers() {
    Map<String, Pod> pods = lab.mysqlPods(lab.host);
    assertThat(pods).containsOnlyKeys("mysql-mysql-0", "mysql-mysql-1");
    assertThat(pods.values()).allMatch(PodObjects::ready);
    assertThat(pods.values().stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("node-4", "node-5");
    assertThat(lab.mysqlPods(lab.member1)).isEmpty();
    assertThat(lab.mysqlPods(lab.member2)).isEmpty();
    Service master = lab.host.services().inNamespace(KosmosLab.NS).withName("mysql-mysql-master").get();
    assertThat(master.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(3306));
    assertThat(master.getSpec().getSelector()).containsEntry("statefulset.kubernetes.io/pod-name", "mysql-mysql-0");
    assertThat(lab.host.services().inNamespace(KosmosLab.NS).withName("mysql-mysql").get()).isNotNull();
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> assertThat(status()).containsEntry("readyNodes", 2));
  }

  @Test
  void scenarioTwoOneReplicaInTheHostAndOneInMemberOne() {
    lab.export("mysql-mysql-master");
    lab.importInto(lab.member1, "mysql-mysql-master", 3306);
    lab.applyPodSpec("""
        tolerations:
        - key: "kosmos.io/node"
          operator: "Equal"
          value: "true"
          effect: "NoSchedule"
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - key: kubernetes.io/hostname
                  operator: NotIn
                  values: %s
                - key: kubernetes.io/hostname
                  operator: NotIn
                  values: [kosmos-member-2]
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  mysql.presslabs.org/cluster: mysql
              topologyKey: kubernetes.io/hostname
        """.formatted(LEAVE_ALL_BUT_NODE_4));
    await().atMost(RunningLab.PATIENCE).until(() -> lab.placement(lab.host).values().stream().sorted().toList()
        .equals(List.of("kosmos-member-1", "node-4")));
    Pod inHost = onNode(lab.host, "kosmos-member-1");
    Map<String, Pod> inMember = lab.mysqlPods(lab.member1);
    assertThat(inMember).containsOnlyKeys(inHost.getMetadata().getName());
    Pod leaf = inMember.get(inHost.getMetadata().getName());
    assertThat(leaf.getSpec().getNodeName()).startsWith("m1-node-");
    assertThat(PodObjects.ready(leaf)).isTrue();
    assertThat(inHost.getStatus().getPodIP()).isEqualTo(leaf.getStatus().getPodIP());
    assertThat(lab.mysqlPods(lab.member2)).isEmpty();
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> assertThat(status()).containsEntry("readyNodes", 2));
  }

  /**
   * The seed's step 13: the primary answers through the Service member-1 imports — a real MySQL
   * statement, run by the mysql client in the replica's container (kubectl exec), reaching the
   * MariaDB database the lab's operator keeps for the cluster. The password comes from the
   * container's environment (the Secret Kosmos copied into the member), never from the caller.
   */
  @Test
  void theMysqlClientInAMembersReplicaReachesThePrimaryThroughTheImportedService() throws Exception {
    lab.export("mysql-mysql-master");
    lab.importInto(lab.member1, "mysql-mysql-master", 3306);
    lab.applyPodSpec("""
        tolerations:
        - { key: "kosmos.io/node", operator: "Equal", value: "true", effect: "NoSchedule" }
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - { key: kubernetes.io/hostname, operator: NotIn, values: %s }
                - { key: kubernetes.io/hostname, operator: NotIn, values: [kosmos-member-2] }
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: { matchLabels: { mysql.presslabs.org/cluster: mysql } }
              topologyKey: kubernetes.io/hostname
        """.formatted(LEAVE_ALL_BUT_NODE_4));
    // the roll is over (both replicas Ready where placed) and member-1's import points at the primary as it is now
    await().atMost(RunningLab.PATIENCE).until(() -> lab.placement(lab.host).values().stream().sorted().toList()
        .equals(List.of("kosmos-member-1", "node-4")));
    await().atMost(RunningLab.PATIENCE).until(() -> {
      String primaryIp = lab.host.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-0").get().getStatus().getPodIP();
      return lab.member1.discovery().v1().endpointSlices().inNamespace(KosmosLab.NS)
          .withLabel("kubernetes.io/service-name", "mysql-mysql-master").list().getItems().stream()
          .flatMap(slice -> slice.getEndpoints().stream()).anyMatch(e -> e.getAddresses().contains(primaryIp));
    });
    String pod = lab.mysqlPods(lab.member1).keySet().iterator().next();
    assertThat(lab.member1.secrets().inNamespace(KosmosLab.NS).withName("mysql-secret").get())
        .as("Kosmos copies the Secret the container reads into the member").isNotNull();

    Exec answer = exec(lab.member1, pod, "sh", "-c",
        "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" exec mysql --host=\"$1\" --port=3306 --user=root -N -B --execute=\"$2\"",
        "query", "mysql-mysql-master", "SELECT DATABASE(), 6 * 7, CURRENT_USER()");
    assertThat(answer.err()).isEmpty();
    assertThat(answer.exit()).isZero();
    assertThat(answer.out()).as("MariaDB answered, in the cluster's own database as its own user")
        .isEqualTo("lab_mysql_mysql\t42\tlab_mysql_mysql@%\n");

    // kosmos.query's session (KosmosQuery.SCRIPT, bounded): read-only, and the server bounds the statement's time
    String readOnly = "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" exec mysql --host=\"$1\" --port=3306 --user=root -N -B"
        + " --init-command=\"SET SESSION TRANSACTION READ ONLY\" --execute=\"$2\"";
    Exec write = exec(lab.member1, pod, "sh", "-c", readOnly, "query", "mysql-mysql-master", "CREATE TABLE lockstep_t (a INT)");
    assertThat(write.exit()).isEqualTo(1);
    assertThat(write.err()).as("MariaDB refuses a write in the read-only session").contains("ERROR 1792");
    Exec slow = exec(lab.member1, pod, "sh", "-c", readOnly, "query", "mysql-mysql-master",
        "/*M!100108 SET STATEMENT max_statement_time=1 FOR */ SELECT /*+ MAX_EXECUTION_TIME(1000) */ SLEEP(20)");
    assertThat(slow.exit()).isEqualTo(1);
    assertThat(slow.err()).as("MariaDB stops it after a second, not 20").contains("ERROR 1969")
        .contains("max_statement_time exceeded");
    Exec bounded = exec(lab.member1, pod, "sh", "-c", readOnly, "query", "mysql-mysql-master",
        "/*M!100108 SET STATEMENT max_statement_time=30 FOR */ SELECT /*+ MAX_EXECUTION_TIME(30000) */ 6 * 7");
    assertThat(bounded.out()).isEqualTo("42\n");

    Exec wrongPassword = exec(lab.member1, pod, "mysql", "-h", "mysql-mysql-master", "-uroot", "-pwrong", "-e", "SELECT 1");
    assertThat(wrongPassword.exit()).isEqualTo(1);
    assertThat(wrongPassword.err()).contains("ERROR 1045 (28000)").contains("Access denied");

    Exec nowhere = exec(lab.member1, pod, "mysql", "-h", "mysql-mysql", "-e", "SELECT 1");
    assertThat(nowhere.exit()).isEqualTo(1);
    assertThat(nowhere.err()).as("only the primary's Service is imported")
        .contains("ERROR 2005 (HY000)").contains("Unknown MySQL server host 'mysql-mysql'");

    lab.member1.genericKubernetesResources("multicluster.x-k8s.io/v1alpha1", "ServiceImport").inNamespace(KosmosLab.NS)
        .withName("mysql-mysql-master").delete();
    await().atMost(RunningLab.PATIENCE).until(() ->
        lab.member1.services().inNamespace(KosmosLab.NS).withName("mysql-mysql-master").get() == null);
    Exec gone = exec(lab.member1, pod, "sh", "-c", "MYSQL_PWD=\"$MYSQL_ROOT_PASSWORD\" mysql -h mysql-mysql-master -e 'SELECT 1'");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.err()).contains("Unknown MySQL server host 'mysql-mysql-master'");
  }

  record Exec(int exit, String out, String err) {}

  private static Exec exec(io.fabric8.kubernetes.client.KubernetesClient cluster, String pod, String... command)
      throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();
    try (var watch = cluster.pods().inNamespace(KosmosLab.NS).withName(pod).inContainer("mysql")
        .writingOutput(out).writingError(err).exec(command)) {
      int exit = watch.exitCode().get(30, java.util.concurrent.TimeUnit.SECONDS);
      return new Exec(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
          err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  @Test
  void scenarioThreeBothInMemberOneWaitsForThePrimarysServiceToBeExportedAndImported() {
    lab.applyPodSpec("""
        tolerations:
        - key: "kosmos.io/node"
          operator: "Equal"
          value: "true"
          effect: "NoSchedule"
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - key: kubernetes.io/hostname
                  operator: NotIn
                  values: %s
                - key: kubernetes.io/hostname
                  operator: NotIn
                  values: [kosmos-member-2]
        """.formatted(LEAVE_ALL));
    // the replica (ordinal 1) goes first and runs in member-1, but cannot reach the primary
    await().atMost(RunningLab.PATIENCE).until(() -> lab.mysqlPods(lab.member1).containsKey("mysql-mysql-1")
        && "Running".equals(lab.mysqlPods(lab.member1).get("mysql-mysql-1").getStatus().getPhase()));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
        !PodObjects.ready(lab.member1.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-1").get())
            && !PodObjects.ready(lab.host.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-1").get()));
    assertThat(lab.member1.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-1").getLog())
        .contains("cannot reach the primary").contains("mysql-mysql-master");
    assertThat(lab.host.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-0").get().getSpec().getNodeName())
        .isIn("node-4", "node-5");
    assertThat(status()).containsEntry("readyNodes", 1);

    // importing alone is not enough: the host has not exported the Service
    lab.importInto(lab.member1, "mysql-mysql-master", 3306);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
        !PodObjects.ready(lab.member1.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-1").get()));
    assertThat(lab.member1.services().inNamespace(KosmosLab.NS).withName("mysql-mysql-master").get()).isNull();

    lab.export("mysql-mysql-master");
    await().atMost(RunningLab.PATIENCE).until(() -> lab.placement(lab.host).values().stream().sorted().toList()
        .equals(List.of("kosmos-member-1", "kosmos-member-1")));
    await().atMost(RunningLab.PATIENCE).until(() -> lab.mysqlPods(lab.member1).size() == 2
        && lab.mysqlPods(lab.member1).values().stream().allMatch(PodObjects::ready));
    assertThat(lab.mysqlPods(lab.member1).values()).allMatch(p -> p.getSpec().getNodeName().startsWith("m1-node-"));
    assertThat(lab.mysqlPods(lab.member2)).isEmpty();
    Service imported = lab.member1.services().inNamespace(KosmosLab.NS).withName("mysql-mysql-master").get();
    assertThat(imported.getSpec().getSelector()).isNullOrEmpty();
    assertThat(imported.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(3306));
    String primaryIp = lab.host.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-0").get().getStatus().getPodIP();
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> {
      List<EndpointSlice> slices = lab.member1.discovery().v1().endpointSlices().inNamespace(KosmosLab.NS)
          .withLabel("kubernetes.io/service-name", "mysql-mysql-master").list().getItems();
      assertThat(slices).singleElement().satisfies(s -> assertThat(s.getEndpoints())
          .flatExtracting(e -> e.getAddresses()).containsExactly(primaryIp));
    });
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> assertThat(status()).containsEntry("readyNodes", 2));
  }

  @Test
  void scenarioFourOneReplicaInEachMemberAndScalingDownRemovesTheMemberPod() {
    lab.export("mysql-mysql-master");
    lab.importInto(lab.member1, "mysql-mysql-master", 3306);
    lab.importInto(lab.member2, "mysql-mysql-master", 3306);
    lab.applyPodSpec("""
        tolerations:
        - key: "kosmos.io/node"
          operator: "Equal"
          value: "true"
          effect: "NoSchedule"
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - key: kubernetes.io/hostname
                  operator: NotIn
                  values: %s
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels:
                  mysql.presslabs.org/cluster: mysql
              topologyKey: kubernetes.io/hostname
        """.formatted(LEAVE_ALL));
    await().atMost(RunningLab.PATIENCE).until(() -> lab.placement(lab.host).values().stream().sorted().toList()
        .equals(List.of("kosmos-member-1", "kosmos-member-2")));
    await().atMost(RunningLab.PATIENCE).until(() -> lab.mysqlPods(lab.member1).size() == 1
        && lab.mysqlPods(lab.member2).size() == 1
        && lab.mysqlPods(lab.member1).values().stream().allMatch(PodObjects::ready)
        && lab.mysqlPods(lab.member2).values().stream().allMatch(PodObjects::ready));
    assertThat(lab.mysqlPods(lab.member1).values()).allMatch(p -> p.getSpec().getNodeName().startsWith("m1-node-"));
    assertThat(lab.mysqlPods(lab.member2).values()).allMatch(p -> p.getSpec().getNodeName().startsWith("m2-node-"));
    assertThat(lab.mysqlPods(lab.host).values()).allMatch(PodObjects::ready);

    String replicaMember = onNode(lab.host, "kosmos-member-1").getMetadata().getName().equals("mysql-mysql-1")
        ? "member-1" : "member-2";
    lab.mysqlCluster().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":1}}");
    var memberClient = replicaMember.equals("member-1") ? lab.member1 : lab.member2;
    await().atMost(RunningLab.PATIENCE).until(() -> memberClient.pods().inNamespace(KosmosLab.NS).list().getItems()
        .isEmpty() && lab.host.pods().inNamespace(KosmosLab.NS).withName("mysql-mysql-1").get() == null);
  }

  @Test
  void membersKeepTheirPodsAndTheirAddressesAcrossARestart() throws Exception {
    lab.export("mysql-mysql-master");
    lab.importInto(lab.member2, "mysql-mysql-master", 3306);
    lab.applyPodSpec("""
        tolerations:
        - { key: kosmos.io/node, operator: Equal, value: "true", effect: NoSchedule }
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - { key: kubernetes.io/hostname, operator: In, values: [kosmos-member-2] }
        """);
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> assertThat(lab.placement(lab.host))
        .isEqualTo(Map.of("mysql-mysql-0", "kosmos-member-2", "mysql-mysql-1", "kosmos-member-2")));
    await().atMost(RunningLab.PATIENCE).until(() -> lab.mysqlPods(lab.member2).size() == 2
        && lab.mysqlPods(lab.member2).values().stream().allMatch(PodObjects::ready));
    Set<String> uids = lab.mysqlPods(lab.member2).values().stream().map(p -> p.getMetadata().getUid())
        .collect(Collectors.toSet());
    String before = Files.readString(lab.props.kubeconfig());
    lab.kube.stop();
    lab.kube.start();
    lab.connect();
    // as real API servers do: clients built before the restart (the console's) still reach them
    assertThat(Files.readString(lab.props.kubeconfig())).isEqualTo(before);
    assertThat(lab.mysqlPods(lab.member2).values().stream().map(p -> p.getMetadata().getUid())
        .collect(Collectors.toSet())).isEqualTo(uids);
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> assertThat(lab.placement(lab.host))
        .isEqualTo(Map.of("mysql-mysql-0", "kosmos-member-2", "mysql-mysql-1", "kosmos-member-2")));
  }

  private static Pod onNode(io.fabric8.kubernetes.client.KubernetesClient client, String node) {
    return lab.mysqlPods(client).values().stream().filter(p -> node.equals(p.getSpec().getNodeName())).findFirst()
        .orElseThrow();
  }

  private static Map<String, Object> status() {
    GenericKubernetesResource cr = lab.mysqlCluster().get();
    return MysqlObjects.map(cr.getAdditionalProperties().get("status"));
  }

  private static List<String> names(List<Node> nodes) {
    return nodes.stream().map(n -> n.getMetadata().getName()).toList();
  }
}
