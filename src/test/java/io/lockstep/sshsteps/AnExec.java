package io.lockstep.sshsteps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Object mother for {@code ssh.exec} params as the engine hands them over, references resolved:
 * {@code AnExec.on("node-1", "node-2").command("systemctl", "stop", "kubelet").inOrder().params()}.
 */
final class AnExec {

  private final Map<String, Object> params = new LinkedHashMap<>();

  private AnExec(Object on) {
    params.put("on", on);
  }

  /** On one node ({@code on: node-1}) or, with more names, on a list of nodes. */
  static AnExec on(String node, String... more) {
    if (more.length == 0) {
      return new AnExec(node);
    }
    List<String> nodes = new ArrayList<>(List.of(node));
    nodes.addAll(Arrays.asList(more));
    return new AnExec(nodes);
  }

  /** The command's items as they resolved: texts, or lists for references to list parameters. */
  AnExec command(Object... items) {
    params.put("command", List.of(items));
    return this;
  }

  AnExec inOrder() {
    params.put("parallel", false);
    return this;
  }

  AnExec expectExit(Object... statuses) {
    params.put("expect_exit", List.of(statuses));
    return this;
  }

  AnExec with(String param, Object value) {
    params.put(param, value);
    return this;
  }

  Map<String, Object> params() {
    return new LinkedHashMap<>(params);
  }
}
