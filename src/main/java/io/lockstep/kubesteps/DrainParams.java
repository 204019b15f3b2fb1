package io.lockstep.kubesteps;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The params of a {@code k8s.drain} step, checked.
 *
 * @param node the node to drain
 * @param ignoreDaemonSets leave DaemonSet pods ({@code ignore_daemonsets}, default true); false:
 *     their presence fails the step
 * @param deleteEmptyDirData evict pods with emptyDir volumes ({@code delete_emptydir_data},
 *     default false); false: their presence fails the step
 * @param gracePeriod overrides the pods' termination grace period ({@code grace_period})
 */
record DrainParams(String node, boolean ignoreDaemonSets, boolean deleteEmptyDirData, Optional<Duration> gracePeriod) {

  static final List<String> NAMES = List.of("node", "ignore_daemonsets", "delete_emptydir_data", "grace_period");

  static DrainParams from(Map<String, ?> values) {
    Params params = Params.of(DrainNode.TYPE, values, NAMES);
    String node = params.checked("node", () -> KubeNames.node(params.text("node")));
    Optional<Duration> grace = params.duration("grace_period");
    if (grace.isPresent() && grace.get().toSeconds() > Integer.MAX_VALUE) {
      throw params.problem("grace_period", "is too long");
    }
    return new DrainParams(node, params.flag("ignore_daemonsets", true), params.flag("delete_emptydir_data", false),
        grace);
  }

  /** {@code " (grace period 30s)"} or nothing. */
  String graceShown() {
    return gracePeriod.map(g -> " (grace period " + g.toSeconds() + "s)").orElse("");
  }
}
