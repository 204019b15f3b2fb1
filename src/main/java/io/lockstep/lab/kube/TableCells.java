package io.lockstep.lab.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The cells of kubectl's columns that take more than reading one field, computed as the API server does. */
final class TableCells {

  private static final String ROLE_PREFIX = "node-role.kubernetes.io/";

  private TableCells() {}

  /** {@code READY}: ready containers out of all containers. */
  static Object ready(JsonNode pod) {
    int containers = pod.path("spec").path("containers").size();
    int ready = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      if (status.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + containers;
  }

  /** {@code STATUS}: Terminating, a waiting container's reason, or the phase. */
  static Object status(JsonNode pod) {
    if (!pod.path("metadata").path("deletionTimestamp").isMissingNode()
        && !pod.path("metadata").path("deletionTimestamp").isNull()) {
      return "Terminating";
    }
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      String waiting = status.path("state").path("waiting").path("reason").asString("");
      if (!waiting.isEmpty()) {
        return waiting;
      }
    }
    String phase = pod.path("status").path("phase").asString("Pending");
    return phase.equals("Pending") && pod.path("spec").path("nodeName").asString("").isEmpty() ? "Pending" : phase;
  }

  /** {@code RESTARTS}: restarts of all containers. */
  static Object restarts(JsonNode pod) {
    int restarts = 0;
    for (JsonNode status : pod.path("status").path("containerStatuses")) {
      restarts += status.path("restartCount").asInt(0);
    }
    return restarts;
  }

  /** A node's {@code STATUS}: Ready, NotReady or Unknown, and SchedulingDisabled when cordoned. */
  static Object nodeStatus(JsonNode node) {
    String status = "Unknown";
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (condition.path("type").asString("").equals("Ready")) {
        status = condition.path("status").asString("").equals("True") ? "Ready" : "NotReady";
      }
    }
    return node.path("spec").path("unschedulable").asBoolean(false) ? status + ",SchedulingDisabled" : status;
  }

  /** A node's {@code ROLES}, from its {@code node-role.kubernetes.io/*} labels. */
  static Object roles(JsonNode node) {
    List<String> roles = new ArrayList<>();
    for (Map.Entry<String, JsonNode> label : node.path("metadata").path("labels").properties()) {
      if (label.getKey().startsWith(ROLE_PREFIX)) {
        roles.add(label.getKey().substring(ROLE_PREFIX.length()));
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles.stream().sorted().toList());
  }

  static Object internalIp(JsonNode node) {
    for (JsonNode address : node.path("status").path("addresses")) {
      if (address.path("type").asString("").equals("InternalIP")) {
        return address.path("address").asString("");
      }
    }
    return "<none>";
  }

  /** A DaemonSet's {@code NODE SELECTOR}: {@code key=value,…} or {@code <none>}. */
  static Object nodeSelector(JsonNode ds) {
    List<String> terms = new ArrayList<>();
    ds.path("spec").path("template").path("spec").path("nodeSelector").properties()
        .forEach(e -> terms.add(e.getKey() + "=" + e.getValue().asString("")));
    return terms.isEmpty() ? "<none>" : String.join(",", terms);
  }

  /** A volume's {@code CLAIM}: {@code namespace/name} of the claim it is bound to. */
  static Object claim(JsonNode pv) {
    JsonNode ref = pv.path("spec").path("claimRef");
    return ref.isMissingNode() ? "" : ref.path("namespace").asString("") + "/" + ref.path("name").asString("");
  }
}
