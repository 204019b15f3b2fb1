package io.lockstep.lab.vmcluster;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.node.LabHosts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's VM management cluster (P5's platform): hypervisors, islet workers and a bastion, each
 * an SSH endpoint, over one persisted state ({@code stateDir/vmcluster/state.json}; host sandboxes
 * and keys under {@code stateDir/vmcluster/hosts/NAME}). Started, stopped and reset with the lab.
 * Every change (power, units, VMs, volumes, mounts, processes, injected faults) is in
 * {@code state.json} before the command that made it answers ({@link VmPlatform}), so a lab killed
 * at any instant comes back as it was; a stop writes nothing more.
 *
 * <p>Besides its lifecycle it offers tests a small API to read the state and inject the faults the
 * source document warns about: a VM stuck in fleet, a slow peer. Thread-safe.
 */
public final class VmClusterLab {

  private static final Logger log = LoggerFactory.getLogger(VmClusterLab.class);

  private final VmClusterSeed seed;
  private final Path dir;
  private final Clock clock = Clock.systemUTC();
  private final VmPlatform platform;
  private final LabHosts hosts;
  private ScheduledExecutorService boots;

  public VmClusterLab(VmClusterSeed seed, LabProperties props) {
    this.seed = seed;
    this.dir = props.stateDir().resolve("vmcluster");
    this.platform = new VmPlatform(seed, dir.resolve("state.json"), clock);
    List<LabHosts.Host> list = seed.hosts().stream()
        .map(h -> new LabHosts.Host(h.name(), h.ip(), HostCommands.of(h, this)))
        .toList();
    this.hosts = new LabHosts(dir.resolve("hosts"), list, props, seed.rootPassword(), clock);
  }

