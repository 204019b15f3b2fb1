package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Node;
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
 * <p>Its state is as durable as its answers: every change to an object is journaled under {@link
 * LabProperties#clusterDir()} before the request that made it is answered ({@link ClusterStorage}),
 * and so are the node agents' states ({@link NodeAgents}) and proton-cli's memory of a failed node
 * removal before the command that changed them answers. A lab killed at any instant — SIGKILL
 * included — comes back from {@link #start()} with everything it answered; a stop only compacts.
 * {@link #start()} seeds the platform when there is no state. The kubeconfig for clients is written
 * to {@link LabProperties#kubeconfig()}.
 */
public class LabKube implements LabCluster {

  /** Beside the cluster's objects: which node agents run ({@link NodeAgents}). */
  static final String NODE_AGENTS = "node-agents.json";
  /** Beside the cluster's objects: present once removing several nodes has failed ({@link ProtonApply}). */
  static final String FAILED_REMOVAL = "proton-cli-removal-failed-once";
  private static final Logger log = LoggerFactory.getLogger(LabKube.class);

  private final LabSeed seed;
  private final LabProperties props;
  private final NodeAgents agents;
  // Set by start() and reset(), read by the lab nodes' command threads: hence volatile.
  private volatile LabDispatcher store;
  private volatile ApiServer server;
  private volatile KubernetesClient client;
  private volatile ClusterStorage storage;
  private volatile ClusterControllers controllers;
  private volatile ComponentInstaller installer;
  private volatile ProtonSecrets secrets;
  private volatile ControlPlanePods controlPlane;
  private volatile ProtonApply proton;
  private volatile HelmReleases helm;
  private final Optional<Kosmos> kosmos;
  /** The port the API server took at its first start; 0 before. */
  private int port;

  public LabKube(LabSeed seed, LabProperties props) {
    this.seed = seed;
    this.props = props;
    this.kosmos = Kosmos.from(props);
    this.agents = new NodeAgents(props.clusterDir().resolve(NODE_AGENTS));
  }

  /** Starts the API server, restores or seeds the platform, starts the controllers, writes the kubeconfig. */
  public synchronized void start() {
    boolean restored = restore();
    if (restored) {
      agents.load();
    } else {
      agents.startAll();
    }
    server = new ApiServer(store, this::downReason);
    // A restarted API server keeps its address, as a real one does: clients built before (the
    // console's, which a stopped and started context keeps) still reach it.
    server.start(port == 0 ? props.apiPort() : port);
    port = server.port();
    Config config = Config.fromKubeconfig(Kubeconfig.render(server.url()));
    config.setCustomHeaders(Map.of(ApiServer.INTERNAL_HEADER, "true"));
    client = new KubernetesClientBuilder().withConfig(config).build();
    installer = new ComponentInstaller(client, new ComponentObjects(seed.platform().version()));
    secrets = new ProtonSecrets(client, seed);
    controlPlane = new ControlPlanePods(client, seed.kubeSystem().perMaster());
    proton = new ProtonApply(client, seed, agents, installer, secrets, controlPlane,
        props.clusterDir().resolve(FAILED_REMOVAL));
    helm = new HelmReleases(client);
    if (!restored) {
      seedPlatform();
    }
    startControllers();
    kosmos.ifPresent(k -> k.start(client));
    if (!restored) {
      storage.compact(); // the first snapshot: from now on there is a state to restore
    }
    Kubeconfig.write(props.kubeconfig(), server.url(), kosmos.map(Kosmos::memberUrls).orElse(Map.of()));
    log.info("lab Kubernetes API on {} ({})", server.url(), restored ? "restored from " + props.clusterDir() : "seeded");
  }

  /** Wipes every object and seeds the platform again; every node agent runs again. */
  public synchronized void reset() {
    kosmos.ifPresent(Kosmos::pause);
    controllers.stop();
    store.wipe();
    agents.startAll();
    proton.reset();
    seedPlatform();
    startControllers();
    kosmos.ifPresent(Kosmos::reset);
    storage.compactSoon();
  }

  /** Stops the controllers and the API server, then compacts the cluster's state and closes it. */
  public synchronized void stop() {
    stop(true);
  }

  /**
   * Stops like a killed process: controllers and API server go, and nothing more is written — no
   * compaction — so the files are what SIGKILL would leave (every change is on disk already). For
   * tests that restart a lab from them in the same JVM.
   */
  synchronized void halt() {
    stop(false);
  }

  private void stop(boolean compact) {
    if (server == null) {
      return;
    }
    controllers.stop();
    kosmos.ifPresent(k -> k.stop(compact));
    client.close();
    server.stop();
    server = null;
    storage.close(compact);
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

  /**
   * {@inheritDoc} The Node's Ready condition follows even when the agent's state was already
   * recorded: a process killed between recording it and posting the condition left them apart.
   */
  @Override
  public void kubeletChanged(String node, boolean active) {
    boolean changed = agents.kubelet(node, active);
    if (client == null) {
      return;
    }
    Node current = client.nodes().withName(node).get();
    if (current != null && NodeObjects.ready(current) != active) {
      client.nodes().withName(node).editStatus(n -> new NodeBuilder(n).editStatus()
          .withConditions(NodeObjects.conditions(active)).endStatus().build());
    }
    if (changed) {
      controllers.nodeAgentsChanged(node);
    }
  }

  @Override
  public void etcdChanged(String node, boolean active) {
    if (agents.etcd(node, active)) {
      log.info("lab etcd member on {} {}; API {}", node, active ? "started" : "stopped",
          downReason().map(why -> "down: " + why).orElse("serving"));
    }
  }

  @Override
  public void nodeAgentsAre(String node, boolean kubelet, boolean runtime, Optional<Boolean> etcd) {
    kubeletChanged(node, kubelet);
    runtimeChanged(node, runtime);
    etcd.ifPresent(active -> etcdChanged(node, active));
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
    storage = new ClusterStorage(store, props.clusterDir());
    try {
      return storage.open();
    } catch (RuntimeException e) {
      log.warn("lab cluster state in {} is unreadable ({}); it is moved aside to {} and the platform seeded afresh",
          props.clusterDir(), e.toString(), storage.setAside());
      store = new LabDispatcher();
      storage = new ClusterStorage(store, props.clusterDir());
      storage.open();
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
