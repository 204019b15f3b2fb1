package io.lockstep.migration;

import java.util.Map;

/**
 * What was measured over SSH for a set of rows: the data size of each source directory and the
 * state of each target directory of a moving row. A place not measured (yet) is pending.
 */
record Facts(Map<Place, Measured<Long>> sizes, Map<Place, Measured<TargetState>> targets) {

  Facts {
    sizes = Map.copyOf(sizes);
    targets = Map.copyOf(targets);
  }

  static final Facts NONE = new Facts(Map.of(), Map.of());

  Measured<Long> size(Place source) {
    return sizes.getOrDefault(source, Measured.pending());
  }

  Measured<TargetState> target(Place target) {
    return targets.getOrDefault(target, Measured.pending());
  }

  /** How many measurements have not finished. */
  long pending() {
    return sizes.values().stream().filter(Measured::isPending).count()
        + targets.values().stream().filter(Measured::isPending).count();
  }
}
