package io.lockstep.lab.vmcluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mutable state of the VM management cluster, as persisted in {@code state.json}. Plain data
 * guarded by {@link VmPlatform}, which alone reads and changes it.
 */
final class ClusterState {

  static final String ON = "on";
  static final String OFF = "off";
  static final String BOOTING = "booting";
  /** The OS is shutting down (poweroff, an ACPI soft power off): SSH still answers, the BMC says on. */
  static final String STOPPING = "stopping";

  public Map<String, HostState> hosts = new LinkedHashMap<>();
  public Map<String, VmState> vms = new LinkedHashMap<>();
  public Map<String, VolumeState> volumes = new LinkedHashMap<>();
  /**
   * Every chassis power off, reset or cycle that cut a host whose OS was still running (up or
   * shutting down), in order: {@code HOST at INSTANT (OS was on|stopping)}. A careful procedure
   * never makes one; tests read them.
   */
  public List<String> hardCuts = new ArrayList<>();

  /**
   * One host: power ({@value #ON}, {@value #OFF}, {@value #BOOTING} until {@code bootAt},
   * {@value #STOPPING} until {@code haltAt}, for ever when {@code shutdownHangs}: a fault, a stop
   * job that never ends), its
   * active units (since when), the volumes it has mounted, its GlusterFS processes
   * ({@code glusterd}, {@code glusterfsd:VOL} bricks, {@code glustershd}, {@code glusterfs:VOL}
   * fuse clients) and the extra latency of its network (a fault tests inject).
   */
  static final class HostState {
    public String power = ON;
    public Instant bootAt;
    public Instant haltAt;
    public boolean shutdownHangs;
    public Map<String, Instant> active = new LinkedHashMap<>();
    public Set<String> mounts = new TreeSet<>();
    public Set<String> procs = new TreeSet<>();
    public long latencyMillis;
  }

  /**
   * One VM: fleet's target ({@code launched}: should run), whether it runs, whether it is stuck (a
   * fault: it cannot change state until fleet on its hypervisor is stopped) and when its pending
   * change completes.
   */
  static final class VmState {
    public boolean launched;
    public boolean running;
    public boolean stuck;
    public Instant changeAt;
  }

  /** One volume: started or not, pending heal entries by brick host, when a requested heal is done. */
  static final class VolumeState {
    public boolean started;
    public Map<String, Integer> pending = new TreeMap<>();
    public Instant healAt;
  }
}
