package io.lockstep.lab.kube;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * A started {@link LabKube} built from the shipped seed, with fast pods (100 ms to start, 300 ms to
 * terminate), and a fabric8 client that reaches it the way the console does: through the kubeconfig
 * the lab wrote.
 */
final class RunningLab implements AutoCloseable {

  static final Duration START = Duration.ofMillis(100);
  static final Duration GRACE = Duration.ofMillis(300);
  static final Duration PATIENCE = Duration.ofSeconds(60);

  final LabSeed seed;
  final LabProperties props;
  final LabKube kube;
  final KubernetesClient client;

  private RunningLab(LabSeed seed, LabProperties props) {
    quietLibraries();
    this.seed = seed;
    this.props = props;
    this.kube = new LabKube(seed, props);
    kube.start();
    try {
      this.client = new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(props.kubeconfig()))).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a lab keeping its state in {@code stateDir}, and waits until every pod is Ready. */
  static RunningLab start(Path stateDir) {
    RunningLab lab = new RunningLab(seed(), properties(stateDir));
    lab.awaitAllPodsReady();
    return lab;
  }

  /** Starts a lab on the state a previous one left in {@code stateDir}, without waiting for anything. */
  static RunningLab restart(Path stateDir) {
    return new RunningLab(seed(), properties(stateDir));
  }

  private static LabProperties properties(Path stateDir) {
    return new LabProperties(stateDir, "config/lab/platform.yml", 0, 0, START, GRACE, "rsync", "ssh");
  }

  static LabSeed seed() {
    try (InputStream in = Files.newInputStream(Path.of("config/lab/platform.yml"))) {
      return LabSeed.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void reset() {
    kube.reset();
    awaitAllPodsReady();
  }

  /** Waits until the seeded pods are all Ready and every workload's status says so. */
  void awaitAllPodsReady() {
    await().atMost(PATIENCE).until(() -> {
      List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
      return pods.size() == seededPods() && pods.stream().allMatch(PodObjects::ready);
    });
    await().atMost(PATIENCE).until(() -> client.apps().statefulSets().inAnyNamespace().list().getItems().stream()
            .allMatch(s -> s.getStatus() != null && Objects.equals(s.getStatus().getReadyReplicas(), s.getSpec().getReplicas()))
        && client.apps().deployments().inAnyNamespace().list().getItems().stream()
            .allMatch(d -> d.getStatus() != null && Objects.equals(d.getStatus().getReadyReplicas(), d.getSpec().getReplicas()))
        && client.apps().daemonSets().inAnyNamespace().list().getItems().stream()
            .allMatch(d -> d.getStatus() != null && d.getStatus().getNumberReady() == seed.nodes().size()));
  }

  /** How many pods the seeded platform runs. */
  int seededPods() {
    int nodes = seed.nodes().size();
    int masters = (int) seed.nodes().stream().filter(LabSeed.Node::master).count();
    return masters * seed.kubeSystem().perMaster().size()
        + nodes * (seed.kubeSystem().perNode().size() + seed.apps().daemonSets().size())
        + seed.kubeSystem().deployments().stream().mapToInt(LabSeed.Workload::replicas).sum()
        + seed.components().stream().mapToInt(c -> c.nodes().size()).sum()
        + seed.operatorDeployments().stream().mapToInt(LabSeed.OperatorDeployment::replicas).sum()
        + seed.apps().deployments().stream().mapToInt(LabSeed.Workload::replicas).sum()
        + seed.apps().statefulSets().stream().mapToInt(LabSeed.Workload::replicas).sum();
  }

  List<Pod> pods(String namespace, String labelKey, String labelValue) {
    return client.pods().inNamespace(namespace).withLabel(labelKey, labelValue).list().getItems();
  }

  String resourceNamespace() {
    return seed.platform().resourceNamespace();
  }

  String appNamespace() {
    return seed.platform().appNamespace();
  }

  /**
   * Ends the lab the way SIGKILL would as far as its files go: it stops serving and writes nothing
   * more (no compaction). Restarting on the same directory then shows what a killed lab finds.
   */
  void kill() {
    kube.halt();
  }

  @Override
  public void close() {
    client.close();
    kube.stop();
  }

  /** DEBUG logging from the HTTP stacks (logback's default without a config) slows every request. */
  private static void quietLibraries() {
    for (String name : List.of("io.fabric8", "io.vertx", "io.netty")) {
      if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
      }
    }
  }
}
