package io.lockstep.lab.node;

import io.lockstep.lab.LabCluster;
import io.lockstep.lab.LabCommandException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code helm3 [-n NS] delete|uninstall RELEASE… [--wait] [--timeout D] [--no-hooks] [--dry-run]}
 * on a master node: the releases are uninstalled by the lab's cluster ({@link LabCluster#helmDelete}),
 * which prints helm's lines or fails with helm's message. The accepted flags change nothing in the
 * lab (uninstalling is immediate and has no hooks); other subcommands and flags fail as helm does.
 * With {@code --dry-run} nothing is uninstalled: as helm 3 does, each release is looked up (its
 * release Secret, {@code owner=helm,name=RELEASE}), the first missing one fails with helm's message,
 * and each found one is printed as uninstalled.
 */
final class Helm3 implements NodeCommand {

  private static final Set<String> UNINSTALL = Set.of("delete", "uninstall", "del", "un");

  private final LabCluster cluster;

  Helm3(LabCluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public int run(Invocation call) throws IOException {
    String namespace = "default";
    List<String> positional = new ArrayList<>();
    boolean dryRun = false;
    List<String> args = call.args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-n") || arg.equals("--namespace") || arg.equals("--timeout")) && i + 1 < args.size()) {
        String value = args.get(++i);
        namespace = arg.equals("--timeout") ? namespace : value;
      } else if (arg.startsWith("--namespace=")) {
        namespace = arg.substring("--namespace=".length());
      } else if (arg.startsWith("-n") && arg.length() > 2) {
        namespace = arg.substring(2);
      } else if (arg.equals("--wait") || arg.equals("--no-hooks") || arg.startsWith("--timeout=")) {
        continue;
      } else if (arg.equals("--dry-run")) {
        dryRun = true;
      } else if (arg.startsWith("-")) {
        call.err("Error: unknown flag: " + arg);
        return 1;
      } else {
        positional.add(arg);
      }
    }
    if (positional.isEmpty() || !UNINSTALL.contains(positional.get(0))) {
      String command = positional.isEmpty() ? "" : positional.get(0);
      call.err("Error: unknown command \"" + command + "\" for \"helm\"");
      call.err("Run 'helm --help' for usage.");
      return 1;
    }
    List<String> releases = positional.subList(1, positional.size());
    if (releases.isEmpty()) {
      call.err("Error: \"helm uninstall\" requires at least 1 argument");
      return 1;
    }
    if (dryRun) {
      return dryRun(call, namespace, releases);
    }
    try {
      for (String line : cluster.helmDelete(namespace, List.copyOf(releases))) {
        call.out(line);
      }
      return 0;
    } catch (LabCommandException e) {
      call.err(e.getMessage());
      return e.exitStatus();
    }
  }

  private int dryRun(Invocation call, String namespace, List<String> releases) throws IOException {
    for (String release : releases) {
      boolean found = !cluster.client().secrets().inNamespace(namespace)
          .withLabels(Map.of("owner", "helm", "name", release)).list().getItems().isEmpty();
      if (!found) {
        call.err("Error: uninstall: Release not loaded: " + release + ": release: not found");
        return 1;
      }
      call.out("release \"" + release + "\" uninstalled");
    }
    return 0;
  }
}
