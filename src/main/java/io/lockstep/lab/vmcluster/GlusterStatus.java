package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import java.io.IOException;
import java.util.List;

/**
 * {@code gluster volume status [VOL|all] [clients]} and {@code gluster volume heal VOL [info]}.
 * Clients of a brick are its connected fuse mounts and the self-heal daemons of the servers,
 * shown as {@code IP:PORT} as gluster shows them. Heal entries appear after a volume start and are
 * cleared a moment after {@code heal VOL} is run.
 */
final class GlusterStatus {

  private static final String LINE = "------------------------------------------------------------------------------";

  private final VmClusterLab lab;
  private final String host;

  GlusterStatus(VmClusterLab lab, String host) {
    this.lab = lab;
    this.host = host;
  }

  int status(Invocation call, List<String> rest) throws IOException {
    String which = rest.isEmpty() ? "all" : rest.get(0);
    boolean clients = rest.contains("clients");
    List<VmClusterSeed.Volume> volumes = lab.platform().seed().volumes().stream()
        .filter(v -> which.equals("all") || v.name().equals(which)).toList();
    if (volumes.isEmpty()) {
      call.err("Volume " + which + " does not exist");
      return 1;
    }
    int status = 0;
    for (VmClusterSeed.Volume v : volumes) {
      if (!lab.platform().read(p -> p.started(v.name()))) {
        call.err("Volume " + v.name() + " is not started");
        status = which.equals("all") ? status : 1;
        continue;
      }
      if (clients) {
        clients(call, v);
      } else {
        processes(call, v);
      }
    }
    return status;
  }

  private void clients(Invocation call, VmClusterSeed.Volume v) throws IOException {
    call.out("Client connections for volume " + v.name());
    call.out("----------------------------------------------");
    for (String brick : v.bricks()) {
      if (!lab.platform().read(p -> p.brickOnline(v.name(), brick))) {
        continue;
      }
      List<VmPlatform.Client> clients = lab.platform().read(p -> p.clients(v.name()));
      call.out("Brick : " + brick + ":" + VmClusterSeed.Volume.brickPath(v.name()));
      call.out("Clients connected : " + clients.size());
      call.out(String.format("%-56s%-13s%-16s%s", "Hostname", "BytesRead", "BytesWritten", "OpVersion"));
      call.out(String.format("%-56s%-13s%-16s%s", "--------", "---------", "------------", "---------"));
      for (VmPlatform.Client c : clients) {
        int port = c.kind().equals("self-heal") ? 1023 - index(c.host()) : 1000 - index(c.host());
        long read = 1000L * (index(c.host()) + 7);
        call.out(String.format("%-56s%-13d%-16d%d", lab.ip(c.host()) + ":" + port, read, read / 2, 70200));
      }
      call.out("----------------------------------------------");
    }
  }

  private void processes(Invocation call, VmClusterSeed.Volume v) throws IOException {
    call.out("Status of volume: " + v.name());
    call.out(String.format("%-52s%-10s%-11s%-8s%s", "Gluster process", "TCP Port", "RDMA Port", "Online", "Pid"));
    call.out(LINE);
    for (String brick : v.bricks()) {
      boolean online = lab.platform().read(p -> p.brickOnline(v.name(), brick));
      call.out(String.format("%-52s%-10s%-11s%-8s%s", "Brick " + brick + ":" + VmClusterSeed.Volume.brickPath(v.name()),
          online ? "49152" : "N/A", "0", online ? "Y" : "N", online ? String.valueOf(4000 + index(brick)) : "N/A"));
    }
    for (String brick : v.bricks()) {
      boolean shd = lab.platform().read(p -> p.on(brick) && p.procs(brick).contains("glustershd"));
      String where = brick.equals(host) ? "localhost" : brick;
      call.out(String.format("%-52s%-10s%-11s%-8s%s", "Self-heal Daemon on " + where, "N/A", "N/A",
          shd ? "Y" : "N", shd ? String.valueOf(5000 + index(brick)) : "N/A"));
    }
    call.out(" ");
    call.out("Task Status of Volume " + v.name());
    call.out(LINE);
    call.out("There are no active volume tasks");
    call.out(" ");
  }

  int heal(Invocation call, List<String> rest) throws IOException {
    String volume = rest.get(0);
    boolean info = rest.size() > 1 && rest.get(1).equals("info");
    if (!lab.platform().read(p -> p.started(volume))) {
      if (info) {
        call.err("Volume " + volume + " is not started.");
      } else {
        call.out("Launching heal operation to perform index self heal on volume " + volume + " has been unsuccessful:");
        call.out("Volume " + volume + " is not started.");
      }
      return info ? 2 : 1;
    }
    if (!info) {
      lab.platform().change(p -> {
        p.heal(volume);
        return null;
      });
      call.out("Launching heal operation to perform index self heal on volume " + volume + " has been successful ");
      call.out("Use heal info commands to check status.");
      return 0;
    }
    for (String brick : lab.platform().seedVolume(volume).bricks()) {
      call.out("Brick " + brick + ":" + VmClusterSeed.Volume.brickPath(volume));
      if (!lab.platform().read(p -> p.brickOnline(volume, brick))) {
        call.out("Status: Transport endpoint is not connected");
        call.out("Number of entries: -");
      } else {
        int pending = lab.platform().read(p -> p.pending(volume, brick));
        for (int i = 0; i < pending; i++) {
          call.out("<gfid:" + Gluster.uuid("entry-" + i, volume + brick) + ">");
        }
        call.out("Status: Connected");
        call.out("Number of entries: " + pending);
      }
      call.out("");
    }
    return 0;
  }

  private int index(String host) {
    return lab.platform().seed().hosts().indexOf(lab.platform().seed().hostNamed(host));
  }
}
