package io.lockstep.kubesteps;

import java.util.List;
import java.util.Map;

/** The one param of {@code k8s.cordon} and {@code k8s.uncordon}: {@code node}, a valid node name. */
final class NodeParams {

  private NodeParams() {}

  static String node(String type, Map<String, ?> values) {
    Params params = Params.of(type, values, List.of("node"));
    return params.checked("node", () -> KubeNames.node(params.text("node")));
  }
}
