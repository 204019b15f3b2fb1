package io.lockstep.vmsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.sshsteps.RemoteCapture;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * {@code gluster.volumes}: stops, starts or heals GlusterFS volumes from one server, one volume
 * after the other, each checked: {@code stop} ({@code gluster --mode=script volume stop VOL}) and
 * {@code start} end when {@code gluster volume info VOL} says Stopped or Started (a volume already
 * there is left alone, so the step can run again); {@code heal} runs {@code gluster volume heal VOL}
 * and waits until {@code heal VOL info} shows every brick connected with no entry left (P5
 * shutdown step 6, startup step 3).
 */
@Component
class GlusterVolumes implements StepExecutor {

  static final String TYPE = "gluster.volumes";
  static final Duration POLL = Duration.ofSeconds(1);
  private static final Pattern STATUS = Pattern.compile("(?m)^Status:\\s*(\\S+)\\s*$");
  private static final Pattern ENTRIES = Pattern.compile("(?m)^Number of entries:\\s*(\\S+)\\s*$");

  private final RemoteCapture remote;

  GlusterVolumes(RemoteCapture remote) {
    this.remote = remote;
  }

  record Params(String on, List<String> volumes, String action) {}

  static Params params(Map<String, ?> values) {
    VmParams p = VmParams.of(TYPE, values, "on", "volumes", "action");
    return new Params(p.host("on"), p.names("volumes").orElseThrow(() -> p.invalid("volumes", "is missing")),
        p.choice("action", "stop", "start", "heal"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(30);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Params p = params(params);
    return StepPreview.of(p.volumes().stream().map(v -> switch (p.action()) {
      case "stop" -> Line.of("preview.vm.gluster.stop", "on {0}: {1}, until volume info says Stopped", p.on(),
          "gluster --mode=script volume stop " + v);
      case "start" -> Line.of("preview.vm.gluster.start", "on {0}: {1}, until volume info says Started", p.on(),
          "gluster volume start " + v);
      default -> Line.of("preview.vm.gluster.heal", "on {0}: {1}, then {2} until no brick has an entry left", p.on(),
          "gluster volume heal " + v, "heal " + v + " info");
    }).toList());
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Params p = params(context.params());
    for (String volume : p.volumes()) {
      switch (p.action()) {
        case "stop" -> change(context, p.on(), volume, "Stopped",
            RemoteCommand.of("gluster", "--mode=script", "volume", "stop", volume));
        case "start" -> change(context, p.on(), volume, "Started", RemoteCommand.of("gluster", "volume", "start", volume));
        default -> heal(context, p.on(), volume);
      }
    }
    String volumes = String.join(", ", p.volumes());
    return context.said(switch (p.action()) {
      case "stop" -> Line.of("summary.gluster.stopped", "{0} volumes stopped: {1}", p.volumes().size(), volumes);
      case "start" -> Line.of("summary.gluster.started", "{0} volumes started: {1}", p.volumes().size(), volumes);
      default -> Line.of("summary.gluster.healed", "{0} volumes healed: {1}", p.volumes().size(), volumes);
    });
  }

  private String status(StepContext context, String on, String volume) throws InterruptedException {
    RemoteCapture.Output info = remote.look(context, on, RemoteCommand.of("gluster", "volume", "info", volume),
        FleetUnits.COMMAND).required("gluster volume info " + volume);
    Matcher m = STATUS.matcher(info.out());
    if (!m.find()) {
      throw new StepFailedException("gluster volume info " + volume + " on " + on + " gives no Status line");
    }
    return m.group(1);
  }

  private void change(StepContext context, String on, String volume, String wanted, RemoteCommand command)
      throws InterruptedException {
    if (status(context, on, volume).equals(wanted)) {
      context.info("volume " + volume + " is " + wanted + " already");
      return;
    }
    RemoteCapture.Output out = remote.run(context, on, command, FleetUnits.COMMAND);
    out.outLines().forEach(line -> context.out(on, line));
    out.err().lines().forEach(line -> context.err(on, line));
    while (!status(context, on, volume).equals(wanted)) {
      if (out.status() != 0) {
        throw new StepFailedException("gluster could not make volume " + volume + " " + wanted + ": " + out.described());
      }
      Thread.sleep(POLL.toMillis());
    }
    context.info("volume " + volume + " is " + wanted);
  }

  private void heal(StepContext context, String on, String volume) throws InterruptedException {
    RemoteCapture.Output launched = remote.run(context, on, RemoteCommand.of("gluster", "volume", "heal", volume),
        FleetUnits.COMMAND).required("gluster volume heal " + volume);
    launched.outLines().forEach(line -> context.out(on, line));
    WaitLog log = new WaitLog(context, false);
    while (true) {
      RemoteCapture.Output info = remote.look(context, on, RemoteCommand.of("gluster", "volume", "heal", volume, "info"),
          FleetUnits.COMMAND).required("gluster volume heal " + volume + " info");
      List<String> pending = pending(info.out());
      if (pending.isEmpty()) {
        context.info("volume " + volume + ": every brick connected, no entry to heal");
        return;
      }
      log.say(() -> "volume " + volume + " still healing: " + String.join("; ", pending));
      Thread.sleep(POLL.toMillis());
    }
  }

  /** What keeps heal info from being clean: bricks with entries, or not connected; empty when clean. */
  static List<String> pending(String info) {
    List<String> pending = new ArrayList<>();
    String brick = "?";
    String status = "";
    boolean any = false;
    for (String line : info.lines().toList()) {
      if (line.startsWith("Brick ")) {
        brick = line.substring("Brick ".length()).strip();
        any = true;
      } else if (line.startsWith("Status:")) {
        status = line.substring("Status:".length()).strip();
      } else {
        Matcher m = ENTRIES.matcher(line);
        if (m.matches()) {
          if (!status.equals("Connected")) {
            pending.add(brick + " " + status);
          } else if (!m.group(1).equals("0")) {
            pending.add(brick + " " + m.group(1) + " entries");
          }
        }
      }
    }
    if (!any) {
      pending.add("heal info lists no brick");
    }
    return pending;
  }
}
