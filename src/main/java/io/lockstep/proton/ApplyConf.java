package io.lockstep.proton;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.ssh.NodeShell;
import io.lockstep.ssh.OutputListener;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.ssh.RemotePaths;
import io.lockstep.sshsteps.NodeAddresses;
import io.lockstep.sshsteps.PasswordLogins;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code proton.conf}: edits the cluster configuration and applies it with proton-cli (P1 phases 7
 * and 13): {@code proton-cli get conf} on {@code node}, the edit of {@link ConfEdit} (nodes added
 * and removed, planned components on their hosts and data path), the edited file written to
 * {@code file} on that node (mode 0600), then {@code proton-cli apply -f FILE [-p PASSWORD]}.
 *
 * <p>The configuration holds credentials: it is never logged, and the preview's diff masks them.
 * The edit is idempotent and the apply always runs, also when the configuration already has every
 * change: apply makes the cluster match the file, which is harmless when it already does and
 * finishes what an attempt cut short (phase 13 needs it even so: phase 8 wrote the hosts already,
 * and apply is what reinstalls the components). So the step is repeatable. proton-cli may fail
 * once in its {@code kubesuite} step when it removes several nodes; an apply whose output names
 * {@code retry_on} is run once more. With {@code check: true} the step changes nothing: see {@link
 * ConfCheck}.
 */
@Component
class ApplyConf implements StepExecutor {

  static final String TYPE = "proton.conf";
  static final List<String> NAMES = List.of("node", "file", "rows", "add_nodes", "remove_nodes", "password", "retry_on",
      "check");
  static final Duration PREVIEW_LIMIT = Duration.ofSeconds(30);

  private final NodeShell shell;
  private final NodeAddresses addresses;
  private final Kubernetes kubernetes;
  private final ConfCheck check;

  ApplyConf(NodeShell shell, NodeAddresses addresses, Kubernetes kubernetes, PasswordLogins logins) {
    this.shell = shell;
    this.addresses = addresses;
    this.kubernetes = kubernetes;
    this.check = new ConfCheck(logins);
  }

  /**
   * The checked params.
   *
   * @param check only check, changing nothing ({@link ConfCheck}): read the configuration, work out
   *     the edit (with every refusal the real step would meet) and, given a password, log in with it
   *     to every node proton-cli apply would reach; nothing is written or applied, so {@code file}
   *     and {@code retry_on} are not needed, and {@code node}, where the configuration is only read,
   *     may be one that {@code remove_nodes} removes
   */
  record Request(String node, String file, Map<String, Placement> placements, List<String> add,
      List<String> remove, Optional<String> password, String retryOn, boolean check) {

    static Request from(Map<String, ?> values) {
      Params params = Params.of(TYPE, values, NAMES);
      String node = params.node("node");
      boolean check = params.flag("check", false);
      String file = check && !params.has("file") ? "" : params.text("file").strip();
      try {
        if (!file.isEmpty()) {
          RemotePaths.requireAbsolute(file);
        }
      } catch (IllegalArgumentException e) {
        throw params.problem("file", e.getMessage());
      }
      List<String> add = params.nodes("add_nodes");
      List<String> remove = params.nodes("remove_nodes");
      add.stream().filter(remove::contains).findFirst().ifPresent(n -> {
        throw params.problem("remove_nodes", "names " + n + ", which add_nodes adds");
      });
      if (remove.contains(node) && !check) {
        // a check only reads the configuration on 'node': phase 13's edit is checked on the control
        // master, which that phase removes, before the new node that will run its apply is a master
        throw params.problem("remove_nodes", "names " + node + ", where proton-cli runs (param 'node')");
      }
      Optional<String> password = params.optionalText("password");
      String retryOn = params.optionalText("retry_on").orElse("kubesuite");
      return new Request(node, file, Placement.from(params, "rows"), add, remove, password, retryOn, check);
    }

    RemoteCommand apply() {
      RemoteCommand apply = RemoteCommand.of("proton-cli", "apply", "-f", file);
      return password.isPresent() ? apply.with("-p").withSecret(password.get()) : apply;
    }

    Masking masking() {
      return new Masking(password.map(List::of).orElse(List.of()));
    }
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(15);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Request request = Request.from(params);
    Map<String, String> added = newNodes(request);
    Masking masking = request.masking();
    ProtonNode node = node(request, masking);
    ObjectNode current;
    try {
      current = parse(node.getConf(PREVIEW_LIMIT), node);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailedException("interrupted while reading the configuration on " + request.node());
    }
    ConfEdit.Result edit = ConfEdit.edit(current, added, request.remove(), request.placements());
    masking.collect(current).collect(edit.edited());
    List<Line> actions = new ArrayList<>();
    actions.add(Line.of("preview.proton.getConf", "{0}: {1} (its output holds credentials and is not logged)",
        request.node(), ProtonNode.GET_CONF));
    edit.changeLines().forEach(change -> actions.add(Line.of("preview.proton.edit", "edit: {0}", change)));
    if (request.check()) {
      actions.addAll(ConfCheck.preview(request, edit));
      return new StepPreview(actions, null);
    }
    if (!edit.changed()) {
      actions.add(Line.of("preview.proton.edit.nothing", "edit: nothing to change, the configuration already has every"
          + " change; it is applied anyway"));
    }
    byte[] yaml = ProtonNode.utf8(Yaml.write(edit.edited()));
    ProtonNode.writeActions(request.file(), yaml.length)
        .forEach(a -> actions.add(Line.of("preview.prefixed", "{0}: {1}", request.node(), a)));
    actions.add(Line.of("preview.proton.apply", "{0}: {1} (run once more if it fails naming ''{2}'')", request.node(),
        request.apply(), request.retryOn()));
    String diff = UnifiedDiff.of(request.file() + " (proton-cli get conf on " + request.node() + ")",
        request.file() + " (edited)", Yaml.write(masking.masked(current)), Yaml.write(masking.masked(edit.edited())));
    return new StepPreview(actions, diff.isEmpty() ? null : diff);
  }

