package io.lockstep.kubesteps;

import io.lockstep.kubernetes.Kubernetes;
import org.springframework.stereotype.Component;

/**
 * {@code wait.node-not-ready}: waits by watch until a node (or every node of a list) is no longer
 * Ready: its Ready condition is False or Unknown, or gone.
 */
@Component
class WaitNodeNotReady extends NodeReadiness {

  static final String TYPE = "wait.node-not-ready";

  WaitNodeNotReady(Kubernetes kubernetes) {
    super(kubernetes, false);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
