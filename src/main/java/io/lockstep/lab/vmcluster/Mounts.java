package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * {@code mount [-a] [-t fuse.glusterfs]}, {@code mount -t glusterfs SERVER:/VOL DIR} and
 * {@code umount -a [-t fuse.glusterfs] | umount DIR} on a host. On a host whose fstab lists every
 * GlusterFS volume (hypervisors) {@code mount -a} mounts the volumes not yet mounted (exit 32 when
 * one fails: not started, no server answers); elsewhere it has nothing to mount. Without {@code -a}
 * or a source it lists the mounted ones as mount does. A volume mounted by hand (a workstation, say)
 * goes at its mount point, which must exist on the host.
 */
final class Mounts {

  private static final String TYPE = "fuse.glusterfs";
  private static final String OPTIONS =
      "(rw,relatime,user_id=0,group_id=0,default_permissions,allow_other,max_read=131072)";

  private final VmClusterLab lab;
  private final VmPlatform platform;
  private final String host;
  private final boolean hypervisor;

  Mounts(VmClusterLab lab, String host, boolean hypervisor) {
    this.lab = lab;
    this.platform = lab.platform();
    this.host = host;
    this.hypervisor = hypervisor;
  }

  int mount(Invocation call) throws IOException {
    List<String> args = call.args();
    String type = type(args);
    List<String> operands = operands(args);
    if (operands.size() == 2) {
      return mountOne(call, type, operands.get(0), operands.get(1));
    }
    if (!operands.isEmpty()) {
      return call.fail(1, "bad usage: mount [-a] [-t TYPE] | mount -t glusterfs SERVER:/VOLUME DIR");
    }
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

  /** {@code mount -t glusterfs SERVER:/VOL DIR}: the volume at its mount point, as a fuse client. */
  private int mountOne(Invocation call, String type, String source, String dir) throws IOException {
    if (type == null || !(type.equals("glusterfs") || type.equals(TYPE))) {
      return call.fail(32, "the lab mounts GlusterFS volumes only (-t glusterfs)");
    }
    int colon = source.indexOf(":/");
    String server = colon < 0 ? "" : source.substring(0, colon);
    String name = colon < 0 ? "" : source.substring(colon + 2);
    Optional<VmClusterSeed.Volume> volume = platform.seed().volumes().stream().filter(v -> v.name().equals(name))
        .findFirst();
    if (platform.seed().host(server).filter(VmClusterSeed.Host::hypervisor).isEmpty() || volume.isEmpty()) {
      call.err("Mount failed. Check the log file  for more details.");
      return 32;
    }
    if (!java.nio.file.Files.isDirectory(lab.hosts().resolve(host, dir))) {
      return call.fail(32, dir + ": mount point does not exist.");
    }
    if (!dir.equals(volume.get().mountPoint())) {
      return call.fail(32, "the lab mounts " + name + " at " + volume.get().mountPoint() + " only");
    }
    Optional<String> failure = platform.change(p -> p.mount(host, name));
    if (failure.isPresent()) {
      call.err("Mount failed. Check the log file  for more details.");
      return 32;
    }
    return 0;
  }

  /** The arguments that are neither options nor their values. */
  private static List<String> operands(List<String> args) {
    List<String> operands = new java.util.ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("-t") || a.equals("-o")) {
        i++;
      } else if (!a.startsWith("-")) {
        operands.add(a);
      }
    }
    return operands;
  }

  private static String type(List<String> args) {
    int t = args.indexOf("-t");
    return t >= 0 && t + 1 < args.size() ? args.get(t + 1) : null;
  }
}
