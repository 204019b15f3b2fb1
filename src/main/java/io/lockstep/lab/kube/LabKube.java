package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.lockstep.lab.LabCluster;
import io.lockstep.lab.LabCommandException;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes side of the lab platform: an API server on 127.0.0.1 that real kubectl and fabric8
 * accept, holding the seeded Proton platform, with the controllers a real cluster would run (pods
 * follow workloads, nodes and their agents; owners take their dependents), and the platform-level
 * effects of the commands lab nodes run ({@code systemctl} on kubelet or docker, {@code helm3
 * delete}, {@code proton-cli get conf / apply}).
 *
 * <p>The cluster's objects are saved under {@link LabProperties#clusterDir()} a moment after every
 * change and on {@link #stop()}; {@link #start()} restores them when present and seeds the platform
 * otherwise. The kubeconfig for clients is written to {@link LabProperties#kubeconfig()}.
 */
public class LabKube implements LabCluster {

  private static final Logger log = LoggerFactory.getLogger(LabKube.class);

  private final LabSeed seed;
  private final LabProperties props;
  private final NodeAgents agents = new NodeAgents();
  // Set by start() and reset(), read by the lab nodes' command threads: hence volatile.
  private volatile LabDispatcher store;
  private volatile ApiServer server;
  private volatile KubernetesClient client;
  private volatile ClusterSnapshot snapshot;
  private volatile ClusterControllers controllers;
  private volatile ComponentInstaller installer;
  private volatile ProtonSecrets secrets;
  private volatile ControlPlanePods controlPlane;
  private volatile ProtonApply proton;
  private volatile HelmReleases helm;
  private final Optional<Kosmos> kosmos;

  public LabKube(LabSeed seed, LabProperties props) {
    this.seed = seed;
    this.props = props;
    this.kosmos = Kosmos.from(props);
  }

  /** Starts the API server, restores or seeds the platform, starts the controllers, writes the kubeconfig. */
  public synchronized void start() {
    boolean restored = restore();
    server = new ApiServer(store, this::downReason);
    server.start(props.apiPort());
    Config config = Config.fromKubeconfig(Kubeconfig.render(server.url()));
    config.setCustomHeaders(Map.of(ApiServer.INTERNAL_HEADER, "true"));
    client = new KubernetesClientBuilder().withConfig(config).build();
    installer = new ComponentInstaller(client, new ComponentObjects(seed.platform().version()));
    secrets = new ProtonSecrets(client, seed);
    controlPlane = new ControlPlanePods(client, seed.kubeSystem().perMaster());
    proton = new ProtonApply(client, seed, agents, installer, secrets, controlPlane);
    helm = new HelmReleases(client);
    if (!restored) {
      seedPlatform();
    }
    startControllers();
    kosmos.ifPresent(k -> k.start(client));
    snapshot.startAutoSave();
    store.onWrite(snapshot::changed);
    Kubeconfig.write(props.kubeconfig(), server.url(), kosmos.map(Kosmos::memberUrls).orElse(Map.of()));
    log.info("lab Kubernetes API on {} ({})", server.url(), restored ? "restored from " + props.clusterDir() : "seeded");
  }

  /** Wipes every object and seeds the platform again; every node agent runs again. */
  public synchronized void reset() {
    kosmos.ifPresent(Kosmos::pause);
    controllers.stop();
    store.wipe();
    agents.startAll();
    proton = new ProtonApply(client, seed, agents, installer, secrets, controlPlane);
    seedPlatform();
    startControllers();
    kosmos.ifPresent(Kosmos::reset);
    snapshot.changed();
  }

  /** Stops the controllers, saves the cluster and stops the API server. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    controllers.stop();
    kosmos.ifPresent(Kosmos::stop);
    snapshot.stop();
    client.close();
    server.stop();
    server = null;
  }

  public int port() {
    return server.port();
  }

  public String url() {
    return server.url();
  }

  /** The Kosmos member clusters joined to this one, in seed order (none without a Kosmos seed). */
  public List<String> memberClusters() {
    return kosmos.map(Kosmos::memberNames).orElse(List.of());
  }

  /** The kubeconfig context of a member cluster: {@code lockstep-MEMBER}. */
  public static String memberContext(String member) {
    return Kubeconfig.context(member);
  }

  /** The kubeconfig context of this, the host cluster. */
  public static String hostContext() {
    return Kubeconfig.CONTEXT;
  }

  /** The lab's own client of a member cluster's API server (tests reach it through the kubeconfig). */
  public KubernetesClient memberClient(String member) {
    return kosmos.flatMap(k -> k.member(member)).map(MemberCluster::client)
        .orElseThrow(() -> new IllegalArgumentException("no member cluster " + member));
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public void kubeletChanged(String node, boolean active) {
    if (agents.kubelet(node, active) && client != null) {
      if (client.nodes().withName(node).get() != null) {
        client.nodes().withName(node).editStatus(n -> new NodeBuilder(n).editStatus()
            .withConditions(NodeObjects.conditions(active)).endStatus().build());
      }
      controllers.nodeAgentsChanged(node);
      snapshot.changed();
    }
  }

  @Override
  public void etcdChanged(String node, boolean active) {
    if (agents.etcd(node, active)) {
      log.info("lab etcd member on {} {}; API {}", node, active ? "started" : "stopped",
          downReason().map(why -> "down: " + why).orElse("serving"));
      snapshot.changed();
    }
  }

  @Override
  public boolean etcdActive(String node) {
    return agents.etcdActive(node);
  }

  /**
   * Why the API server does not serve now: etcd without quorum, or no master running the container
   * runtime that runs the API server's static pod. Empty while it serves.
   */
  Optional<String> downReason() {
    List<LabSeed.Node> members = seed.etcdNodes();
    long up = members.stream().filter(n -> agents.etcdActive(n.name())).count();
    if (!members.isEmpty() && up * 2 <= members.size()) {
      return Optional.of("etcdserver: request timed out (" + up + " of " + members.size()
          + " etcd members running, no quorum)");
    }
    boolean apiServerRuns = seed.nodes().stream().filter(LabSeed.Node::master)
        .anyMatch(n -> agents.runtimeActive(n.name()));
    if (!apiServerRuns) {
      return Optional.of("no kube-apiserver is running: the container runtime is stopped on every master");
    }
    return Optional.empty();
  }

  @Override
  public void runtimeChanged(String node, boolean active) {
    if (agents.runtime(node, active) && client != null) {
      controllers.nodeAgentsChanged(node);
      snapshot.changed();
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when the Secret holding the configuration is missing, with the
   *     message proton-cli prints then
   */
  @Override
  public String protonConf() {
    return secrets.conf().orElseThrow(() -> new IllegalStateException(
        "Error: secrets \"" + ProtonSecrets.CLI_CONFIG + "\" not found"));
  }

  @Override
  public void applyProtonConf(String yaml, Optional<String> password, Consumer<String> progress)
      throws LabCommandException {
    proton.apply(yaml, password, progress);
  }

  @Override
  public List<String> helmDelete(String namespace, List<String> releases) throws LabCommandException {
    return helm.delete(namespace, releases);
  }

  /**
   * Prepares the store, restoring the saved cluster if there is one. Unreadable state is moved aside
   * (and the platform seeded afresh) rather than keeping the lab from starting.
   */
  private boolean restore() {
    store = new LabDispatcher();
    snapshot = new ClusterSnapshot(store, props.clusterDir(), agents);
    if (!snapshot.exists()) {
      return false;
    }
    try {
      snapshot.restore();
      return true;
    } catch (RuntimeException e) {
      log.warn("lab cluster state in {} is unreadable ({}); it is moved aside to {} and the platform seeded afresh",
          props.clusterDir(), e.toString(), snapshot.setAside());
      store = new LabDispatcher();
      snapshot = new ClusterSnapshot(store, props.clusterDir(), agents);
      return false;
    }
  }

  private void seedPlatform() {
    new PlatformSeeder(client, seed, installer, secrets, controlPlane).seed();
  }

  private void startControllers() {
    List<BaseComponent> operators = seed.components().stream().filter(c -> !c.helm())
        .map(c -> new BaseComponent(c, seed.platform().resourceNamespace())).toList();
    controllers = new ClusterControllers(client, agents, props.podStartDelay(), props.podTerminationGrace(),
        operators, store::customTypes, new MysqlProbe(client));
    controllers.start();
  }
}
