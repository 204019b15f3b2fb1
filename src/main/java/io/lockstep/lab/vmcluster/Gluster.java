package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The GlusterFS CLI: {@code gluster [--mode=script] peer status | pool list | volume list |
 * volume info [VOL|all] | volume status [VOL|all] [clients] | volume start VOL | volume stop VOL
 * | volume heal VOL [info]}, with gluster's messages. Fails ("Connection failed…", exit 1) while
 * glusterd on this host is not running. {@code volume stop} asks for confirmation on stdin unless
 * {@code --mode=script}; it stops a volume that still has clients, as real gluster does.
 */
final class Gluster implements NodeCommand {

  static final String STOP_QUESTION = "Stopping volume will make its data inaccessible. Do you want to continue? (y/n) ";

  private final VmClusterLab lab;
  private final String host;

  Gluster(VmClusterLab lab, String host) {
    this.lab = lab;
    this.host = host;
  }

  @Override
  public int run(Invocation call) throws IOException {
    boolean script = false;
    List<String> words = new ArrayList<>();
    for (String a : call.args()) {
      if (a.equals("--mode=script")) {
        script = true;
      } else {
        words.add(a);
      }
    }
    if (!lab.platform().read(p -> p.glusterdUp(host))) {
      call.err("Connection failed. Please check if gluster daemon is operational.");
      return 1;
    }
    String command = String.join(" ", words.subList(0, Math.min(2, words.size())));
    List<String> rest = words.subList(Math.min(2, words.size()), words.size());
    return switch (command) {
      case "peer status" -> peerStatus(call);
      case "pool list" -> poolList(call);
      case "volume list" -> volumeList(call);
      case "volume info" -> volumeInfo(call, rest);
      case "volume status" -> new GlusterStatus(lab, host).status(call, rest);
      case "volume start" -> volume(call, rest, "start") ? start(call, rest.get(0)) : 1;
      case "volume stop" -> volume(call, rest, "stop") ? stop(call, rest.get(0), script) : 1;
      case "volume heal" -> volume(call, rest, "heal") ? new GlusterStatus(lab, host).heal(call, rest) : 1;
      default -> {
        call.err("unrecognized word: " + (words.isEmpty() ? "" : words.get(words.size() - 1)) + " (position 0)");
        yield 1;
      }
    };
  }

  /** The pool's members other than this host: every host with glusterd. */
  private List<VmClusterSeed.Host> peers() {
    return lab.platform().seed().hosts().stream()
        .filter(h -> !h.name().equals(host) && lab.platform().hasUnit(h.name(), "glusterd")).toList();
  }

  private int peerStatus(Invocation call) throws IOException {
    List<VmClusterSeed.Host> peers = peers();
    call.out("Number of Peers: " + peers.size());
    for (VmClusterSeed.Host peer : peers) {
      boolean up = lab.platform().read(p -> p.glusterdUp(peer.name()));
      call.out("");
      call.out("Hostname: " + peer.name());
      call.out("Uuid: " + uuid("peer", peer.name()));
      call.out("State: Peer in Cluster (" + (up ? "Connected" : "Disconnected") + ")");
    }
    return 0;
  }

  private int poolList(Invocation call) throws IOException {
    call.out("UUID\t\t\t\t\tHostname \tState");
    for (VmClusterSeed.Host peer : peers()) {
      boolean up = lab.platform().read(p -> p.glusterdUp(peer.name()));
      call.out(uuid("peer", peer.name()) + "\t" + peer.name() + " \t" + (up ? "Connected " : "Disconnected "));
    }
    call.out(uuid("peer", host) + "\tlocalhost\tConnected ");
    return 0;
  }

  private int volumeList(Invocation call) throws IOException {
    for (VmClusterSeed.Volume v : lab.platform().seed().volumes()) {
      call.out(v.name());
    }
    return 0;
  }

  private int volumeInfo(Invocation call, List<String> rest) throws IOException {
    String which = rest.isEmpty() ? "all" : rest.get(0);
    List<VmClusterSeed.Volume> volumes = lab.platform().seed().volumes().stream()
        .filter(v -> which.equals("all") || v.name().equals(which)).toList();
    if (volumes.isEmpty()) {
      call.err("Volume " + which + " does not exist");
      return 1;
    }
    for (VmClusterSeed.Volume v : volumes) {
      boolean started = lab.platform().read(p -> p.started(v.name()));
      call.out("");
      call.out("Volume Name: " + v.name());
      call.out("Type: Replicate");
      call.out("Volume ID: " + uuid("volume", v.name()));
      call.out("Status: " + (started ? "Started" : "Stopped"));
      call.out("Snapshot Count: 0");
      call.out("Number of Bricks: 1 x " + v.bricks().size() + " = " + v.bricks().size());
      call.out("Transport-type: tcp");
      call.out("Bricks:");
      for (int i = 0; i < v.bricks().size(); i++) {
        call.out("Brick" + (i + 1) + ": " + v.bricks().get(i) + ":" + VmClusterSeed.Volume.brickPath(v.name()));
      }
      call.out("Options Reconfigured:");
      call.out("cluster.self-heal-daemon: enable");
      call.out("transport.address-family: inet");
      call.out("nfs.disable: on");
    }
    return 0;
  }

  private int start(Invocation call, String volume) throws IOException {
    if (lab.platform().read(p -> p.started(volume))) {
      call.err("volume start: " + volume + ": failed: Volume " + volume + " already started");
      return 1;
    }
    lab.platform().change(p -> {
      p.startVolume(volume);
      return null;
    });
    call.out("volume start: " + volume + ": success");
    return 0;
  }

  private int stop(Invocation call, String volume, boolean script) throws IOException {
    if (!script) {
      call.out().write(STOP_QUESTION.getBytes(StandardCharsets.UTF_8));
      String answer = new BufferedReader(new InputStreamReader(call.in(), StandardCharsets.UTF_8)).readLine();
      if (answer == null || !answer.trim().equalsIgnoreCase("y")) {
        call.out("");
        return 1;
      }
    }
    if (!lab.platform().read(p -> p.started(volume))) {
      call.err("volume stop: " + volume + ": failed: Volume " + volume + " is not in the started state");
      return 1;
    }
    lab.platform().change(p -> {
      p.stopVolume(volume);
      return null;
    });
    call.out("volume stop: " + volume + ": success");
    return 0;
  }

  /** Checks that the volume is named and exists, with gluster's messages. */
  private boolean volume(Invocation call, List<String> rest, String verb) throws IOException {
    if (rest.isEmpty()) {
      call.err("Usage:");
      call.err("volume " + verb + " <VOLNAME>" + (verb.equals("heal") ? " [info]" : ""));
      return false;
    }
    String name = rest.get(0);
    if (lab.platform().seed().volumes().stream().noneMatch(v -> v.name().equals(name))) {
      call.err("volume " + verb + ": " + name + ": failed: Volume " + name + " does not exist");
      return false;
    }
    return true;
  }

  static String uuid(String kind, String name) {
    return UUID.nameUUIDFromBytes((kind + ":" + name).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
