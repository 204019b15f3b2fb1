package io.lockstep.lab.node;

import io.lockstep.lab.LabCluster;
import io.lockstep.lab.LabProperties;
import io.lockstep.lab.LabSeed;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The commands one lab node offers, each under its name and its location on a real node
 * ({@code /usr/bin/systemctl}), so {@code which}, {@code command -v} and absolute command names
 * work. Master nodes and the nodes marked {@code new: true} in the seed also have {@code
 * proton-cli}, {@code helm3} and {@code kubectl}: P1's preparation (phase 1) installs those tools
 * on every new node, because a new node runs proton-cli once the old masters are gone (phase 13).
 * On other nodes they are "command not found", as on a real worker.
 */
final class NodeCommands {

  private final Map<String, NodeCommand> commands = new LinkedHashMap<>();
  private final Map<String, String> locations = new LinkedHashMap<>();

  /** Everything a node's commands need besides the node itself. */
  record Platform(LabSeed seed, LabProperties props, LabCluster cluster, IntSupplier sshPort,
      HostPaths hostPaths, Clock clock, java.util.function.Function<String, Optional<java.time.Instant>> etcdStartedAt,
      java.util.function.Supplier<java.time.Duration> etcdStartDelay) {}

  static NodeCommands forNode(LabSeed.Node node, Sandbox sandbox, Units units, Platform platform) {
    NodeCommands c = new NodeCommands();
    c.add("/usr/bin/systemctl", new Systemctl(node.name(), units, platform.cluster(), new UnitStatus(platform.clock())));
    c.add("/usr/bin/rsync", new RsyncCommand(sandbox, platform.seed().nodes(), platform.props(), platform.sshPort(),
        platform.hostPaths()));
    c.add("/usr/bin/df", new Df(sandbox, platform.seed().platform().disk().toBytes()));
    c.add("/usr/bin/du", new Du(sandbox));
    c.add("/usr/bin/find", new Find(sandbox));
    c.add("/usr/bin/sha256sum", new FileCommands(sandbox)::sha256sum);
    c.basics(node.name(), sandbox, platform.clock());
    if (node.etcd()) {
      c.add("/usr/local/bin/etcdctl", new Etcdctl(node, platform.seed().etcdNodes(), sandbox,
          platform.cluster()::etcdActive, new Etcdctl.Settling(platform.etcdStartedAt(),
              platform.etcdStartDelay(), platform.clock())));
    }
    if (node.master() || node.newNode()) {
      c.add("/usr/local/bin/proton-cli", new ProtonCli(sandbox, platform.cluster()));
      c.add("/usr/local/bin/helm3", new Helm3(platform.cluster()));
      c.add("/usr/bin/kubectl", new Kubectl("kubectl", platform.props().kubeconfig(), sandbox, platform.hostPaths()));
    }
    return c;
  }

  /**
   * The commands of a lab host outside the Proton cluster (see {@link LabHosts}): the basic ones
   * every Linux machine has, plus {@code extra} (location to command) from the host's platform.
   */
  static NodeCommands forHost(String hostname, Sandbox sandbox, Map<String, NodeCommand> extra, Clock clock) {
    NodeCommands c = new NodeCommands();
    c.basics(hostname, sandbox, clock);
    extra.forEach(c::add);
    return c;
  }

  /** What every Linux machine of the lab has: files, echo, hostname, sleep, timeout, test, which… */
  private void basics(String hostname, Sandbox sandbox, Clock clock) {
    FileCommands files = new FileCommands(sandbox);
    Basics basics = new Basics(hostname);
    TestCommand test = new TestCommand(sandbox);
    add("/usr/bin/ls", new Ls(sandbox, clock));
    add("/usr/bin/mkdir", files::mkdir);
    add("/usr/bin/cat", files::cat);
    add("/usr/bin/tee", files::tee);
    add("/usr/bin/chmod", files::chmod);
    add("/usr/bin/echo", basics::echo);
    add("/usr/bin/hostname", basics::hostname);
    add("/usr/bin/uname", basics::uname);
    add("/usr/bin/sleep", basics::sleep);
    add("/usr/bin/timeout", new Timeout(this::find));
    add("/usr/bin/true", call -> 0);
    add("/usr/bin/false", call -> 1);
    add("/usr/bin/test", test);
    add("/usr/bin/[", test);
    add("/usr/bin/which", this::which);
    commands.put("command", this::commandV);
  }

  private void add(String location, NodeCommand command) {
    String name = baseName(location);
    commands.put(name, command);
    locations.put(name, location);
  }

  /** The command a name ({@code rsync}) or an absolute location ({@code /usr/bin/rsync}) stands for. */
  Optional<NodeCommand> find(String nameOrLocation) {
    String name = baseName(nameOrLocation);
    if (nameOrLocation.contains("/") && !nameOrLocation.equals(locations.get(name))) {
      return Optional.empty();
    }
    return Optional.ofNullable(commands.get(name));
  }

  static String baseName(String nameOrLocation) {
    return nameOrLocation.substring(nameOrLocation.lastIndexOf('/') + 1);
  }

  /** bash's builtin {@code command -v NAME…}: the location of each command, silent about missing ones. */
  private int commandV(Invocation call) throws IOException {
    List<String> args = call.args();
    if (args.isEmpty() || !args.get(0).equals("-v")) {
      return call.fail(2, "the lab shell supports only command -v NAME");
    }
    int status = 0;
    for (String name : args.subList(1, args.size())) {
      String location = locations.get(name);
      if (location == null) {
        status = 1;
      } else {
        call.out(location);
      }
    }
    return status;
  }

  /** {@code which NAME…}: the location of each command; exit 1 when one is missing. */
  private int which(Invocation call) throws IOException {
    int status = 0;
    List<String> names = call.args();
    for (String name : names) {
      String location = locations.get(name);
      if (location == null) {
        call.err("which: no " + name + " in (/usr/local/bin:/usr/bin:/usr/sbin)");
        status = 1;
      } else {
        call.out(location);
      }
    }
    return status;
  }
}
