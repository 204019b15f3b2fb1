package io.lockstep.lab.vmcluster;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The VM management cluster as written in {@code config/lab/vm-cluster.yml}: hosts and their roles,
 * clustershell groups, units, VMs and GlusterFS volumes. Immutable; validated when read so that a
 * broken seed fails at start-up naming the offending entry.
 */
public record VmClusterSeed(
    String rootPassword,
    Bmc bmc,
    Timing timing,
    List<Host> hosts,
    Map<String, String> groups,
    Map<String, Unit> units,
    List<Vm> vms,
    List<Volume> volumes) {

  static final Set<String> ROLES = Set.of("top", "worker", "island_worker", "bastion");

  public VmClusterSeed {
    Objects.requireNonNull(rootPassword, "vm-cluster seed: rootPassword is missing");
    Objects.requireNonNull(bmc, "vm-cluster seed: bmc is missing");
    timing = timing == null ? new Timing(200, 400, 300, null) : timing;
    hosts = List.copyOf(hosts);
    groups = Map.copyOf(groups == null ? Map.of() : groups);
    units = new LinkedHashMap<>(units == null ? Map.of() : units);
    vms = List.copyOf(vms == null ? List.of() : vms);
    volumes = List.copyOf(volumes == null ? List.of() : volumes);
    Set<String> names = hosts.stream().map(Host::name).collect(Collectors.toSet());
    if (names.size() != hosts.size()) {
      throw new IllegalArgumentException("vm-cluster seed: host names must be unique");
    }
    for (Vm vm : vms) {
      if (!names.contains(vm.host())) {
        throw new IllegalArgumentException("vm-cluster seed: VM " + vm.name() + " names unknown host " + vm.host());
      }
    }
    for (Volume v : volumes) {
      if (!names.containsAll(v.bricks())) {
        throw new IllegalArgumentException("vm-cluster seed: volume " + v.name() + " has a brick on an unknown host");
      }
    }
  }

  /** Reads and validates a seed file. */
  public static VmClusterSeed read(InputStream in) throws IOException {
    return YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
        .readValue(in, VmClusterSeed.class);
  }

  Optional<Host> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  Host hostNamed(String name) {
    return host(name).orElseThrow(() -> new IllegalArgumentException("lab: no vm-cluster host named " + name));
  }

  /** The units a host has, in seed order. */
  List<String> unitsOf(String host) {
    String role = hostNamed(host).role();
    return units.entrySet().stream().filter(e -> e.getValue().roles().contains(role)).map(Map.Entry::getKey).toList();
  }

  boolean enabled(String unit) {
    Unit u = units.get(unit);
    return u != null && u.enabled();
  }

  /** Settings of the hosts' BMCs: the IPMI user and password, and the password file on the bastion. */
  public record Bmc(String user, String password, String passwordFile) {
    public Bmc {
      Objects.requireNonNull(user, "vm-cluster seed: bmc.user is missing");
      Objects.requireNonNull(password, "vm-cluster seed: bmc.password is missing");
      passwordFile = passwordFile == null ? "/root/.ipmi/password" : passwordFile;
    }
  }

  /**
   * How long the simulated machinery takes, in milliseconds. {@code shutdown}: from poweroff (or an
   * ACPI soft power off) until the OS has halted and the host is off; 300 when not given.
   */
  public record Timing(long vmStateChange, long boot, long heal, Long shutdown) {
    public Timing {
      shutdown = shutdown == null ? 300L : shutdown;
      if (vmStateChange < 0 || boot < 0 || heal < 0 || shutdown < 0) {
        throw new IllegalArgumentException("vm-cluster seed: timing values are milliseconds, not negative");
      }
    }

    Duration shutdownDelay() {
      return Duration.ofMillis(shutdown);
    }

    Duration vmDelay() {
      return Duration.ofMillis(vmStateChange);
    }

    Duration bootDelay() {
      return Duration.ofMillis(boot);
    }

    Duration healDelay() {
      return Duration.ofMillis(heal);
    }
  }

  /** A machine: top or worker hypervisor, islet worker, or the bastion. */
  public record Host(String name, String ip, String role) {
    public Host {
      if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
        throw new IllegalArgumentException("vm-cluster seed: bad host name '" + name + "'");
      }
      if (ip == null || !ip.startsWith("127.")) {
        throw new IllegalArgumentException("vm-cluster seed: host " + name + " needs a loopback ip (127.x.y.z)");
      }
      if (!ROLES.contains(role)) {
        throw new IllegalArgumentException("vm-cluster seed: host " + name + " has role '" + role + "' " + ROLES);
      }
    }

    boolean hypervisor() {
      return role.equals("top") || role.equals("worker");
    }

    boolean bastion() {
      return role.equals("bastion");
    }

    /** Has a BMC (NAME-bmc) and can be powered off and on. */
    boolean managed() {
      return !bastion();
    }
  }

  /** A systemd unit: the roles whose hosts have it and whether it starts at boot. */
  public record Unit(List<String> roles, boolean enabled) {
    public Unit {
      roles = List.copyOf(roles == null ? List.of() : roles);
    }
  }

  /** A VM: fleet unit {@code pcocc-vm-NAME.service} on a hypervisor, running or not in the seed. */
  public record Vm(String name, String host, boolean running) {
    String unit() {
      return "pcocc-vm-" + name + ".service";
    }
  }

  /** A replicated GlusterFS volume: a brick {@code HOST:/gluster/NAME/brick} on each server. */
  public record Volume(String name, List<String> bricks, String mountPoint) {
    public Volume {
      bricks = List.copyOf(bricks);
      mountPoint = mountPoint == null ? "/mnt/" + name : mountPoint;
    }

    static String brickPath(String volume) {
      return "/gluster/" + volume + "/brick";
    }
  }
}
