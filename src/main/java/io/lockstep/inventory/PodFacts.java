package io.lockstep.inventory;

import io.fabric8.kubernetes.api.model.Pod;

/** A pod's phase as kubectl shows it (Terminating when being deleted) and its readiness. */
final class PodFacts {

  private PodFacts() {}

  static String phase(Pod pod) {
    if (pod == null) {
      return "Absent";
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      return "Terminating";
    }
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  static boolean ready(Pod pod) {
    return pod != null && pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
