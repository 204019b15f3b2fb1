package io.lockstep.lab.node;

import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * {@code rsync} on a lab node: the real rsync binary with every local path mapped into this node's
 * sandbox. A remote operand {@code [USER@]HOST:PATH} naming a lab node (by name or ip) is
 * rewritten to {@code USER@IP:PATH} and reached with the OpenSSH client as remote shell, pinned to
 * the lab's known_hosts and logging in with the console's key; the target node's SSH server then
 * runs {@link RsyncServer}. Push and pull both work. An unknown host fails as ssh and rsync fail
 * on a real node (exit 255) without any connection leaving the lab.
 *
 * <p>rsync's own output (progress with {@code \r}, stats, errors) streams through with sandbox
 * paths shown as node paths; the exit status is rsync's.
 */
final class RsyncCommand implements NodeCommand {

  private final Sandbox sandbox;
  private final List<LabSeed.Node> nodes;
  private final LabProperties props;
  private final IntSupplier sshPort;
  private final HostPaths hostPaths;
  private final RsyncServer server;
  private volatile String version;

  RsyncCommand(Sandbox sandbox, List<LabSeed.Node> nodes, LabProperties props, IntSupplier sshPort,
      HostPaths hostPaths) {
    this.sandbox = sandbox;
    this.nodes = List.copyOf(nodes);
    this.props = props;
    this.sshPort = sshPort;
    this.hostPaths = hostPaths;
    this.server = new RsyncServer(props.rsyncBinary(), sandbox);
  }

  @Override
  public int run(Invocation call) throws IOException, InterruptedException {
    List<String> args = call.args();
    if (!args.isEmpty() && args.get(0).equals("--server")) {
      return server.run(call);
    }
    Optional<String> refused = RsyncOptions.refusedClientOption(args);
    if (refused.isPresent()) {
      return usageError(call, "rsync: " + refused.get()
          + " is not available in the lab (it reaches outside the node sandboxes)");
    }
    Mapped mapped = map(call, args);
    if (mapped.failure() >= 0) {
      return mapped.failure();
    }
    List<String> command = new ArrayList<>();
    command.add(props.rsyncBinary());
    if (mapped.remote() != null) {
      command.add("-e");
      command.add(remoteShell());
    }
    command.addAll(mapped.args());
    Map<String, String> env = Map.of("HOME", sandbox.resolve(Sandbox.HOME).toString());
    try {
      return new ExternalProcess(command, sandbox.resolve(Sandbox.HOME), env)
          .run(null, call.out(), call.err(), hostPaths::toNodePaths);
    } finally {
      sandbox.changed();
    }
  }

  /** The arguments with operands mapped, the remote node if any, or the status of a failure already printed. */
  private record Mapped(List<String> args, LabSeed.Node remote, int failure) {}

  private Mapped map(Invocation call, List<String> args) throws IOException, InterruptedException {
    List<Integer> operands = RsyncOptions.operands(args);
    List<String> mapped = new ArrayList<>(args);
    LabSeed.Node remote = null;
    for (int i : operands) {
      Optional<RemoteOperand> operand;
      try {
        operand = RemoteOperand.parse(args.get(i));
      } catch (RemoteOperand.DaemonForm e) {
        return failed(usageError(call, "rsync: rsync daemons (HOST::MODULE, rsync://) are not available in the lab"));
      }
      if (operand.isEmpty()) {
        mapped.set(i, sandbox.argument(args.get(i)));
        continue;
      }
      boolean destination = i == operands.get(operands.size() - 1) && operands.size() > 1;
      Optional<LabSeed.Node> node = node(operand.get().host());
      if (node.isEmpty()) {
        return failed(unreachable(call, operand.get().host(), destination));
      }
      if (remote != null && (destination || !remote.equals(node.get()))) {
        return failed(usageError(call, "The source and destination cannot both be remote."));
      }
      remote = node.get();
      mapped.set(i, operand.get().user() + "@" + remote.ip() + ":" + operand.get().path());
    }
    return new Mapped(mapped, remote, -1);
  }

  private static Mapped failed(int status) {
    return new Mapped(List.of(), null, status);
  }

  /** The OpenSSH command line rsync uses as its remote shell, in rsync's own quoting. */
  private String remoteShell() {
    List<String> ssh = List.of(props.sshBinary(), "-F", "/dev/null", "-p", String.valueOf(sshPort.getAsInt()),
        "-i", props.clientKey().toAbsolutePath().toString(),
        "-o", "UserKnownHostsFile=" + props.knownHosts().toAbsolutePath(),
        "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
        "-o", "ConnectTimeout=10");
    return ssh.stream().map(RsyncCommand::quote).collect(Collectors.joining(" "));
  }

  private static String quote(String word) {
    if (word.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\'' || c == '"')) {
      return word;
    }
    return word.indexOf('\'') < 0 ? "'" + word + "'" : "\"" + word + "\"";
  }

  private Optional<LabSeed.Node> node(String host) {
    return nodes.stream().filter(n -> n.name().equals(host) || n.ip().equals(host)).findFirst();
  }

  private int unreachable(Invocation call, String host, boolean destination) throws IOException, InterruptedException {
    boolean ip = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    call.err(ip ? "ssh: connect to host " + host + " port 22: Connection refused"
        : "ssh: Could not resolve hostname " + host + ": Name or service not known");
    String role = destination ? "sender" : "Receiver";
    call.err("rsync: connection unexpectedly closed (0 bytes received so far) [" + role + "]");
    call.err("rsync error: unexplained error (code 255) at io.c(285) [" + role + "=" + version() + "]");
    return 255;
  }

  private int usageError(Invocation call, String message) throws IOException, InterruptedException {
    call.err(message);
    call.err("rsync error: syntax or usage error (code 1) at main.c(1886) [client=" + version() + "]");
    return 1;
  }

  /** The version of the real rsync, as its error lines name it. */
  private String version() throws IOException, InterruptedException {
    if (version == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new ExternalProcess(List.of(props.rsyncBinary(), "--version"), sandbox.root(), Map.of())
          .run(null, out, OutputStream.nullOutputStream(), null);
      String[] words = out.toString(StandardCharsets.UTF_8).trim().split("\\s+");
      version = words.length > 2 ? words[2] : "3";
    }
    return version;
  }
}
