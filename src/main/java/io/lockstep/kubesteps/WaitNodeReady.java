package io.lockstep.kubesteps;

import io.lockstep.kubernetes.Kubernetes;
import org.springframework.stereotype.Component;

/** {@code wait.node-ready}: waits by watch until a node (or every node of a list) is Ready. */
@Component
class WaitNodeReady extends NodeReadiness {

  static final String TYPE = "wait.node-ready";

  WaitNodeReady(Kubernetes kubernetes) {
    super(kubernetes, true);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
