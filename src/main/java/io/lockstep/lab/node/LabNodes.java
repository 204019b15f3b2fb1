package io.lockstep.lab.node;

import io.lockstep.lab.LabCluster;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the lab platform: every node of the seed as a sandbox directory
 * ({@code nodesDir/NAME/root}) and an SSH server on the node's own loopback ip, all on one port.
 *
 * <p>Files it writes outside the sandboxes: each node's host key ({@code NAME/ssh_host_ed25519_key},
 * created once) and unit states ({@code NAME/units.properties}); the console's client key and
 * known_hosts (paths from {@link LabProperties}). Plain Java: the lab's configuration wires it.
 */
public final class LabNodes {

  private static final Logger log = LoggerFactory.getLogger(LabNodes.class);
  private static final int PORT_ATTEMPTS = 20;

  private final LabSeed seed;
  private final LabProperties props;
  private final LabCluster cluster;
  private final Clock clock = Clock.systemUTC();
  private final NodeSeeder seeder;
  private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, Units> units = new LinkedHashMap<>();
  private final List<NodeSshServer> servers = new ArrayList<>();
  private ExecutorService sessions;
  private volatile int port;
  private volatile java.time.Duration etcdStartDelay;

  public LabNodes(LabSeed seed, LabProperties props, LabCluster cluster) {
    this.seed = seed;
    this.props = props;
    this.cluster = cluster;
    this.seeder = new NodeSeeder(seed, clock);
    this.port = props.sshPort();
    this.etcdStartDelay = props.etcdStartDelay();
    for (LabSeed.Node node : seed.nodes()) {
      sandboxes.put(node.name(), new Sandbox(nodeDir(node).resolve("root")));
      units.put(node.name(), new Units(seed.unitsOf(node), nodeDir(node).resolve("units.properties"), clock));
    }
  }

  /** How long an etcd member started with {@code systemctl} takes to be healthy (see {@link Etcdctl}). */
  public java.time.Duration etcdStartDelay() {
    return etcdStartDelay;
  }

  /** Sets how long a started etcd member takes to be healthy, from the next {@code etcdctl} on (for tests). */
  public void etcdStartDelay(java.time.Duration delay) {
    if (delay == null || delay.isNegative()) {
      throw new IllegalArgumentException("the etcd start delay must be zero or longer");
    }
    this.etcdStartDelay = delay;
  }

  /**
   * Rebuilds every node's files from the seed (host keys stay) and sets every unit active. Data
   * copied to a node since is gone; the new nodes have no data directories.
   */
  public synchronized void seed() {
    seed.nodes().forEach(this::seedNode);
  }

  /**
   * Starts one SSH server per node. A node without a sandbox is seeded first; the others keep their
   * files and unit states. Writes the client key (once) and known_hosts. Does nothing if started.
   */
  public synchronized void start() {
    if (!servers.isEmpty()) {
      return;
    }
    for (LabSeed.Node node : seed.nodes()) {
      if (sandboxes.get(node.name()).exists()) {
        units.get(node.name()).load();
      } else {
        seedNode(node);
      }
      reportAgents(node);
    }
    KeyPair client = LabKeys.loadOrCreate(props.clientKey(), "lockstep-console");
    List<KeyPair> hostKeys = seed.nodes().stream()
        .map(n -> LabKeys.loadOrCreate(nodeDir(n).resolve("ssh_host_ed25519_key"), "root@" + n.name()))
        .toList();
    AtomicInteger threads = new AtomicInteger();
    sessions = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "lab-node-session-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    NodeCommands.Platform platform = new NodeCommands.Platform(seed, props, cluster, this::sshPort,
        new HostPaths(props.nodesDir()), clock, node -> Optional.ofNullable(units.get(node))
            .flatMap(u -> u.startedAt("etcd")), this::etcdStartDelay);
    try {
      bind(platform, hostKeys, client);
    } catch (RuntimeException e) {
      sessions.shutdownNow();
      sessions = null;
      throw e;
    }
    LabKeys.writeKnownHosts(props.knownHosts(), seed.nodes(), hostKeys, port);
    log.info("lab: {} nodes listening for SSH on port {}", seed.nodes().size(), port);
  }

  /**
   * Stops the SSH servers (running commands are interrupted). Writes nothing: every unit state and
   * file a command changed is on disk before the command answers, so a stop leaves what a killed
   * process would.
   */
  public synchronized void stop() {
    servers.forEach(NodeSshServer::stop);
    servers.clear();
    if (sessions != null) {
      sessions.shutdownNow();
      sessions = null;
    }
  }

  /** The host directory standing for the node's "/". */
  public Path sandbox(String node) {
    Sandbox sandbox = sandboxes.get(node);
    if (sandbox == null) {
      throw new IllegalArgumentException("lab: no node named " + node);
    }
    return sandbox.root();
  }

  /** The port every node's SSH server listens on (the one chosen when 0 was configured). */
  public int sshPort() {
    return port;
  }

  private void seedNode(LabSeed.Node node) {
    Sandbox sandbox = sandboxes.get(node.name());
    try {
      seeder.seed(node, sandbox.root());
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot seed node " + node.name(), e);
    }
    units.get(node.name()).resetAllActive();
    sandbox.changed();
  }

  /** Tells the cluster which of the node's agents run, as its units say ({@link LabCluster#nodeAgentsAre}). */
  private void reportAgents(LabSeed.Node node) {
    Units u = units.get(node.name());
    boolean runtime = u.active("docker") || u.active("containerd");
    Optional<Boolean> etcd = u.state("etcd").map(Units.State::active);
    cluster.nodeAgentsAre(node.name(), u.active("kubelet"), runtime, etcd);
  }

  /** Starts every server on one port; with port 0, retries with another port if one ip has it taken. */
  private void bind(NodeCommands.Platform platform, List<KeyPair> hostKeys, KeyPair client) {
    int attempts = props.sshPort() == 0 ? PORT_ATTEMPTS : 1;
    for (int attempt = 1; ; attempt++) {
      port = props.sshPort() == 0 ? freePort() : props.sshPort();
      try {
        for (int i = 0; i < seed.nodes().size(); i++) {
          LabSeed.Node node = seed.nodes().get(i);
          Sandbox sandbox = sandboxes.get(node.name());
          NodeShell shell = new NodeShell(sandbox, NodeCommands.forNode(node, sandbox, units.get(node.name()), platform));
          NodeSshServer server = new NodeSshServer(node, port, hostKeys.get(i), client.getPublic(),
              seed.platform().rootPassword(), shell, sessions);
          server.start();
          servers.add(server);
        }
        return;
      } catch (IOException e) {
        servers.forEach(NodeSshServer::stop);
        servers.clear();
        if (!(e instanceof BindException) || attempt >= attempts) {
          throw new UncheckedIOException("lab: cannot listen for SSH on port " + port, e);
        }
      }
    }
  }

  /** A port free on every node ip at the time of asking. */
  private int freePort() {
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      int candidate;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(seed.nodes().get(0).ip()))) {
        candidate = probe.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("lab: cannot bind " + seed.nodes().get(0).ip(), e);
      }
      if (seed.nodes().stream().allMatch(n -> free(n.ip(), candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("lab: found no port free on every node ip");
  }

  private static boolean free(String ip, int candidate) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(ip), candidate), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Path nodeDir(LabSeed.Node node) {
    return props.nodesDir().resolve(node.name());
  }
}
