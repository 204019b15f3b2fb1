package io.lockstep.lab.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controllers the lab plays: pods follow workloads, node agents and node changes. */
class LabKubeControllersTest {

  @TempDir
  static Path state;

  static RunningLab lab;

  @BeforeAll
  static void start() {
    lab = RunningLab.start(state);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void aStatefulSetScaledToZeroTerminatesItsPodsThenComesBackReady() {
    String ns = lab.appNamespace();
    Set<String> seenTerminating = ConcurrentHashMap.newKeySet();
    Watch watch = lab.client.pods().inNamespace(ns).withLabel("app", "content-indexer").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null && !PodObjects.ready(pod)) {
          seenTerminating.add(pod.getMetadata().getName());
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
    try {
      lab.client.apps().statefulSets().inNamespace(ns).withName("content-indexer").scale(0);
      await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "content-indexer").isEmpty());
      assertThat(seenTerminating).containsExactlyInAnyOrder("content-indexer-0", "content-indexer-1");
    } finally {
      watch.close();
    }
    var contentIndexer = lab.client.apps().statefulSets().inNamespace(ns).withName("content-indexer");
    await().atMost(RunningLab.PATIENCE).until(() -> contentIndexer.get().getStatus().getReplicas() == 0);

    lab.client.apps().statefulSets().inNamespace(ns).withName("content-indexer").scale(3);
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "content-indexer").stream()
        .filter(PodObjects::ready).count() == 3);
    await().atMost(RunningLab.PATIENCE).untilAsserted(() -> {
      var status = contentIndexer.get().getStatus();
      assertThat(status.getReadyReplicas()).isEqualTo(3);
      assertThat(status.getAvailableReplicas()).isEqualTo(3);
      assertThat(status.getObservedGeneration()).isEqualTo(contentIndexer.get().getMetadata().getGeneration());
    });
    lab.client.apps().statefulSets().inNamespace(ns).withName("content-indexer").scale(2);
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "content-indexer").size() == 2);
  }

  @Test
  void aDaemonSetWithTheStopByAdminSelectorLosesItsPodsUntilTheSelectorIsRemoved() {
    String ns = lab.appNamespace();
    var logAgent = lab.client.apps().daemonSets().inNamespace(ns).withName("log-agent");
    logAgent.patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"stop-by-admin\":\"true\"}}}}}");
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "log-agent").isEmpty());
    await().atMost(RunningLab.PATIENCE).until(() -> logAgent.get().getStatus().getDesiredNumberScheduled() == 0);

    logAgent.patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/nodeSelector/stop-by-admin\"}]");
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "log-agent").stream()
        .filter(PodObjects::ready).count() == 6);
    await().atMost(RunningLab.PATIENCE).until(() -> logAgent.get().getStatus().getNumberReady() == 6);
    assertThat(lab.pods(ns, "app", "log-agent").stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()))
        .hasSize(6);
  }

  @Test
  void aStoppedKubeletMakesItsNodeNotReadyAndItsPodsUnreadyUntilItStartsAgain() {
    lab.kube.kubeletChanged("node-2", false);
    Node node = lab.client.nodes().withName("node-2").get();
    assertThat(NodeObjects.ready(node)).isFalse();
    assertThat(node.getStatus().getConditions()).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getReason()).isEqualTo("NodeStatusUnknown");
    });
    await().atMost(RunningLab.PATIENCE).until(() -> !podsOn("node-2").isEmpty()
        && podsOn("node-2").stream().noneMatch(PodObjects::ready));
    assertThat(podsOn("node-2")).allMatch(p -> "Running".equals(p.getStatus().getPhase()));

    lab.kube.kubeletChanged("node-2", true);
    assertThat(NodeObjects.ready(lab.client.nodes().withName("node-2").get())).isTrue();
    await().atMost(RunningLab.PATIENCE).until(() -> podsOn("node-2").stream().allMatch(PodObjects::ready));
  }

  @Test
  void aStoppedRuntimeTakesTheContainersAwayAndBringsThemBackRestarted() {
    lab.kube.runtimeChanged("node-4", false);
    await().atMost(RunningLab.PATIENCE).until(() -> podsOn("node-4").stream()
        .noneMatch(p -> PodObjects.ready(p) || PodObjects.containersUp(p)));
    assertThat(NodeObjects.ready(lab.client.nodes().withName("node-4").get())).isTrue();

    lab.kube.runtimeChanged("node-4", true);
    await().atMost(RunningLab.PATIENCE).until(() -> podsOn("node-4").stream().allMatch(PodObjects::ready));
    assertThat(podsOn("node-4")).allSatisfy(p ->
        assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(1));
  }

  @Test
  void kubectlRolloutRestartReplacesADeploymentsPods() {
    String ns = lab.appNamespace();
    Set<String> before = names(lab.pods(ns, "app", "document-service"));
    new Kubectl(lab.props.kubeconfig()).run("-n", ns, "rollout", "restart", "deploy", "document-service");
    await().atMost(RunningLab.PATIENCE).until(() -> {
      List<Pod> pods = lab.pods(ns, "app", "document-service");
      return pods.size() == 3 && pods.stream().allMatch(PodObjects::ready)
          && names(pods).stream().noneMatch(before::contains);
    });
    assertThat(new Kubectl(lab.props.kubeconfig()).run("-n", ns, "rollout", "status", "deploy", "document-service"))
        .contains("successfully rolled out");
  }

  @Test
  void newPodsAvoidNotReadyAndCordonedNodes() {
    String ns = lab.appNamespace();
    var preview = lab.client.apps().deployments().inNamespace(ns).withName("preview-service");
    Set<String> before = names(lab.pods(ns, "app", "preview-service"));
    lab.kube.kubeletChanged("node-6", false);
    lab.client.nodes().withName("node-5").edit(n -> {
      n.getSpec().setUnschedulable(true);
      return n;
    });
    preview.scale(6);
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "preview-service").stream()
        .filter(p -> !before.contains(p.getMetadata().getName())).filter(PodObjects::ready).count() == 4);
    assertThat(lab.pods(ns, "app", "preview-service"))
        .filteredOn(p -> !before.contains(p.getMetadata().getName()))
        .extracting(p -> p.getSpec().getNodeName())
        .doesNotContain("node-5", "node-6");

    preview.scale(2);
    lab.client.nodes().withName("node-5").edit(n -> {
      n.getSpec().setUnschedulable(false);
      return n;
    });
    lab.kube.kubeletChanged("node-6", true);
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "preview-service").size() == 2
        && podsOn("node-6").stream().allMatch(PodObjects::ready));
  }

  @Test
  void aDeletedNodeTakesItsPodsAndTheirWorkloadsRunThemElsewhere() {
    String ns = lab.appNamespace();
    Node node = lab.client.nodes().withName("node-6").get();
    lab.client.nodes().withName("node-6").delete();
    await().atMost(RunningLab.PATIENCE).until(() -> podsOn("node-6").isEmpty());
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "anyshare-api").stream()
        .filter(PodObjects::ready).count() == 3);
    assertThat(lab.pods(ns, "app", "log-agent")).hasSize(5);

    lab.client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder(node).editMetadata()
        .withResourceVersion(null).withUid(null).endMetadata().build()).create();
    await().atMost(RunningLab.PATIENCE).until(() -> lab.pods(ns, "app", "log-agent").stream()
        .filter(PodObjects::ready).count() == 6);
  }

  @Test
  void kubectlDrainEvictsAllButDaemonSetPodsAndTheirWorkloadsRunThemElsewhere() {
    Kubectl kubectl = new Kubectl(lab.props.kubeconfig());
    assertThat(lab.client.pods().inAnyNamespace().withField("spec.nodeName", "node-4").list().getItems())
        .isNotEmpty().allMatch(p -> "node-4".equals(p.getSpec().getNodeName()));
    String drained = kubectl.run("drain", "node-4", "--ignore-daemonsets", "--delete-emptydir-data");
    assertThat(drained).contains("node/node-4 cordoned", "evicting pod", "node/node-4 drained");
    assertThat(podsOn("node-4")).allMatch(p -> p.getMetadata().getOwnerReferences().get(0).getKind().equals("DaemonSet"));
    assertThat(kubectl.run("get", "nodes", "node-4")).contains("Ready,SchedulingDisabled");
    await().atMost(RunningLab.PATIENCE).until(() -> lab.client.apps().deployments().inNamespace(lab.appNamespace())
        .list().getItems().stream().allMatch(d -> Objects.equals(d.getStatus().getReadyReplicas(), d.getSpec().getReplicas())));

    Pod daemon = podsOn("node-4").get(0);
    assertThat(lab.client.pods().resource(daemon).evict()).isTrue();
    kubectl.run("uncordon", "node-4");
    await().atMost(RunningLab.PATIENCE).until(() -> podsOn("node-4").stream()
        .filter(PodObjects::ready).count() == 4);
  }

  private static List<Pod> podsOn(String node) {
    return lab.client.pods().inAnyNamespace().list().getItems().stream()
        .filter(p -> node.equals(p.getSpec().getNodeName())).toList();
  }

  private static Set<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }
}
