package io.lockstep.lab.kube;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;

/**
 * A running container's readiness probe, as the lab plays it: empty while the pod's containers
 * would report ready, otherwise what the application logs about why not. Most lab containers are
 * ready as soon as they run ({@link #ALWAYS}).
 */
@FunctionalInterface
interface PodProbe {

  PodProbe ALWAYS = pod -> Optional.empty();

  /** Why the running pod is not ready, or empty when it is. */
  Optional<String> failure(Pod pod);
}
