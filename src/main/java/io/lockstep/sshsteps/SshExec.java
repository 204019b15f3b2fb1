package io.lockstep.sshsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code ssh.exec}: runs a command on one or more nodes ({@code config/procedures/README.md}).
 *
 * <p>Every node's address is looked up before the command starts anywhere, so a step naming a
 * node the cluster does not have changes nothing. In parallel, the nodes run at once (at most
 * {@code lockstep.sshsteps.parallelism} at a time) and all of them run to their end even when one
 * fails; in order, the first node that fails ends the step and the nodes after it are not touched.
 * The step's {@code timeout} covers all nodes together: in order, each node gets what is left.
 */
@Component
class SshExec implements StepExecutor {

  static final String TYPE = "ssh.exec";

  private final NodeShell shell;
  private final NodeAddresses addresses;
  private final SshStepsProperties properties;

  SshExec(NodeShell shell, NodeAddresses addresses, SshStepsProperties properties) {
    this.shell = shell;
    this.addresses = addresses;
    this.properties = properties;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    return StepPreview.of(ExecParams.from(params).preview());
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    ExecParams params = ExecParams.from(context.params());
    long deadline = System.nanoTime() + context.timeout().toNanos();
    List<SshTarget> targets = params.nodes().stream()
        .map(node -> shell.target(node, addresses.hostOf(node)))
        .toList();
    context.info(announcement(params, context.timeout()));
    NodeRun run = new NodeRun(shell, context, params, properties.killAfter());
    List<NodeResult> results = params.parallel()
        ? NodePool.runAll(targets.stream()
            .<Callable<NodeResult>>map(target -> () -> run.run(target, left(deadline)))
            .toList(), properties.parallelism())
        : inOrder(run, targets, params, deadline);
    List<NodeResult> failed = results.stream().filter(r -> !r.succeeded(params.expectExit()))
        .toList();
    if (!failed.isEmpty()) {
      throw new StepFailedException(failure(params, results, failed));
    }
    return context.said(summary(results));
  }

  /** Runs node after node on the calling thread, up to and including the first that fails. */
  private static List<NodeResult> inOrder(NodeRun run, List<SshTarget> targets, ExecParams params,
      long deadline) throws InterruptedException {
    List<NodeResult> results = new ArrayList<>();
    for (SshTarget target : targets) {
      NodeResult result = run.run(target, left(deadline));
      results.add(result);
      if (!result.succeeded(params.expectExit())) {
        break;
      }
    }
    return results;
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private String announcement(ExecParams params, Duration timeout) {
    String how = params.nodes().size() == 1 ? "on " + params.nodeList()
        : params.parallel() ? "on " + params.nodeList() + " in parallel"
        : "on " + params.nodeList() + " one after the other, stopping at the first failure";
    return "running " + how + ": " + params.shown() + " (" + params.expected()
        + "; the node runs it under '" + String.join(" ", NodeRun.wrap(timeout,
            properties.killAfter())) + " …' so that it ends the command itself when the step's "
        + "time is up)";
  }

  /** {@code 6 nodes: exit 0}, {@code node-1: exit 3}, {@code 3 nodes: exit 0 on node-1, …}. */
  static Line summary(List<NodeResult> results) {
    if (results.size() == 1) {
      return Line.of("summary.ssh.exec.one", "{0}: exit {1}", results.get(0).node(), results.get(0).status());
    }
    Map<Integer, List<String>> byStatus = results.stream().collect(Collectors.groupingBy(
        NodeResult::status, TreeMap::new, Collectors.mapping(NodeResult::node,
            Collectors.toList())));
    if (byStatus.size() == 1) {
      return Line.of("summary.ssh.exec.many", "{0} nodes: exit {1}", results.size(), byStatus.keySet().iterator().next());
    }
    Object statuses = null;
    for (Map.Entry<Integer, List<String>> e : byStatus.entrySet()) {
      Line one = Line.of("summary.ssh.exec.exitOn", "exit {0} on {1}", e.getKey(), String.join(", ", e.getValue()));
      statuses = statuses == null ? one : Line.of("summary.list", "{0}; {1}", statuses, one);
    }
    return Line.of("summary.ssh.exec.manyStatuses", "{0} nodes: {1}", results.size(), statuses);
  }

  private static String failure(ExecParams params, List<NodeResult> results,
      List<NodeResult> failed) {
    String message = (params.nodes().size() == 1 ? "failed"
        : "failed on " + failed.size() + " of " + params.nodes().size() + " nodes")
        + " (" + params.expected() + "): "
        + failed.stream().map(NodeResult::described).collect(Collectors.joining("; "));
    Map<String, NodeResult> ran = new LinkedHashMap<>();
    results.forEach(r -> ran.put(r.node(), r));
    List<String> notRun = params.nodes().stream().filter(n -> !ran.containsKey(n)).toList();
    return notRun.isEmpty() ? message
        : message + "; not run on " + String.join(", ", notRun) + " (stopped at the first failure)";
  }
}
