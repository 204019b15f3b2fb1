package io.lockstep.sshsteps;

import io.lockstep.run.StepPreview;
import io.lockstep.ssh.NodeNames;
import io.lockstep.ssh.RemoteCommand;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The params of one {@code ssh.exec} step, checked, as {@code config/procedures/README.md}
 * specifies them. Every message names the param and says what is wrong with it.
 *
 * @param nodes the nodes to run on ({@code on}), in the order given; valid node names, none twice
 * @param command the program and its arguments ({@code command}), items that resolved to a list
 *     spliced in; arguments may contain anything but NUL and line breaks
 * @param parallel run on all nodes at once ({@code parallel}, default true); false: one after the
 *     other, stopping at the first failure
 * @param expectExit the exit statuses that count as success ({@code expect_exit}, default 0)
 */
record ExecParams(List<String> nodes, List<String> command, boolean parallel,
    Set<Integer> expectExit) {

  private static final Set<String> NAMES = Set.of("on", "command", "parallel", "expect_exit");

  ExecParams {
    nodes = List.copyOf(nodes);
    command = List.copyOf(command);
    expectExit = Set.copyOf(expectExit);
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("param 'on' names no node");
    }
    Set<String> seen = new HashSet<>();
    for (String node : nodes) {
      requireNodeName(node);
      if (!seen.add(node)) {
        throw new IllegalArgumentException("param 'on' names node " + node + " twice");
      }
    }
    if (command.isEmpty()) {
      throw new IllegalArgumentException("param 'command' is empty: it needs at least a program");
    }
    try {
      new RemoteCommand(command);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("param 'command': " + e.getMessage(), e);
    }
    if (expectExit.isEmpty()) {
      throw new IllegalArgumentException("param 'expect_exit' names no exit status");
    }
  }

  /**
   * Reads a step's resolved params.
   *
   * @throws IllegalArgumentException a param is unknown, missing or has a value that cannot be used
   */
  static ExecParams from(Map<String, ?> params) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.removeAll(NAMES);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown param" + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", "))
          + "; ssh.exec takes on, command, parallel and expect_exit");
    }
    return new ExecParams(nodes(params.get("on")), command(params.get("command")),
        parallel(params.get("parallel")), expectExit(params.get("expect_exit")));
  }

  /** The command as people read it: the argument list quoted for a shell, as the node gets it. */
  String shown() {
    return new RemoteCommand(command).toString();
  }

  /** The nodes, as a message lists them: {@code node-1, node-2}. */
  String nodeList() {
    return String.join(", ", nodes);
  }

  /** What the step will do, for the approver: one line per node, or one for all in parallel. */
  List<StepPreview.Line> preview() {
    Object what = expectExit.equals(Set.of(0)) ? shown() : StepPreview.Line.of("preview.ssh.exec.expecting",
        "{0} (exit {1} expected)", shown(),
        StepPreview.Line.or(new TreeSet<>(expectExit).stream().map(String::valueOf).toList()));
    if (parallel && nodes.size() > 1) {
      return List.of(StepPreview.Line.of("preview.ssh.exec.parallel", "on {0} in parallel: {1}", nodeList(), what));
    }
    return nodes.stream().map(node -> StepPreview.Line.of("preview.prefixed", "{0}: {1}", node, what)).toList();
  }

  /** The statuses that count as success, in words: {@code exit 0 expected}. */
  String expected() {
    return "exit " + new TreeSet<>(expectExit).stream().map(String::valueOf)
        .collect(Collectors.joining(" or ")) + " expected";
  }

  /** The nodes param {@code on}: one node name or a list of them, nested lists spliced in. */
  static List<String> nodes(Object on) {
    if (on == null) {
      throw new IllegalArgumentException("param 'on' is missing: name the node or nodes to run on");
    }
    if (on instanceof String node) {
      return List.of(requireNodeName(node));
    }
    if (!(on instanceof List<?> list)) {
      throw new IllegalArgumentException(
          "param 'on' must be a node name or a list of node names, not " + described(on));
    }
    List<String> nodes = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof List<?> spliced) {
        // ["${plan.old_nodes}", "${plan.new_nodes}"]: an item that resolved to a list is spliced in
        nodes.addAll(nodes(spliced));
        continue;
      }
      if (!(item instanceof String node)) {
        throw new IllegalArgumentException(
            "param 'on' must list node names; it holds " + described(item));
      }
      nodes.add(node);
    }
    return nodes;
  }

  private static String requireNodeName(String node) {
    try {
      return NodeNames.require(node);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("param 'on': " + e.getMessage(), e);
    }
  }

  private static List<String> command(Object command) {
    if (command == null) {
      throw new IllegalArgumentException(
          "param 'command' is missing: give the program and its arguments as a list");
    }
    if (!(command instanceof List<?> items)) {
      throw new IllegalArgumentException("param 'command' must be a list (the program and its "
          + "arguments, e.g. [systemctl, stop, kubelet]), not " + described(command));
    }
    List<String> argv = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof List<?> spliced) {
        for (Object item : spliced) {
          argv.add(argument(item, i));
        }
      } else {
        argv.add(argument(items.get(i), i));
      }
    }
    return argv;
  }

  /** One argument: text; whole numbers and booleans (YAML's {@code 5}, {@code true}) as written. */
  private static String argument(Object item, int index) {
    if (item instanceof String text) {
      return text;
    }
    if (item instanceof Integer || item instanceof Long || item instanceof BigInteger
        || item instanceof Boolean) {
      return item.toString();
    }
    throw new IllegalArgumentException("item " + index + " of param 'command' must be text (or a "
        + "list of texts), not " + described(item) + "; quote it");
  }

  private static boolean parallel(Object parallel) {
    if (parallel == null) {
      return true;
    }
    if (parallel instanceof Boolean b) {
      return b;
    }
    if ("true".equals(parallel) || "false".equals(parallel)) {
      return Boolean.parseBoolean((String) parallel);
    }
    throw new IllegalArgumentException(
        "param 'parallel' must be true or false, not " + described(parallel));
  }

  private static Set<Integer> expectExit(Object expect) {
    if (expect == null) {
      return Set.of(0);
    }
    List<?> items = expect instanceof List<?> list ? list : List.of(expect);
    Set<Integer> statuses = new LinkedHashSet<>();
    for (Object item : items) {
      statuses.add(exitStatus(item));
    }
    return statuses;
  }

  private static int exitStatus(Object item) {
    long status;
    if (item instanceof Integer || item instanceof Long) {
      status = ((Number) item).longValue();
    } else if (item instanceof String text && text.matches("[0-9]{1,3}")) {
      status = Long.parseLong(text);
    } else {
      throw new IllegalArgumentException("param 'expect_exit' must list exit statuses (whole "
          + "numbers 0-255), not " + described(item));
    }
    if (status < 0 || status > 255) {
      throw new IllegalArgumentException(
          "param 'expect_exit' holds " + status + "; an exit status is between 0 and 255");
    }
    return (int) status;
  }

  /** A value's kind for a message, without its content (which might be a secret). */
  private static String described(Object value) {
    if (value instanceof String) {
      return "text";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return "a " + value.getClass().getSimpleName();
  }
}