  @Override
  public String execute(StepContext context) throws InterruptedException {
    Request request = Request.from(context.params());
    long deadline = System.nanoTime() + context.timeout().toNanos();
    Map<String, String> added = newNodes(request);
    Masking masking = request.masking();
    ProtonNode node = node(request, masking);
    context.action(request.node(), ProtonNode.GET_CONF + " (output kept out of the log: it holds credentials)");
    ObjectNode current = parse(node.getConf(ProtonNode.left(deadline)), node);
    ConfEdit.Result edit = ConfEdit.edit(current, added, request.remove(), request.placements());
    masking.collect(current);
    edit.alreadyDone().forEach(done -> context.info("already done: " + done));
    edit.changes().forEach(change -> context.info("edit: " + change));
    if (request.check()) {
      return check.run(context, request, edit);
    }
    if (!edit.changed()) {
      context.info("the configuration already has every change (an earlier attempt applied it?); applying it "
          + "anyway: proton-cli apply makes the cluster match it, which changes nothing where it already does");
    }
    byte[] yaml = ProtonNode.utf8(Yaml.write(edit.edited()));
    node.write(request.file(), yaml, ProtonNode.left(deadline), action -> context.action(request.node(), action));
    boolean retried = apply(context, node, request, deadline);
    Line what = !edit.changed() ? Line.of("summary.proton.conf.unchanged", "configuration unchanged")
        : edit.changes().size() == 1 ? Line.of("summary.proton.conf.oneChange", "1 change")
        : Line.of("summary.proton.conf.changes", "{0} changes", edit.changes().size());
    return context.said(retried
        ? Line.of("summary.proton.conf.appliedRetried", "applied {0} on {1} at the second attempt: {2}", request.file(),
            request.node(), what)
        : Line.of("summary.proton.conf.applied", "applied {0} on {1}: {2}", request.file(), request.node(), what));
  }

  /** Runs apply, once more when it failed naming {@code retry_on}; returns whether it ran twice. */
  private boolean apply(StepContext context, ProtonNode node, Request request, long deadline)
      throws InterruptedException {
    OutputListener toLog = (stream, line) -> {
      if (stream == OutputListener.Stream.STDOUT) {
        context.out(request.node(), line);
      } else {
        context.err(request.node(), line);
      }
    };
    for (int attempt = 1; ; attempt++) {
      context.action(request.node(), request.apply().toString() + (attempt > 1 ? " (second attempt)" : ""));
      ProtonNode.Outcome outcome = node.run(request.apply(), new byte[0], ProtonNode.left(deadline),
          request.retryOn(), toLog, false);
      context.exitStatus(request.node(), outcome.status());
      if (outcome.succeeded()) {
        return attempt > 1;
      }
      if (attempt == 1 && outcome.mentions() && !outcome.timedOut()) {
        context.info("proton-cli apply failed with '" + request.retryOn() + "' in its output (P1: when it removes "
            + "several nodes it may fail once in its kubesuite step, the etcd member removal timing out): "
            + "running it once more");
        continue;
      }
      throw new StepFailedException(node.failure("proton-cli apply -f " + request.file(), outcome)
          + (attempt > 1 ? " (at the second attempt)" : ""));
    }
  }

  /** The nodes to add with their InternalIP; refused unless each is a Ready node of the cluster. */
  private Map<String, String> newNodes(Request request) {
    Map<String, String> added = new LinkedHashMap<>();
    for (String name : request.add()) {
      Node node;
      try {
        node = kubernetes.client().nodes().withName(name).get();
      } catch (KubernetesClientException e) {
        throw new StepFailedException("cannot read node " + name + " from the Kubernetes API: " + e.getMessage(), e);
      }
      if (node == null) {
        throw new StepFailedException("node " + name + " is not a node of the cluster: a node must have joined "
            + "Kubernetes before proton-cli can add it; nothing was changed");
      }
      boolean ready = node.getStatus() != null && node.getStatus().getConditions() != null
          && node.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready) {
        throw new StepFailedException("node " + name + " is not Ready; nothing was changed");
      }
      added.put(name, addresses.hostOf(name));
    }
    return added;
  }

  private ProtonNode node(Request request, Masking masking) {
    return new ProtonNode(shell, shell.target(request.node(), addresses.hostOf(request.node())), masking);
  }

  private static ObjectNode parse(String conf, ProtonNode node) {
    return Yaml.mapping(conf).orElseThrow(() -> new StepFailedException("proton-cli get conf on " + node.name()
        + " printed something that is not a YAML mapping (" + conf.length() + " characters, not shown: "
        + "they may hold credentials)"));
  }
}
