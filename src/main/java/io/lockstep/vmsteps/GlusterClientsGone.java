package io.lockstep.vmsteps;

import io.lockstep.procedure.Durations;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.sshsteps.RemoteCapture;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * {@code gluster.clients-gone}: waits until no GlusterFS client is connected to any brick, as
 * {@code gluster volume status all clients} lists them (P5 shutdown step 5: "make sure that there
 * are no GlusterFS clients"). The servers' self-heal daemons show as clients too; the hosts in
 * {@code ignore} (the servers) are therefore left out, as the seed says. Clients still connected
 * after {@code wait} fail the step, named with their hosts: something still uses the volumes, and
 * stopping them now would cut it off.
 *
 * <p>With {@code wait: 0s} it looks once and waits for nothing: a guard before the VMs stop, whose
 * {@code ignore} holds every host the run itself unmounts or shuts down (P5: hypervisors and islet
 * workers), refuses a client mounted anywhere else (a workstation, a compute node), which the run
 * would not unmount and would cut off.
 */
@Component
class GlusterClientsGone implements StepExecutor {

  static final String TYPE = "gluster.clients-gone";
  static final Duration WAIT = Duration.ofMinutes(2);
  private static final Pattern VOLUME = Pattern.compile("^Client connections for volume (\\S+)");
  private static final Pattern CLIENT = Pattern.compile("^(\\d{1,3}(?:\\.\\d{1,3}){3}|[A-Za-z0-9.-]+):\\d+\\s+\\d+.*");

  private final RemoteCapture remote;

  GlusterClientsGone(RemoteCapture remote) {
    this.remote = remote;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(10);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    VmParams p = VmParams.of(TYPE, params, "on", "ignore", "wait");
    Duration wait = p.duration("wait", WAIT);
    String command = "gluster volume status all clients";
    if (wait.isZero()) {
      return StepPreview.of(Line.of("preview.vm.glusterClients.once", "on {0}: {1}, once: a client connected from"
          + " anywhere but {2} fails the step; changes nothing", p.host("on"), command, String.join(", ", p.hosts("ignore"))));
    }
    return StepPreview.of(Line.of("preview.vm.glusterClients.until", "on {0}: {1}, until no client is connected but the"
        + " self-heal daemons of {2}; clients still there after {3} fail the step", p.host("on"), command,
        String.join(", ", p.hosts("ignore")), Durations.format(wait)));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    VmParams p = VmParams.of(TYPE, context.params(), "on", "ignore", "wait");
    String on = p.host("on");
    long until = System.nanoTime() + p.duration("wait", WAIT).toNanos();
    Set<String> ignored = new LinkedHashSet<>();
    for (String host : p.hosts("ignore")) {
      ignored.add(host);
      ignored.add(remote.hostOf(host));
    }
    Duration wait = p.duration("wait", WAIT);
    if (wait.isNegative()) {
      throw p.invalid("wait", "must not be negative");
    }
    context.action(on, wait.isZero() ? "gluster volume status all clients (no client but those of "
        + String.join(", ", p.hosts("ignore")) + ")" : "gluster volume status all clients (until no client is connected)");
    WaitLog log = new WaitLog(context, true);
    while (true) {
      RemoteCapture.Output status = remote.look(context, on, RemoteCommand.of("gluster", "volume", "status", "all",
          "clients"), FleetUnits.COMMAND).required("gluster volume status all clients");
      List<String> clients = clients(status.out(), ignored);
      if (clients.isEmpty()) {
        return context.said(wait.isZero()
            ? Line.of("summary.gluster.noClientsBut", "no GlusterFS client connected but those of {0}",
                String.join(", ", p.hosts("ignore")))
            : Line.of("summary.gluster.noClients", "no GlusterFS client connected (self-heal daemons of {0} ignored)",
                String.join(", ", p.hosts("ignore"))));
      }
      if (wait.isZero()) {
        throw new StepFailedException("GlusterFS clients connected from outside " + String.join(", ", p.hosts("ignore"))
            + ": " + clients.stream().map(this::named).collect(java.util.stream.Collectors.joining(", "))
            + "; this run does not unmount them and stopping the volumes would cut them off: unmount them before any"
            + " VM stops; nothing was changed");
      }
      if (System.nanoTime() >= until) {
        throw new StepFailedException("GlusterFS clients still connected after " + Durations.format(p.duration("wait", WAIT)) + ": "
            + clients.stream().map(this::named).collect(java.util.stream.Collectors.joining(", "))
            + "; unmount them before the volumes stop");
      }
      log.say(() -> "GlusterFS clients still connected: " + String.join(", ", clients));
      Thread.sleep(GlusterVolumes.POLL.toMillis());
    }
  }

  /** {@code volspoms1: 127.0.20.5 (worker2)}: the host's name added when it is a configured host. */
  private String named(String client) {
    String address = client.substring(client.indexOf(": ") + 2);
    return client + remote.hostAt(address).map(h -> " (" + h + ")").orElse("");
  }

  /** {@code volume: address} of every connected client whose address is not ignored. */
  static List<String> clients(String listing, Set<String> ignored) {
    Set<String> found = new LinkedHashSet<>();
    String volume = "?";
    for (String line : listing.lines().toList()) {
      Matcher v = VOLUME.matcher(line);
      if (v.find()) {
        volume = v.group(1);
        continue;
      }
      Matcher c = CLIENT.matcher(line.strip());
      if (c.matches() && !ignored.contains(c.group(1))) {
        found.add(volume + ": " + c.group(1));
      }
    }
    return List.copyOf(found);
  }
}
