package io.lockstep.lab.node;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Hosts of the lab that belong to another platform kind than the Proton nodes (a VM management
 * cluster, say), reachable the same way: each a sandbox ({@code DIR/NAME/root}) with the basic
 * commands of every Linux machine plus those its platform gives it, run by the lab shell, and an
 * SSH server on the host's own loopback ip on the lab's SSH port, for root with the console's key
 * or the platform's root password. Host keys ({@code DIR/NAME/ssh_host_ed25519_key}) are created
 * once; {@link #start} adds them to the known_hosts the lab writes for the console.
 *
 * <p>A host can be {@link #down} (its SSH server stops: connections are refused, as with a
 * machine powered off) and {@link #up} again. Thread-safe.
 */
public final class LabHosts {

  /** The delay before a host taken down stops listening: its own session can report its exit first. */
  private static final long DOWN_GRACE_MILLIS = 100;

  /** One host: its name, loopback ip and the commands (location to command) its platform adds. */
  public record Host(String name, String ip, Map<String, NodeCommand> commands) {
    public Host {
      commands = Map.copyOf(commands);
    }
  }

  private final Path dir;
  private final LabProperties props;
  private final String rootPassword;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Map<String, Sandbox> sandboxes = new LinkedHashMap<>();
  private final Map<String, NodeShell> shells = new LinkedHashMap<>();
  private final Map<String, NodeSshServer> servers = new LinkedHashMap<>();
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  private final Map<String, NodeSshServer> stopping = new ConcurrentHashMap<>();
  private final Map<String, KeyPair> hostKeys = new LinkedHashMap<>();
  private KeyPair client;
  private ExecutorService sessions;
  private ScheduledExecutorService power;
  private volatile int port;

  public LabHosts(Path dir, List<Host> hosts, LabProperties props, String rootPassword, Clock clock) {
    this.dir = dir;
    this.props = props;
    this.rootPassword = rootPassword;
    for (Host host : hosts) {
      Sandbox sandbox = new Sandbox(dir.resolve(host.name()).resolve("root"));
      this.hosts.put(host.name(), host);
      sandboxes.put(host.name(), sandbox);
      shells.put(host.name(), new NodeShell(sandbox, NodeCommands.forHost(host.name(), sandbox, host.commands(), clock)));
    }
  }

  /** The host directory standing for the host's "/". */
  public Path root(String host) {
    return sandbox(host).root();
  }

  /** A host path inside the host's sandbox; a path leaving it fails as the lab shell reports it. */
  public Path resolve(String host, String path) {
    return sandbox(host).resolve(path);
  }

  /**
   * Starts the SSH server of every host {@code up} accepts, on {@code port} (0: one free on every
   * host ip), and adds the hosts to the lab's known_hosts. Does nothing if started.
   */
  public synchronized void start(int port, Predicate<String> up) {
    if (sessions != null) {
      return;
    }
    this.port = port == 0 ? freePort() : port;
    client = LabKeys.loadOrCreate(props.clientKey(), "lockstep-console");
    hosts.keySet().forEach(h -> hostKeys.put(h, LabKeys.loadOrCreate(dir.resolve(h).resolve("ssh_host_ed25519_key"), "root@" + h)));
    AtomicInteger threads = new AtomicInteger();
    sessions = Executors.newCachedThreadPool(r -> daemon(r, "lab-host-session-" + threads.incrementAndGet()));
    power = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lab-host-power"));
    down.clear();
    try {
      for (String host : hosts.keySet()) {
        if (up.test(host)) {
          listen(host);
        } else {
          down.add(host);
        }
      }
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
    appendKnownHosts();
  }

  /** Stops every server (running commands are interrupted). */
  public synchronized void stop() {
    servers.values().forEach(NodeSshServer::stop);
    servers.clear();
    stopping.values().forEach(NodeSshServer::stop);
    stopping.clear();
    if (sessions != null) {
      sessions.shutdownNow();
      power.shutdownNow();
      sessions = null;
      power = null;
    }
  }

  /**
   * Takes a host down: the lab shell refuses it at once, its SSH server stops a moment later (the
   * caller may be one of the host's own sessions, whose command ends abruptly then).
   */
  public synchronized void down(String host) {
    sandbox(host);
    if (!down.add(host) || power == null) {
      return;
    }
    NodeSshServer server = servers.remove(host);
    if (server != null) {
      stopping.put(host, server);
      power.schedule(() -> {
        if (stopping.remove(host, server)) {
          server.stop();
        }
      }, DOWN_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** Brings a host back: its SSH server listens again. */
  public synchronized void up(String host) {
    sandbox(host);
    if (sessions == null || !down.remove(host)) {
      return;
    }
    NodeSshServer old = stopping.remove(host);
    if (old != null) {
      old.stop();
    }
    listen(host);
  }

  /** Whether the host answers (started and not down). */
  public boolean answers(String host) {
    return sessions != null && hosts.containsKey(host) && !down.contains(host);
  }

  /**
   * Runs a command line on a host as its SSH server would (how a host's tools reach another host
   * without a real ssh client); exit status 255 when the host does not answer.
   */
  public int run(String host, String line, InputStream in, OutputStream out, OutputStream err)
      throws IOException, InterruptedException {
    if (!answers(host)) {
      err.write(("ssh: connect to host " + host + " port 22: Connection refused\n").getBytes(StandardCharsets.UTF_8));
      return 255;
    }
    return shells.get(host).run(line, in, out, err);
  }

  /** The port every host's SSH server listens on. */
  public int port() {
    return port;
  }

  private void listen(String host) {
    Host h = hosts.get(host);
    LabSeed.Node node = new LabSeed.Node(h.name(), h.ip(), List.of(), 0, null, false);
    NodeSshServer server = new NodeSshServer(node, port, hostKeys.get(host), client.getPublic(), rootPassword,
        shells.get(host), sessions);
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot listen for SSH on " + h.ip() + ":" + port, e);
    }
    servers.put(host, server);
  }

  /** Replaces this set's lines in the lab's known_hosts (the nodes' lines stay). */
  private void appendKnownHosts() {
    Path file = props.knownHosts();
    Set<String> mine = hosts.values().stream().map(h -> entry(h.name())).collect(Collectors.toSet());
    List<String> lines = new ArrayList<>();
    try {
      if (Files.exists(file)) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!line.isBlank() && !mine.contains(line.split(",", 2)[0])) {
            lines.add(line);
          }
        }
      }
      for (Host h : hosts.values()) {
        lines.add(entry(h.name()) + "," + entry(h.ip()) + " " + LabKeys.publicLine(hostKeys.get(h.name())));
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".hosts.tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot write " + file, e);
    }
  }

  private String entry(String host) {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  private int freePort() {
    String first = hosts.values().iterator().next().ip();
    for (int attempt = 0; attempt < 20; attempt++) {
      int candidate;
      try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(first))) {
        candidate = probe.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("lab: cannot bind " + first, e);
      }
      if (hosts.values().stream().allMatch(h -> free(h.ip(), candidate))) {
        return candidate;
      }
    }
    throw new IllegalStateException("lab: found no port free on every host ip");
  }

  private static boolean free(String ip, int candidate) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(ip), candidate), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private Sandbox sandbox(String host) {
    Sandbox sandbox = sandboxes.get(host);
    if (sandbox == null) {
      throw new IllegalArgumentException("lab: no host named " + host);
    }
    return sandbox;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
