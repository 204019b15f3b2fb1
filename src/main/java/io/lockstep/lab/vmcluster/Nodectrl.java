package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code nodectrl poweron|poweroff|status NODESET}: the site's wrapper around the BMCs (IPMI with
 * the credentials it keeps), one line per node: {@code iw1: Chassis Power Control: Up/On},
 * {@code iw1: Chassis Power is on}. Exit 1 for a node without a BMC.
 */
final class Nodectrl implements NodeCommand {

  private final VmClusterLab lab;
  private final Groups groups;

  Nodectrl(VmClusterLab lab, Groups groups) {
    this.lab = lab;
    this.groups = groups;
  }

  @Override
  public int run(Invocation call) throws IOException {
    List<String> args = call.args();
    if (args.size() != 2 || !List.of("poweron", "poweroff", "status").contains(args.get(0))) {
      return call.fail(1, "usage: nodectrl poweron|poweroff|status NODESET");
    }
    Set<String> nodes;
    try {
      nodes = NodeSets.parse(args.get(1), groups::resolve);
    } catch (NodeSets.GroupException e) {
      return call.fail(1, e.getMessage());
    }
    String action = switch (args.get(0)) {
      case "poweron" -> "on";
      case "poweroff" -> "soft";
      default -> "status";
    };
    int status = 0;
    for (String node : nodes) {
      if (lab.platform().seed().host(node).filter(VmClusterSeed.Host::managed).isEmpty()) {
        call.err("nodectrl: " + node + ": no BMC known for this node");
        status = 1;
        continue;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Invocation one = new Invocation("nodectrl", List.of(), InputStream.nullInputStream(), out, call.err());
      status = Math.max(status, Ipmitool.power(one, lab, node, action));
      for (String line : out.toString(StandardCharsets.UTF_8).lines().toList()) {
        call.out(node + ": " + line);
      }
    }
    return status;
  }
}
