package io.lockstep.vmsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.sshsteps.RemoteCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code fleet.record-vms}: keeps the names of the VMs running now with the run (P5 shutdown step
 * 1), so that the startup starts exactly those again, however long the cluster was down. The list
 * is recorded once: a rerun after a crash, when some VMs are already stopped, keeps the first list.
 */
@Component
class FleetRecordVms implements StepExecutor {

  static final String TYPE = "fleet.record-vms";

  private final RemoteCapture remote;

  FleetRecordVms(RemoteCapture remote) {
    this.remote = remote;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    String on = VmParams.of(TYPE, params, "on").host("on");
    return StepPreview.of(Line.of("preview.vm.fleetRecord", "on {0}: {1}; keep the running pcocc-vm-NAME units with the"
        + " run (once: a rerun keeps the first list)", on, "fleetctl list-units --fields unit,machine,sub --no-legend"));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    String on = VmParams.of(TYPE, context.params(), "on").host("on");
    context.action(on, "fleetctl list-units --fields unit,machine,sub --no-legend");
    List<String> running = FleetUnits.list(remote, context, on).values().stream()
        .filter(FleetUnits.Vm::running).map(FleetUnits.Vm::name).toList();
    if (running.isEmpty()) {
      throw new StepFailedException("fleet on " + on + " lists no running VM: is fleet up, and are the VMs still running?");
    }
    if (context.undo().recordOnce(FleetUnits.RECORD, String.join("\n", running))) {
      context.info("recorded " + running.size() + " running VMs: " + String.join(", ", running));
      return context.said(Line.of("summary.fleet.recorded", "recorded {0} running VMs: {1}", running.size(),
          String.join(", ", running)));
    }
    List<String> kept = FleetUnits.recorded(context);
    context.info("the run recorded its VMs before; kept that list (" + kept.size() + "): " + String.join(", ", kept)
        + "; running now: " + String.join(", ", running));
    return context.said(Line.of("summary.fleet.keptRecord", "kept the {0} VMs recorded before", kept.size()));
  }
}
