package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code mount [-a] [-t fuse.glusterfs]} and {@code umount -a [-t fuse.glusterfs] | umount DIR} on
 * a host whose fstab lists every GlusterFS volume (hypervisors). {@code mount -a} mounts the
 * volumes not yet mounted (exit 32 when one fails: not started, no server answers); without
 * {@code -a} it lists the mounted ones as mount does.
 */
final class Mounts {

  private static final String TYPE = "fuse.glusterfs";
  private static final String OPTIONS =
      "(rw,relatime,user_id=0,group_id=0,default_permissions,allow_other,max_read=131072)";

  private final VmPlatform platform;
  private final String host;
  private final boolean hypervisor;

  Mounts(VmPlatform platform, String host, boolean hypervisor) {
    this.platform = platform;
    this.host = host;
    this.hypervisor = hypervisor;
  }

  int mount(Invocation call) throws IOException {
    List<String> args = call.args();
    String type = type(args);
    if (type != null && !type.equals(TYPE)) {
      return 0;
    }
    if (!args.contains("-a")) {
      for (String volume : platform.read(p -> p.mounts(host))) {
        VmClusterSeed.Volume v = platform.seedVolume(volume);
        call.out(v.bricks().get(0) + ":/" + volume + " on " + v.mountPoint() + " type " + TYPE + " " + OPTIONS);
      }
      return 0;
    }
    int status = 0;
    for (VmClusterSeed.Volume v : hypervisor ? platform.seed().volumes() : List.<VmClusterSeed.Volume>of()) {
      Optional<String> failure = platform.change(p -> p.mount(host, v.name()));
      if (failure.isPresent()) {
        call.err("Mount failed. Check the log file  for more details.");
        status = 32;
      }
    }
    return status;
  }

  int umount(Invocation call) throws IOException {
    List<String> args = call.args();
    String type = type(args);
    if (args.contains("-a")) {
      if (type == null || type.equals(TYPE)) {
        platform.change(p -> {
          p.unmountAll(host);
          return null;
        });
      }
      return 0;
    }
    List<String> targets = args.stream().filter(a -> !a.startsWith("-") && !a.equals(type)).toList();
    if (targets.isEmpty()) {
      return call.fail(1, "bad usage");
    }
    int status = 0;
    for (String target : targets) {
      Optional<VmClusterSeed.Volume> mounted = platform.read(p -> p.mounts(host)).stream().map(platform::seedVolume)
          .filter(v -> v.mountPoint().equals(target) || (v.bricks().get(0) + ":/" + v.name()).equals(target)).findFirst();
      if (mounted.isEmpty()) {
        call.err("umount: " + target + ": not mounted.");
        status = 32;
        continue;
      }
      platform.change(p -> {
        p.unmount(host, mounted.get().name());
        return null;
      });
    }
    return status;
  }

  private static String type(List<String> args) {
    int t = args.indexOf("-t");
    return t >= 0 && t + 1 < args.size() ? args.get(t + 1) : null;
  }
}
