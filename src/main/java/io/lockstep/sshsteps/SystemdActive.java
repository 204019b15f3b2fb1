package io.lockstep.sshsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * {@code systemd.active}: asks every node whether its units are active ({@code systemctl
 * is-active UNIT…}, one line per unit) and fails, naming each unit and node, when one is not in the
 * state expected. It only reads, so it also serves as a recovery action's check: "docker and
 * kubelet are inactive on node-1, node-2" is what is down after a stop in downtime.
 */
@Component
class SystemdActive implements StepExecutor {

  static final String TYPE = "systemd.active";
  private static final Set<String> NAMES = Set.of("on", "units", "expect");
  private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\-]{1,200}");
  private static final int PARALLELISM = 16;

  private final RemoteCapture remote;

  SystemdActive(RemoteCapture remote) {
    this.remote = remote;
  }

  /** The step's params, checked: nodes, units, and whether they should be active or inactive. */
  record Params(List<String> on, List<String> units, boolean active) {

    static Params from(Map<String, ?> params) {
      Set<String> unknown = new TreeSet<>(params.keySet());
      unknown.removeAll(NAMES);
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("unknown param" + (unknown.size() > 1 ? "s " : " ")
            + String.join(", ", unknown) + "; " + TYPE + " takes on, units and expect");
      }
      List<String> on = List.copyOf(new LinkedHashSet<>(ExecParams.nodes(params.get("on"))));
      on.forEach(io.lockstep.ssh.NodeNames::require);
      if (on.isEmpty()) {
        throw new IllegalArgumentException("param 'on' names no node");
      }
      if (!(params.get("units") instanceof List<?> list) || list.isEmpty()) {
        throw new IllegalArgumentException("param 'units' is the list of systemd units to look at, e.g. [docker, kubelet]");
      }
      List<String> units = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof String unit) || !UNIT.matcher(unit).matches() || unit.startsWith("-")) {
          throw new IllegalArgumentException("param 'units' holds '" + item + "', which is no systemd unit name");
        }
        units.add(unit);
      }
      Object expect = params.get("expect");
      if (expect != null && !"active".equals(expect) && !"inactive".equals(expect)) {
        throw new IllegalArgumentException("param 'expect' is 'active' (the default) or 'inactive', not '" + expect + "'");
      }
      return new Params(on, List.copyOf(units), !"inactive".equals(expect));
    }

    RemoteCommand command() {
      List<String> argv = new ArrayList<>(List.of("systemctl", "is-active"));
      argv.addAll(units);
      return new RemoteCommand(argv);
    }

    String wanted() {
      return active ? "active" : "inactive";
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Params p = Params.from(params);
    return StepPreview.of(Line.of("preview.ssh.systemdActive", "on {0}: {1} (each unit must be {2})",
        String.join(", ", p.on()), p.command(), p.wanted()));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Params p = Params.from(context.params());
    context.info("on " + String.join(", ", p.on()) + ": " + p.command() + " — each unit must be " + p.wanted());
    List<RemoteCapture.Output> outputs = NodePool.runAll(p.on().stream()
        .<Callable<RemoteCapture.Output>>map(node -> () -> remote.look(context, node, p.command(), context.timeout()))
        .toList(), PARALLELISM, "systemd-active");
    Map<String, List<String>> wrong = new LinkedHashMap<>();
    List<String> unreachable = new ArrayList<>();
    for (RemoteCapture.Output out : outputs) {
      if (!out.ran()) {
        unreachable.add(out.node() + " (" + out.problem() + ")");
        continue;
      }
      List<String> states = out.outLines();
      for (int i = 0; i < p.units().size(); i++) {
        String state = i < states.size() ? states.get(i).strip() : "unknown";
        context.out(out.node(), p.units().get(i) + ": " + state);
        if (!state.equals(p.wanted())) {
          wrong.computeIfAbsent(p.units().get(i) + " is " + state, k -> new ArrayList<>()).add(out.node());
        }
      }
    }
    List<String> problems = new ArrayList<>();
    wrong.forEach((what, nodes) -> problems.add(what + " on " + String.join(", ", nodes)));
    if (!unreachable.isEmpty()) {
      problems.add("could not look on " + String.join("; ", unreachable));
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(String.join("; ", problems));
    }
    return context.said(p.on().size() == 1
        ? Line.of("summary.ssh.systemdActive.one", "{0} {1} on {2}", String.join(", ", p.units()), p.wanted(), p.on().get(0))
        : Line.of("summary.ssh.systemdActive.many", "{0} {1} on {2} nodes", String.join(", ", p.units()), p.wanted(),
            p.on().size()));
  }
}
