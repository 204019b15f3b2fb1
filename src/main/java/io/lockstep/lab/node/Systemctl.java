package io.lockstep.lab.node;

import io.lockstep.lab.LabCluster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code systemctl} on a lab node: {@code start}, {@code stop}, {@code restart},
 * {@code is-active}, {@code is-enabled} and {@code status} over the node's {@link Units}, with
 * systemd's messages and exit statuses (3 for an inactive unit, 4 for an unknown one in
 * {@code status}, 5 for an unknown one in start/stop).
 *
 * <p>Effects on the platform: when kubelet changes state the cluster hears
 * {@link LabCluster#kubeletChanged}; when the container runtime (docker or containerd: active while
 * either is) changes, {@link LabCluster#runtimeChanged}; when etcd does, {@link LabCluster#etcdChanged}
 * (the API server answers only while etcd has quorum). Restarting an active unit only resets its
 * "since" time: the cluster sees no change.
 */
final class Systemctl implements NodeCommand {

  private final String node;
  private final Units units;
  private final LabCluster cluster;
  private final UnitStatus status;

  Systemctl(String node, Units units, LabCluster cluster, UnitStatus status) {
    this.node = node;
    this.units = units;
    this.cluster = cluster;
    this.status = status;
  }

  @Override
  public int run(Invocation call) throws IOException {
    List<String> words = new ArrayList<>();
    boolean quiet = false;
    for (String arg : call.args()) {
      if (arg.equals("-q") || arg.equals("--quiet")) {
        quiet = true;
      } else if (!arg.startsWith("-")) {
        words.add(arg);
      }
    }
    if (words.isEmpty()) {
      return call.fail(1, "the lab supports start, stop, restart, status, is-active, is-enabled");
    }
    String verb = words.get(0);
    List<String> names = words.subList(1, words.size()).stream().map(Systemctl::unitName).toList();
    if (names.isEmpty() && !verb.equals("status")) {
      call.err("Too few arguments.");
      return 1;
    }
    return switch (verb) {
      case "start", "stop", "restart" -> change(call, verb, names);
      case "is-active" -> isActive(call, names, quiet);
      case "is-enabled" -> isEnabled(call, names, quiet);
      case "status" -> status(call, names);
      default -> {
        call.err("Unknown command verb '" + verb + "'.");
        yield 1;
      }
    };
  }

  /** "kubelet.service" and "kubelet" name the same unit; "docker.socket" keeps its suffix. */
  private static String unitName(String arg) {
    return arg.endsWith(".service") ? arg.substring(0, arg.length() - ".service".length()) : arg;
  }

  private int change(Invocation call, String verb, List<String> names) throws IOException {
    boolean kubeletBefore = units.active("kubelet");
    boolean runtimeBefore = runtimeActive();
    boolean etcdBefore = units.active("etcd");
    int result = 0;
    for (String unit : names) {
      if (units.state(unit).isEmpty()) {
        String how = verb.equals("stop") ? "not loaded" : "not found";
        call.err("Failed to " + verb + " " + UnitStatus.fullName(unit) + ": Unit " + UnitStatus.fullName(unit) + " " + how + ".");
        result = 5;
        continue;
      }
      boolean active = !verb.equals("stop");
      if (verb.equals("restart")) {
        units.restart(unit);
      } else {
        units.set(unit, active);
      }
      if (!active && unit.equals("docker") && units.active("docker.socket") && !names.contains("docker.socket")) {
        call.err("Warning: Stopping docker.service, but it can still be activated by:");
        call.err("  docker.socket");
      }
    }
    if (units.active("kubelet") != kubeletBefore) {
      cluster.kubeletChanged(node, !kubeletBefore);
    }
    if (runtimeActive() != runtimeBefore) {
      cluster.runtimeChanged(node, !runtimeBefore);
    }
    if (units.state("etcd").isPresent() && units.active("etcd") != etcdBefore) {
      cluster.etcdChanged(node, !etcdBefore);
    }
    return result;
  }

  private boolean runtimeActive() {
    return units.active("docker") || units.active("containerd");
  }

  private int isActive(Invocation call, List<String> names, boolean quiet) throws IOException {
    int result = 0;
    for (String unit : names) {
      boolean active = units.active(unit);
      if (!quiet) {
        call.out(active ? "active" : "inactive");
      }
      result = active ? result : 3;
    }
    return result;
  }

  private int isEnabled(Invocation call, List<String> names, boolean quiet) throws IOException {
    int result = 0;
    for (String unit : names) {
      if (units.state(unit).isEmpty()) {
        call.err("Failed to get unit file state for " + UnitStatus.fullName(unit) + ": No such file or directory");
        result = 1;
      } else if (!quiet) {
        call.out("enabled");
      }
    }
    return result;
  }

  private int status(Invocation call, List<String> names) throws IOException {
    if (names.isEmpty()) {
      return call.fail(1, "the lab's status needs a unit name");
    }
    int result = 0;
    boolean first = true;
    for (String unit : names) {
      Optional<Units.State> state = units.state(unit);
      if (state.isEmpty()) {
        call.err("Unit " + UnitStatus.fullName(unit) + " could not be found.");
        result = Math.max(result, 4);
        continue;
      }
      if (!first) {
        call.out("");
      }
      first = false;
      for (String line : status.lines(unit, state.get())) {
        call.out(line);
      }
      result = state.get().active() ? result : Math.max(result, 3);
    }
    return result;
  }
}
