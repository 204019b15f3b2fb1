package io.lockstep.lab.vmcluster;

import io.lockstep.lab.vmcluster.ClusterState.HostState;
import io.lockstep.lab.vmcluster.ClusterState.VmState;
import io.lockstep.lab.vmcluster.ClusterState.VolumeState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The VM management cluster's state and the rules that change it: power, units, fleet's VMs,
 * GlusterFS volumes, mounts and processes. Every method takes this object's lock, first lets
 * time pass ({@link #settle}: VMs reach fleet's target after a delay when their hypervisor lets
 * them, a requested heal completes) and persists every change to {@code state.json} before it
 * returns (written to a temporary file and moved into place, which hands it to the operating
 * system: a lab killed at any instant, SIGKILL included, keeps the cluster as it was; no
 * {@code fsync}, which only a power loss would need).
 */
final class VmPlatform {

  /** A VM as fleet shows it. {@code known}: its hypervisor's fleet answers (else its state is "-"). */
  record Vm(String name, String host, boolean launched, boolean running, boolean known) {
    String unit() {
      return "pcocc-vm-" + name + ".service";
    }
  }

  /** A client connection of a brick: the client's host and the kind, "mount" or "self-heal". */
  record Client(String host, String kind) {}

  private static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final VmClusterSeed seed;
  private final Path file;
  private final Clock clock;
  private ClusterState state = new ClusterState();

  VmPlatform(VmClusterSeed seed, Path file, Clock clock) {
    this.seed = seed;
    this.file = file;
    this.clock = clock;
  }

  VmClusterSeed seed() {
    return seed;
  }

  /** Rebuilds the state from the seed: every host up, units active, volumes started and mounted. */
  synchronized void reseed() {
    ClusterState s = new ClusterState();
    Instant now = clock.instant();
    for (VmClusterSeed.Host h : seed.hosts()) {
      HostState host = new HostState();
      seed.unitsOf(h.name()).forEach(u -> host.active.put(u, now));
      s.hosts.put(h.name(), host);
    }
    for (VmClusterSeed.Volume v : seed.volumes()) {
      VolumeState volume = new VolumeState();
      volume.started = true;
      s.volumes.put(v.name(), volume);
    }
    for (VmClusterSeed.Vm v : seed.vms()) {
      VmState vm = new VmState();
      vm.launched = v.running();
      vm.running = v.running();
      s.vms.put(v.name(), vm);
    }
    state = s;
    for (VmClusterSeed.Host h : seed.hosts()) {
      if (hasUnit(h.name(), "glusterd")) {
        glusterdStarted(h.name());
      }
      if (h.hypervisor()) {
        for (VmClusterSeed.Volume v : seed.volumes()) {
          host(h.name()).mounts.add(v.name());
          host(h.name()).procs.add("glusterfs:" + v.name());
        }
      }
    }
    save();
  }

  /** Loads the persisted state; reseeds when there is none. */
  synchronized void load() {
    if (!Files.exists(file)) {
      reseed();
      return;
    }
    try {
      state = JSON.readValue(file.toFile(), ClusterState.class);
    } catch (RuntimeException e) {
      throw new IllegalStateException("lab: cannot read the vm-cluster state " + file, e);
    }
    for (VmClusterSeed.Host h : seed.hosts()) {
      state.hosts.computeIfAbsent(h.name(), n -> new HostState());
    }
  }

  /** Runs a query after letting time pass. */
  synchronized <T> T read(Function<VmPlatform, T> query) {
    if (settle()) {
      save();
    }
    return query.apply(this);
  }

  /** Runs a change after letting time pass, lets time pass again (a zero delay applies at once) and persists. */
  synchronized <T> T change(Function<VmPlatform, T> change) {
    settle();
    T result = change.apply(this);
    settle();
    save();
    return result;
  }

  // ---- power -------------------------------------------------------------------------------

  String power(String host) {
    return host(host).power;
  }

  /** Whether the host's OS runs: up, or shutting down (its services still answer until it halts). */
  boolean on(String host) {
    String power = host(host).power;
    return ClusterState.ON.equals(power) || ClusterState.STOPPING.equals(power);
  }

  /**
   * The BMC cuts a host's power (chassis power off, reset, cycle): it is off at once. A host whose
   * OS was still running (up, shutting down or booting) is recorded as a hard power cut. False if
   * it was off already (the BMC has nothing to do).
   */
  boolean cut(String host) {
    HostState h = host(host);
    if (ClusterState.OFF.equals(h.power)) {
      return false;
    }
    state.hardCuts.add(host + " at " + clock.instant() + " (OS was " + h.power + ")");
    off(h, host);
    return true;
  }

  /**
   * The OS starts shutting down (poweroff, an ACPI soft power off): it halts and powers the host off
   * at {@code at}; until then it runs and answers. False if it was not up (off, booting, or
   * already shutting down).
   */
  boolean shutdown(String host, Instant at) {
    HostState h = host(host);
    if (!ClusterState.ON.equals(h.power)) {
      return false;
    }
    h.power = ClusterState.STOPPING;
    h.haltAt = at;
    return true;
  }

  /** A shutting-down OS has halted and powered its host off; false if it was not shutting down or hangs. */
  boolean halt(String host) {
    HostState h = host(host);
    if (!ClusterState.STOPPING.equals(h.power) || h.shutdownHangs) {
      return false;
    }
    off(h, host);
    return true;
  }

  /** A fault: the host's next shutdowns never end (a stop job that hangs); SSH keeps answering. */
  void hangShutdown(String host) {
    host(host).shutdownHangs = true;
  }

  /** Hosts shutting down and when each halts. */
  Map<String, Instant> stopping() {
    Map<String, Instant> result = new java.util.LinkedHashMap<>();
    state.hosts.forEach((name, h) -> {
      if (ClusterState.STOPPING.equals(h.power)) {
        result.put(name, h.haltAt == null ? clock.instant() : h.haltAt);
      }
    });
    return result;
  }

  List<String> hardCuts() {
    return List.copyOf(state.hardCuts);
  }

  /** A host is off: its units, processes and mounts are gone, its VMs no longer run. */
  private void off(HostState h, String host) {
    h.power = ClusterState.OFF;
    h.bootAt = null;
    h.haltAt = null;
    h.active.clear();
    h.mounts.clear();
    h.procs.clear();
    vmsOn(host).forEach(vm -> {
      vm.running = false;
      vm.changeAt = null;
    });
  }

  /** Powers a host on: it boots until {@code at}; false if it was not off. */
  boolean powerOn(String host, Instant at) {
    HostState h = host(host);
    if (!ClusterState.OFF.equals(h.power)) {
      return false;
    }
    h.power = ClusterState.BOOTING;
    h.bootAt = at;
    return true;
  }

  /** A booting host is up: enabled units start (glusterd starts the bricks of started volumes). */
  boolean boot(String host) {
    HostState h = host(host);
    if (!ClusterState.BOOTING.equals(h.power)) {
      return false;
    }
    h.power = ClusterState.ON;
    h.bootAt = null;
    Instant now = clock.instant();
    seed.unitsOf(host).stream().filter(seed::enabled).forEach(u -> h.active.put(u, now));
    if (unitActive(host, "glusterd")) {
      glusterdStarted(host);
    }
    return true;
  }

  /** Hosts booting and when each is up. */
  Map<String, Instant> booting() {
    Map<String, Instant> result = new java.util.LinkedHashMap<>();
    state.hosts.forEach((name, h) -> {
      if (ClusterState.BOOTING.equals(h.power)) {
        result.put(name, h.bootAt == null ? clock.instant() : h.bootAt);
      }
    });
    return result;
  }

  // ---- units -------------------------------------------------------------------------------

  boolean hasUnit(String host, String unit) {
    return seed.unitsOf(host).contains(unit);
  }

  boolean unitActive(String host, String unit) {
    return on(host) && host(host).active.containsKey(unit);
  }

  Optional<Instant> activeSince(String host, String unit) {
    return Optional.ofNullable(host(host).active.get(unit));
  }

  void startUnit(String host, String unit) {
    HostState h = host(host);
    if (h.active.containsKey(unit)) {
      return;
    }
    h.active.put(unit, clock.instant());
    if (unit.equals("glusterd")) {
      glusterdStarted(host);
    }
  }

  /** Stops a unit. glusterd alone stops: its bricks and self-heal daemon keep running, as on a real host. */
  void stopUnit(String host, String unit) {
    HostState h = host(host);
    if (h.active.remove(unit) == null) {
      return;
    }
    if (unit.equals("glusterd")) {
      h.procs.remove("glusterd");
    }
    if (unit.equals("fleet")) {
      vmsOn(host).forEach(vm -> vm.stuck = false);
    }
  }

  // ---- fleet -------------------------------------------------------------------------------

  boolean fleetUp(String host) {
    return unitActive(host, "fleet");
  }

  List<Vm> vms() {
    List<Vm> result = new ArrayList<>();
    for (VmClusterSeed.Vm v : seed.vms()) {
      VmState s = state.vms.get(v.name());
      result.add(new Vm(v.name(), v.host(), s.launched, s.running, fleetUp(v.host())));
    }
    return result;
  }

  Optional<Vm> vm(String name) {
    return vms().stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /** Sets fleet's target for a VM: launched (start) or loaded (stop). */
  void target(String vm, boolean launched) {
    state.vms.get(vm).launched = launched;
  }

  void stick(String vm) {
    vmState(vm).stuck = true;
  }

  // ---- GlusterFS ---------------------------------------------------------------------------

  boolean glusterdUp(String host) {
    return unitActive(host, "glusterd");
  }

  boolean started(String volume) {
    return volume(volume).started;
  }

  boolean brickOnline(String volume, String host) {
    return started(volume) && on(host) && host(host).procs.contains("glusterfsd:" + volume);
  }

  /** Starts a volume: bricks start where glusterd runs; every brick has entries to heal. */
  void startVolume(String volume) {
    VolumeState v = volume(volume);
    v.started = true;
    v.healAt = null;
    List<String> bricks = seedVolume(volume).bricks();
    for (int i = 0; i < bricks.size(); i++) {
      String host = bricks.get(i);
      v.pending.put(host, 2 + (i * 3 + volume.length()) % 5);
      if (glusterdUp(host)) {
        host(host).procs.add("glusterfsd:" + volume);
        host(host).procs.add("glustershd");
      }
    }
  }

  /** Stops a volume: glusterd stops its bricks (and the self-heal daemon once no volume is started). */
  void stopVolume(String volume) {
    VolumeState v = volume(volume);
    v.started = false;
    v.pending.clear();
    v.healAt = null;
    boolean anyStarted = state.volumes.values().stream().anyMatch(s -> s.started);
    for (String host : state.hosts.keySet()) {
      if (glusterdUp(host)) {
        host(host).procs.remove("glusterfsd:" + volume);
        if (!anyStarted) {
          host(host).procs.remove("glustershd");
        }
      }
    }
  }

  void heal(String volume) {
    volume(volume).healAt = clock.instant().plus(seed.timing().healDelay());
  }

  int pending(String volume, String brickHost) {
    return volume(volume).pending.getOrDefault(brickHost, 0);
  }

  /** The clients connected to an online brick: fuse mounts everywhere, self-heal daemons of the servers. */
  List<Client> clients(String volume) {
    List<Client> clients = new ArrayList<>();
    for (VmClusterSeed.Host h : seed.hosts()) {
      Set<String> procs = host(h.name()).procs;
      if (on(h.name()) && procs.contains("glustershd")) {
        clients.add(new Client(h.name(), "self-heal"));
      }
      if (on(h.name()) && procs.contains("glusterfs:" + volume)) {
        clients.add(new Client(h.name(), "mount"));
      }
    }
    return clients;
  }

  Set<String> mounts(String host) {
    return new TreeSet<>(host(host).mounts);
  }

  /** Mounts a volume on a host; empty when done, else why it failed. */
  Optional<String> mount(String host, String volume) {
    if (host(host).mounts.contains(volume)) {
      return Optional.empty();
    }
    boolean served = seedVolume(volume).bricks().stream().anyMatch(b -> glusterdUp(b));
    boolean online = seedVolume(volume).bricks().stream().anyMatch(b -> brickOnline(volume, b));
    if (!served || !online) {
      return Optional.of(served ? "volume " + volume + " is not started" : "no volfile server answers");
    }
    host(host).mounts.add(volume);
    host(host).procs.add("glusterfs:" + volume);
    return Optional.empty();
  }

  void unmount(String host, String volume) {
    host(host).mounts.remove(volume);
    host(host).procs.remove("glusterfs:" + volume);
  }

  void unmountAll(String host) {
    HostState h = host(host);
    h.mounts.forEach(v -> h.procs.remove("glusterfs:" + v));
    h.mounts.clear();
  }

  Set<String> procs(String host) {
    return new TreeSet<>(host(host).procs);
  }

  /** Kills the processes {@code matches} selects (by key); returns how many died. */
  int kill(String host, Predicate<String> matches) {
    HostState h = host(host);
    List<String> killed = h.procs.stream().filter(matches).toList();
    killed.forEach(h.procs::remove);
    if (killed.contains("glusterd")) {
      h.active.remove("glusterd");
    }
    return killed.size();
  }

  // ---- network -----------------------------------------------------------------------------

  long latencyMillis(String host) {
    return host(host).latencyMillis;
  }

  void slow(String host, long millis) {
    host(host).latencyMillis = millis;
  }

  // ---- time --------------------------------------------------------------------------------

  /** Lets time pass; returns whether anything changed. */
  private boolean settle() {
    Instant now = clock.instant();
    boolean changed = false;
    for (VmClusterSeed.Vm v : seed.vms()) {
      VmState vm = state.vms.get(v.name());
      boolean canMove = fleetUp(v.host()) && !vm.stuck;
      if (vm.launched == vm.running || !canMove) {
        changed |= vm.changeAt != null;
        vm.changeAt = null;
      } else if (vm.changeAt == null) {
        vm.changeAt = now.plus(seed.timing().vmDelay());
        changed = true;
      }
      if (vm.changeAt != null && !now.isBefore(vm.changeAt)) {
        vm.running = vm.launched;
        vm.changeAt = null;
      }
    }
    for (Map.Entry<String, VolumeState> e : state.volumes.entrySet()) {
      VolumeState v = e.getValue();
      if (v.healAt != null && !now.isBefore(v.healAt)) {
        v.healAt = null;
        v.pending.replaceAll((brick, n) -> brickOnline(e.getKey(), brick) ? 0 : n);
        changed = true;
      }
    }
    return changed;
  }

  private void glusterdStarted(String host) {
    HostState h = host(host);
    h.procs.add("glusterd");
    for (VmClusterSeed.Volume v : seed.volumes()) {
      if (state.volumes.get(v.name()).started && v.bricks().contains(host)) {
        h.procs.add("glusterfsd:" + v.name());
        h.procs.add("glustershd");
      }
    }
  }

  private List<VmState> vmsOn(String host) {
    return seed.vms().stream().filter(v -> v.host().equals(host)).map(v -> state.vms.get(v.name())).toList();
  }

  private HostState host(String name) {
    HostState h = state.hosts.get(name);
    if (h == null) {
      throw new IllegalArgumentException("lab: no vm-cluster host named " + name);
    }
    return h;
  }

  private VmState vmState(String name) {
    VmState vm = state.vms.get(name);
    if (vm == null) {
      throw new IllegalArgumentException("lab: no VM named " + name);
    }
    return vm;
  }

  private VolumeState volume(String name) {
    VolumeState v = state.volumes.get(name);
    if (v == null) {
      throw new IllegalArgumentException("lab: no volume named " + name);
    }
    return v;
  }

  VmClusterSeed.Volume seedVolume(String name) {
    return seed.volumes().stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("lab: no volume named " + name));
  }

  private void save() {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), state);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("lab: cannot write " + file, e);
    }
  }
}
