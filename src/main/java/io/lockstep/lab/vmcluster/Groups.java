package io.lockstep.lab.vmcluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * clustershell's group sources on one host: the default source (the seed's groups, like a
 * groups.conf) and {@code vm}, fleet's VMs by state ({@code @vm:running}, {@code @vm:stopped},
 * {@code @vm:*}), which asks the fleet daemon of this host and fails while it is not running.
 */
final class Groups {

  private final VmClusterLab lab;
  private final String host;

  Groups(VmClusterLab lab, String host) {
    this.lab = lab;
    this.host = host;
  }

  /** Resolves "source:group" (empty source: the default one) to a node set string. */
  String resolve(String sourceAndGroup) {
    int colon = sourceAndGroup.indexOf(':');
    String source = sourceAndGroup.substring(0, colon);
    String group = sourceAndGroup.substring(colon + 1);
    Map<String, String> groups = groups(source);
    if (group.equals("*")) {
      return String.join(",", groups.values());
    }
    String nodes = groups.get(group);
    if (nodes == null) {
      throw new NodeSets.GroupException("External error: unknown group " + (source.isEmpty() ? "" : source + ":") + group);
    }
    return nodes;
  }

  boolean isDefault(String source) {
    return source.isEmpty() || source.equals("local");
  }

  /** The groups of a source ("" or "local": the default one) and their node sets, folded. */
  Map<String, String> groups(String source) {
    if (isDefault(source)) {
      return new LinkedHashMap<>(lab.platform().seed().groups());
    }
    if (!source.equals("vm")) {
      throw new NodeSets.GroupException("External error: unknown group source: \"" + source + "\"");
    }
    return lab.platform().read(p -> {
      if (!p.fleetUp(host)) {
        throw new NodeSets.GroupException("External error: group source \"vm\": fleetctl list-units failed"
            + " (fleet is not running on " + host + ")");
      }
      Set<String> running = new TreeSet<>();
      Set<String> stopped = new TreeSet<>();
      p.vms().forEach(vm -> (vm.known() && vm.running() ? running : stopped).add(vm.name()));
      Map<String, String> result = new LinkedHashMap<>();
      result.put("running", NodeSets.fold(sorted(running)));
      result.put("stopped", NodeSets.fold(sorted(stopped)));
      return result;
    });
  }

  private static Set<String> sorted(Set<String> names) {
    return names.stream().collect(Collectors.toCollection(() -> new TreeSet<>(NodeSets.ORDER)));
  }
}