  /**
   * Loads the persisted state (or seeds it) and starts every powered-on host's SSH server on
   * {@code port} (the lab nodes' port; 0 picks a free one). Hosts booting when the lab stopped
   * finish booting.
   */
  public synchronized void start(int port) {
    if (boots != null) {
      return;
    }
    if (!Files.exists(dir.resolve("state.json"))) {
      seedFiles(); // before the state: a first start killed in between seeds both again
    }
    platform.load();
    boots = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lab-vmcluster-boot");
      t.setDaemon(true);
      return t;
    });
    hosts.start(port, host -> platform.read(p -> p.on(host)));
    platform.read(VmPlatform::booting).forEach(this::scheduleBoot);
    platform.read(VmPlatform::stopping).forEach(this::scheduleHalt);
    log.info("lab: vm-cluster of {} hosts listening for SSH on port {}", seed.hosts().size(), hosts.port());
  }

  /** Stops every host's SSH server; the state is already persisted. */
  public synchronized void stop() {
    if (boots != null) {
      boots.shutdownNow();
      boots = null;
    }
    hosts.stop();
  }

  /** Puts the cluster back to its seed: every host up, VMs as seeded, volumes started and mounted. */
  public synchronized void reset() {
    platform.reseed();
    seedFiles();
    if (boots != null) {
      seed.hosts().forEach(h -> hosts.up(h.name()));
    }
  }

  /** The port every host's SSH server listens on. */
  public int sshPort() {
    return hosts.port();
  }

  /** Every host's loopback ip, in seed order. */
  public List<String> ips() {
    return seed.hosts().stream().map(VmClusterSeed.Host::ip).toList();
  }

  /** A host's loopback ip. */
  public String ip(String host) {
    return seed.hostNamed(host).ip();
  }

  // ---- reading the state (tests) -----------------------------------------------------------

  /** Every VM and whether it runs ("running") or not ("dead"), as its hypervisor knows it. */
  public Map<String, String> vmStates() {
    Map<String, String> result = new LinkedHashMap<>();
    platform.read(VmPlatform::vms).forEach(vm -> result.put(vm.name(), vm.running() ? "running" : "dead"));
    return result;
  }

  public boolean vmRunning(String vm) {
    return "running".equals(vmStates().get(vm));
  }

  /**
   * A host's power: "on", "off", "booting", or "stopping" (its OS shuts down: SSH answers and its
   * BMC says on until it halts).
   */
  public String power(String host) {
    return platform.read(p -> p.power(host));
  }

  public boolean unitActive(String host, String unit) {
    return platform.read(p -> p.unitActive(host, unit));
  }

  public boolean volumeStarted(String volume) {
    return platform.read(p -> p.started(volume));
  }

  /** Pending heal entries of a volume, all bricks together (0: clean). */
  public int pendingHeal(String volume) {
    return platform.read(p -> p.seedVolume(volume).bricks().stream().mapToInt(b -> p.pending(volume, b)).sum());
  }

  /** The mount points of the GlusterFS volumes mounted on a host. */
  public Set<String> mounts(String host) {
    return platform.read(p -> p.mounts(host).stream().map(v -> p.seedVolume(v).mountPoint())
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
  }

  /** The GlusterFS processes of a host: glusterd, glusterfsd:VOL, glustershd, glusterfs:VOL. */
  public Set<String> processes(String host) {
    return platform.read(p -> p.procs(host));
  }

  /**
   * Every hard power cut so far (since the last reset): a chassis power off, reset or cycle of a
   * host whose OS still ran, as {@code HOST at INSTANT (OS was on|stopping|booting)}.
   */
  public List<String> hardPowerCuts() {
    return platform.read(VmPlatform::hardCuts);
  }

  // ---- faults (tests) ----------------------------------------------------------------------

  /** Makes a host's shutdowns hang (a stop job that never ends): after poweroff it keeps answering, its BMC on. */
  public void hangShutdown(String host) {
    platform.change(p -> {
      p.hangShutdown(host);
      return null;
    });
  }

  /** Makes a VM stuck: it stays as it is until fleet on its hypervisor is stopped. */
  public void makeStuck(String vm) {
    platform.change(p -> {
      p.stick(vm);
      return null;
    });
  }

  /** Delays every answer of a host on the network (fping sees it); zero for none. */
  public void slowPeer(String host, Duration latency) {
    platform.change(p -> {
      p.slow(host, latency.toMillis());
      return null;
    });
  }

  // ---- for the commands --------------------------------------------------------------------

  VmPlatform platform() {
    return platform;
  }

  LabHosts hosts() {
    return hosts;
  }

  /**
   * The BMC cuts a host's power: off at once (a hard power cut when its OS still ran, recorded),
   * its SSH server a moment later. False if it was off already.
   */
  boolean cut(String host) {
    boolean cut = platform.change(p -> p.cut(host));
    if (cut) {
      hosts.down(host);
    }
    return cut;
  }

  /**
   * The host's OS shuts down (poweroff, an ACPI soft power off): it keeps answering over SSH and its
   * BMC says on for the seed's shutdown time, then it halts and powers off. False if it was not up.
   */
  boolean shutdown(String host) {
    Instant at = clock.instant().plus(seed.timing().shutdownDelay());
    boolean started = platform.change(p -> p.shutdown(host, at));
    if (started) {
      scheduleHalt(host, at);
    }
    return started;
  }

  private synchronized void scheduleHalt(String host, Instant at) {
    if (boots == null) {
      return;
    }
    long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
    boots.schedule(() -> {
      if (platform.change(p -> p.halt(host))) {
        hosts.down(host);
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** Powers a host on: it answers SSH after the boot delay. False if it was not off. */
  boolean powerOn(String host) {
    Instant at = clock.instant().plus(seed.timing().bootDelay());
    boolean off = platform.change(p -> p.powerOn(host, at));
    if (off) {
      scheduleBoot(host, at);
    }
    return off;
  }

  private synchronized void scheduleBoot(String host, Instant at) {
    if (boots == null) {
      return;
    }
    long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
    boots.schedule(() -> {
      if (platform.change(p -> p.boot(host))) {
        hosts.up(host);
      }
    }, delay, TimeUnit.MILLISECONDS);
  }

  /** The files a real host of each role has: clush's configuration, the bastion's IPMI password. */
  private void seedFiles() {
    try {
      for (VmClusterSeed.Host h : seed.hosts()) {
        Path root = hosts.root(h.name());
        Files.createDirectories(root.resolve("root"));
        Files.createDirectories(root.resolve("tmp"));
        Files.createDirectories(root.resolve("etc/clustershell"));
        Files.writeString(root.resolve("etc/hostname"), h.name() + "\n");
        Files.writeString(root.resolve("etc/clustershell/clush.conf"),
            "[Main]\nfanout: 64\nconnect_timeout: 15\ncommand_timeout: 0\ncolor: auto\nmaxrc: yes\n");
        if (h.hypervisor()) {
          for (VmClusterSeed.Volume v : seed.volumes()) {
            Files.createDirectories(hosts.resolve(h.name(), v.mountPoint()));
          }
        }
        if (h.bastion()) {
          Path password = hosts.resolve(h.name(), seed.bmc().passwordFile());
          Files.createDirectories(password.getParent());
          Files.deleteIfExists(password);
          Files.createFile(password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
          Files.writeString(password, seed.bmc().password() + "\n");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot seed the vm-cluster hosts", e);
    }
  }
}
