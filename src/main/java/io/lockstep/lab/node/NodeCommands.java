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
      HostPaths hostPaths, Clock clock) {}

  static NodeCommands forNode(LabSeed.Node node, Sandbox sandbox, Units units, Platform platform) {
    NodeCommands c = new NodeCommands();
    FileCommands files = new FileCommands(sandbox);
    Basics basics = new Basics(node.name());
    TestCommand test = new TestCommand(sandbox);
    c.add("/usr/bin/systemctl", new Systemctl(node.name(), units, platform.cluster(), new UnitStatus(platform.clock())));
    c.add("/usr/bin/rsync", new RsyncCommand(sandbox, platform.seed().nodes(), platform.props(), platform.sshPort(),
        platform.hostPaths()));
    c.add("/usr/bin/df", new Df(sandbox, platform.seed().platform().disk().toBytes()));
    c.add("/usr/bin/du", new Du(sandbox));
    c.add("/usr/bin/ls", new Ls(sandbox, platform.clock()));
    c.add("/usr/bin/find", new Find(sandbox));
    c.add("/usr/bin/mkdir", files::mkdir);
    c.add("/usr/bin/sha256sum", files::sha256sum);
    c.add("/usr/bin/cat", files::cat);
    c.add("/usr/bin/tee", files::tee);
    c.add("/usr/bin/chmod", files::chmod);
    c.add("/usr/bin/echo", basics::echo);
    c.add("/usr/bin/hostname", basics::hostname);
    c.add("/usr/bin/uname", basics::uname);
    c.add("/usr/bin/sleep", basics::sleep);
    c.add("/usr/bin/timeout", new Timeout(c::find));
    c.add("/usr/bin/true", call -> 0);
    c.add("/usr/bin/false", call -> 1);
    c.add("/usr/bin/test", test);
    c.add("/usr/bin/[", test);
    c.add("/usr/bin/which", c::which);
    c.commands.put("command", c::commandV);
    if (node.master() || node.newNode()) {
      c.add("/usr/local/bin/proton-cli", new ProtonCli(sandbox, platform.cluster()));
      c.add("/usr/local/bin/helm3", new Helm3(platform.cluster()));
      c.add("/usr/bin/kubectl", new Kubectl("kubectl", platform.props().kubeconfig(), sandbox, platform.hostPaths()));
    }
    return c;
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
