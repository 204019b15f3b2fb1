package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.NodeCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The commands a host of the VM management cluster has beyond the basic ones, by role: the
 * hypervisors run fleet and GlusterFS and the cluster tools; the islet workers run fleet; the
 * bastion holds the IPMI tool. Every host has mount and umount (a workstation may mount a volume by
 * hand: a GlusterFS client outside the cluster), systemctl, pkill, fping and poweroff (which the
 * bastion refuses: it stays up); poweroff starts the OS's shutdown, which takes the seed's
 * shutdown time before the host is off.
 */
final class HostCommands {

  private HostCommands() {}

  static Map<String, NodeCommand> of(VmClusterSeed.Host host, VmClusterLab lab) {
    Map<String, NodeCommand> c = new LinkedHashMap<>();
    String name = host.name();
    Groups groups = new Groups(lab, name);
    c.put("/usr/bin/systemctl", call -> new HostSystemctl(lab.platform(), name).run(call));
    c.put("/usr/bin/pkill", call -> new Pkill(lab.platform(), name).run(call));
    c.put("/usr/sbin/fping", new Fping(lab));
    c.put("/usr/sbin/poweroff", call -> {
      if (host.bastion()) {
        return call.fail(1, "the lab's bastion stays up");
      }
      lab.shutdown(name);
      return 0;
    });
    if (!host.bastion()) {
      c.put("/usr/bin/fleetctl", new Fleetctl(lab, name));
    }
    c.put("/usr/bin/mount", call -> new Mounts(lab, name, host.hypervisor()).mount(call));
    c.put("/usr/bin/umount", call -> new Mounts(lab, name, host.hypervisor()).umount(call));
    if (host.hypervisor() || host.bastion()) {
      c.put("/usr/bin/clush", new Clush(lab, groups));
      c.put("/usr/bin/nodeset", new Nodeset(groups));
    }
    if (host.hypervisor()) {
      c.put("/usr/sbin/gluster", new Gluster(lab, name));
    }
    if (host.role().equals("top") || host.bastion()) {
      c.put("/usr/sbin/nodectrl", new Nodectrl(lab, groups));
    }
    if (host.bastion()) {
      c.put("/usr/bin/ipmitool", new Ipmitool(lab, name));
    }
    return c;
  }
}
