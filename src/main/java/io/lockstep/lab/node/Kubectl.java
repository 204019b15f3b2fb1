package io.lockstep.lab.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code kubectl} on a master node: the real kubectl against the lab's API server
 * ({@code --kubeconfig} of the lab prepended), with file arguments ({@code -f}, {@code -k},
 * {@code --from-file}, {@code --from-env-file}) mapped into the node's sandbox and {@code HOME}
 * set to the node's {@code /root} (so its discovery cache lands there). Output streams through;
 * the exit status is kubectl's.
 *
 * <p>Refused, because they would reach outside the lab or the sandbox or start another program:
 * flags naming another server, credentials or output files, and the subcommands {@code edit},
 * {@code cp}, {@code proxy}, {@code port-forward}, {@code attach}, {@code plugin},
 * {@code kustomize}, config changes and plugins (unknown subcommands).
 */
final class Kubectl implements NodeCommand {

  private static final Set<String> SUBCOMMANDS = Set.of(
      "create", "expose", "run", "set", "explain", "get", "delete", "rollout", "scale", "autoscale",
      "certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint", "describe", "logs",
      "exec", "debug", "events", "diff", "apply", "patch", "replace", "wait", "label", "annotate",
      "completion", "api-resources", "api-versions", "config", "version", "auth", "options", "help");
  private static final Set<String> REFUSED_SUBCOMMANDS =
      Set.of("edit", "cp", "proxy", "port-forward", "attach", "plugin", "kustomize");
  private static final Set<String> CONFIG_READS = Set.of("view", "current-context", "get-contexts", "get-clusters", "get-users");
  private static final Set<String> REFUSED_FLAGS = Set.of(
      "--kubeconfig", "-s", "--server", "--cache-dir", "--certificate-authority", "--client-certificate",
      "--client-key", "--profile", "--profile-output", "--output-directory");
  /** Global long flags whose value may follow as the next argument. */
  private static final Set<String> VALUED_FLAGS = Set.of(
      "--namespace", "--context", "--cluster", "--user", "--token", "--as", "--as-group", "--as-uid",
      "--request-timeout", "--tls-server-name", "--username", "--password", "--v", "--vmodule",
      "--log-flush-frequency");
  private static final Set<String> FILE_FLAGS = Set.of(
      "-f", "--filename", "-k", "--kustomize", "--from-file", "--from-env-file", "--cert", "--key",
      "--custom", "--patch-file");
  /** Output formats that read a template from a file. */
  private static final Pattern TEMPLATE_FILE =
      Pattern.compile("go-template-file|jsonpath-file|templatefile");
  private static final String SHORT_VALUED = "nolcpLsvfkeu";
  private static final String SHORT_BOOLEAN = "ARwitqhWa";

  private final String binary;
  private final Path kubeconfig;
  private final Sandbox sandbox;
  private final HostPaths hostPaths;

  Kubectl(String binary, Path kubeconfig, Sandbox sandbox, HostPaths hostPaths) {
    this.binary = binary;
    this.kubeconfig = kubeconfig.toAbsolutePath();
    this.sandbox = sandbox;
    this.hostPaths = hostPaths;
  }

  @Override
  public int run(Invocation call) throws IOException, InterruptedException {
    List<String> args = call.args();
    List<String> mapped = new ArrayList<>();
    List<String> positional = new ArrayList<>();
    boolean readsStdin = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg.startsWith("--") ? arg.split("=", 2)[0] : arg.startsWith("-") ? shortFlag(arg) : "";
      if (REFUSED_FLAGS.contains(flag) || TEMPLATE_FILE.matcher(arg).find()) {
        call.err("error: " + (flag.isEmpty() ? arg : flag)
            + " is not available on lab nodes (the node's kubectl reads only the lab and the node's files)");
        return 1;
      }
      if (FILE_FLAGS.contains(flag)) {
        String inline = arg.startsWith("--") ? (arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "")
            : arg.substring(arg.indexOf(flag.charAt(1)) + 1).replaceFirst("^=", "");
        if (inline.isEmpty() && i + 1 >= args.size()) {
          mapped.add(arg);
          continue;
        }
        String value = inline.isEmpty() ? args.get(++i) : inline;
        readsStdin |= value.equals("-");
        String head = arg.startsWith("--") ? flag : arg.substring(0, arg.indexOf(flag.charAt(1)) + 1);
        mapped.add(head);
        mapped.add(flag.equals("--from-file") ? fromFile(value) : file(value));
      } else {
        mapped.add(arg);
        boolean separateValue = arg.startsWith("--")
            ? VALUED_FLAGS.contains(arg)
            : flag.length() == 2 && SHORT_VALUED.indexOf(flag.charAt(1)) >= 0
                && arg.indexOf(flag.charAt(1)) == arg.length() - 1;
        if (separateValue && i + 1 < args.size()) {
          mapped.add(args.get(++i));
        } else if (!arg.startsWith("-")) {
          positional.add(arg);
        }
      }
    }
    String refusal = refusal(positional);
    if (refusal != null) {
      call.err(refusal);
      return 1;
    }
    List<String> command = new ArrayList<>(List.of(binary, "--kubeconfig", kubeconfig.toString()));
    command.addAll(mapped);
    Path home = sandbox.resolve(Sandbox.HOME);
    return new ExternalProcess(command, home, Map.of("HOME", home.toString()))
        .run(readsStdin ? call.in() : null, call.out(), call.err(), hostPaths::toNodePaths);
  }

  /**
   * The flag a single-dash argument stands for, pflag style: boolean letters may be combined, and
   * the first letter taking a value ends the cluster ({@code -Rf FILE}, {@code -fFILE},
   * {@code -nkube-system}). Returns {@code -X} for that letter, or the argument itself.
   */
  private static String shortFlag(String arg) {
    for (int i = 1; i < arg.length(); i++) {
      char c = arg.charAt(i);
      if (SHORT_VALUED.indexOf(c) >= 0) {
        return "-" + c;
      }
      if (SHORT_BOOLEAN.indexOf(c) < 0) {
        return arg;
      }
    }
    return arg;
  }

  private static String refusal(List<String> positional) {
    if (positional.isEmpty()) {
      return null;
    }
    String sub = positional.get(0);
    if (REFUSED_SUBCOMMANDS.contains(sub)) {
      return "error: kubectl " + sub + " is not available on lab nodes";
    }
    if (!SUBCOMMANDS.contains(sub)) {
      return "error: unknown command \"" + sub + "\" for \"kubectl\"";
    }
    if (sub.equals("config") && (positional.size() < 2 || !CONFIG_READS.contains(positional.get(1)))) {
      return "error: kubectl config can only be read on lab nodes (view, current-context, get-contexts)";
    }
    return null;
  }

  /** A file or directory argument: "-" (standard input) and URLs stay as they are. */
  private String file(String value) {
    if (value.equals("-") || value.startsWith("http://") || value.startsWith("https://")) {
      return value;
    }
    return sandbox.resolve(value).toString();
  }

  /** {@code --from-file=[KEY=]PATH}: the key stays, the path maps. */
  private String fromFile(String value) {
    int eq = value.indexOf('=');
    return eq < 0 ? sandbox.resolve(value).toString() : value.substring(0, eq + 1) + sandbox.resolve(value.substring(eq + 1));
  }
}
