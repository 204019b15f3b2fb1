package io.lockstep.inventory;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.PersistentVolume;

/** Where a local PersistentVolume lives: the node of its required node affinity, and its path. */
final class VolumeFacts {

  private VolumeFacts() {}

  static String node(PersistentVolume volume) {
    if (volume == null || volume.getSpec().getNodeAffinity() == null
        || volume.getSpec().getNodeAffinity().getRequired() == null) {
      return null;
    }
    return volume.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().stream()
        .flatMap(t -> t.getMatchExpressions() == null ? java.util.stream.Stream.empty() : t.getMatchExpressions().stream())
        .filter(e -> "kubernetes.io/hostname".equals(e.getKey()) && "In".equals(e.getOperator()))
        .map(NodeSelectorRequirement::getValues)
        .filter(v -> v != null && !v.isEmpty())
        .map(v -> v.get(0))
        .findFirst()
        .orElse(null);
  }

  static String path(PersistentVolume volume) {
    if (volume == null) {
      return null;
    }
    if (volume.getSpec().getLocal() != null) {
      return volume.getSpec().getLocal().getPath();
    }
    return volume.getSpec().getHostPath() == null ? null : volume.getSpec().getHostPath().getPath();
  }
}
