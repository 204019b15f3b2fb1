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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code fleet.stop-vms} and {@code fleet.start-vms}: asks fleet, on one hypervisor, to stop or
 * start VMs ({@code fleetctl stop|start --no-block pcocc-vm-NAME.service…}) and watches
 * {@code fleetctl list-units} until every one of them is dead, or running (P5 shutdown steps 2-3,
 * startup step 6).
 *
 * <p>{@code vms} names the VMs, or is {@code recorded}: the list {@code fleet.record-vms} kept.
 * {@code except} leaves some out (the DNS VMs go down last). A VM still running {@code stuck_after}
 * the stop is stuck: with {@code recover_stuck}, the seed's remedy is applied to it — fleet stopped on
 * its hypervisor, the VM stopped again, fleet started again — and otherwise the step fails naming
 * it and its hypervisor, for an operator to look into.
 */
abstract class FleetVms implements StepExecutor {

  static final Duration POLL = Duration.ofSeconds(1);

  private final RemoteCapture remote;
  private final boolean start;

  FleetVms(RemoteCapture remote, boolean start) {
    this.remote = remote;
    this.start = start;
  }

  @Component
  static class Stop extends FleetVms {
    Stop(RemoteCapture remote) {
      super(remote, false);
    }

    @Override
    public String type() {
      return "fleet.stop-vms";
    }
  }

  @Component
  static class Start extends FleetVms {
    Start(RemoteCapture remote) {
      super(remote, true);
    }

    @Override
    public String type() {
      return "fleet.start-vms";
    }
  }

  /** The checked params. {@code vms} empty means: the recorded list. */
  record Params(String on, Optional<List<String>> vms, List<String> except, boolean recoverStuck, Duration stuckAfter) {

    /** {@link #which()} as a preview line's argument. */
    Object whichLine() {
      Object listed = vms.<Object>map(v -> String.join(", ", v))
          .orElseGet(() -> Line.of("preview.vm.fleet.recorded", "the VMs recorded by {0}", "fleet.record-vms"));
      return except.isEmpty() ? listed
          : Line.of("preview.vm.fleet.whichExcept", "{0} except {1}", listed, String.join(", ", except));
    }

    String which() {
      return vms.map(v -> String.join(", ", v)).orElse("the VMs recorded by fleet.record-vms")
          + (except.isEmpty() ? "" : " except " + String.join(", ", except));
    }
  }

  Params params(Map<String, ?> values) {
    VmParams p = start ? VmParams.of(type(), values, "on", "vms", "except")
        : VmParams.of(type(), values, "on", "vms", "except", "recover_stuck", "stuck_after");
    Optional<List<String>> vms = "recorded".equals(values.get("vms")) ? Optional.empty()
        : Optional.of(p.names("vms").orElseThrow(() -> p.invalid("vms", "is missing: a list of VM names, or recorded")));
    return new Params(p.host("on"), vms, p.names("except").orElse(List.of()), p.flag("recover_stuck", false),
        p.duration("stuck_after", Duration.ofMinutes(1)));
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(15);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Params p = params(params);
    List<Line> lines = new ArrayList<>();
    lines.add(Line.of("preview.vm.fleet.units", "on {0}: {1} for {2}", p.on(),
        "fleetctl " + verb() + " --no-block pcocc-vm-NAME.service", p.whichLine()));
    lines.add(start ? Line.of("preview.vm.fleet.watchRunning", "then watch {0} until each is running", "fleetctl list-units")
        : Line.of("preview.vm.fleet.watchDead", "then watch {0} until each is dead", "fleetctl list-units"));
    if (!start) {
      lines.add(p.recoverStuck()
          ? Line.of("preview.vm.fleet.recoverStuck", "a VM still running after {0}: {1} on its hypervisor, stop it again,"
              + " {2}", Durations.format(p.stuckAfter()), "systemctl stop fleet", "systemctl start fleet")
          : Line.of("preview.vm.fleet.failStuck", "a VM still running after {0} fails the step, naming it and its"
              + " hypervisor", Durations.format(p.stuckAfter())));
    }
    return StepPreview.of(lines);
  }


  private String verb() {
    return start ? "start" : "stop";
  }

  @Override
  public String execute(StepContext context) throws InterruptedException {
    Params p = params(context.params());
    List<String> vms = new ArrayList<>(p.vms().orElseGet(() -> FleetUnits.recorded(context)));
    vms.removeAll(p.except());
    if (vms.isEmpty()) {
      return context.said(start ? Line.of("summary.fleet.noneToStart", "no VM to start")
          : Line.of("summary.fleet.noneToStop", "no VM to stop"));
    }
    Map<String, FleetUnits.Vm> known = FleetUnits.list(remote, context, p.on());
    List<String> unknown = vms.stream().filter(v -> !known.containsKey(v)).toList();
    if (!unknown.isEmpty()) {
      throw new StepFailedException("fleet does not know " + String.join(", ", unknown) + " (as pcocc-vm-NAME.service)");
    }
    order(context, p.on(), vms);
    long since = System.nanoTime();
    WaitLog log = new WaitLog(context, false);
    boolean recovered = false;
    while (true) {
      Map<String, FleetUnits.Vm> now = FleetUnits.list(remote, context, p.on());
      List<FleetUnits.Vm> waiting = vms.stream().map(now::get).filter(v -> v == null || v.running() != start).toList();
      if (waiting.isEmpty()) {
        context.info("all " + vms.size() + " VMs are " + (start ? "running" : "dead") + ": " + String.join(", ", vms));
        Line done = start ? Line.of("summary.fleet.running", "{0} VMs running", vms.size())
            : Line.of("summary.fleet.stopped", "{0} VMs stopped", vms.size());
        return context.said(recovered ? Line.of("summary.fleet.recovered", "{0} (stuck ones recovered)", done) : done);
      }
      long waited = System.nanoTime() - since;
      if (!start && recovered && waited >= 2 * p.stuckAfter().toNanos()) {
        throw new StepFailedException("still running after the seed's remedy: " + described(waiting)
            + "; investigate on the hypervisor before going on");
      }
      if (!start && !recovered && waited >= p.stuckAfter().toNanos()) {
        List<FleetUnits.Vm> stuck = waiting.stream().filter(v -> v != null && v.running()).toList();
        if (!p.recoverStuck()) {
          throw new StepFailedException("stuck: " + described(stuck) + " still running " + Durations.format(p.stuckAfter())
              + " after the stop; the seed's remedy: systemctl stop fleet on the hypervisor, stop the VM, start fleet");
        }
        recover(context, p.on(), stuck);
        recovered = true;
      }
      log.say(() -> waiting.size() + " of " + vms.size() + " VMs not yet " + (start ? "running" : "dead") + ": "
          + described(waiting));
      Thread.sleep(POLL.toMillis());
    }
  }

  private void order(StepContext context, String on, List<String> vms) throws InterruptedException {
    List<String> argv = new ArrayList<>(List.of("fleetctl", verb(), "--no-block"));
    vms.forEach(v -> argv.add(FleetUnits.unit(v)));
    RemoteCapture.Output out = remote.run(context, on, new RemoteCommand(argv), FleetUnits.COMMAND)
        .required("fleetctl " + verb());
    out.outLines().forEach(line -> context.out(on, line));
  }

  /** The seed's remedy for a VM that does not stop: fleet stopped on its hypervisor, the VM stopped, fleet started. */
  private void recover(StepContext context, String on, List<FleetUnits.Vm> stuck) throws InterruptedException {
    context.info("stuck, applying the remedy: " + described(stuck));
    for (FleetUnits.Vm vm : stuck) {
      String hypervisor = vm.address().flatMap(remote::hostAt).orElseThrow(() -> new StepFailedException(
          "VM " + vm.name() + " is stuck and its hypervisor (" + vm.address().orElse("unknown") + ") is not one of"
              + " the configured hosts (lockstep.sshsteps.hosts): stop fleet there by hand"));
      remote.run(context, hypervisor, RemoteCommand.of("systemctl", "stop", "fleet"), FleetUnits.COMMAND)
          .required("systemctl stop fleet");
      remote.run(context, on, RemoteCommand.of("fleetctl", "stop", "--no-block", FleetUnits.unit(vm.name())),
          FleetUnits.COMMAND).required("fleetctl stop");
      remote.run(context, hypervisor, RemoteCommand.of("systemctl", "start", "fleet"), FleetUnits.COMMAND)
          .required("systemctl start fleet");
    }
  }

  private String described(List<FleetUnits.Vm> vms) {
    return vms.stream().map(v -> v == null ? "?" : v.name() + " (" + v.sub() + v.address().flatMap(remote::hostAt)
        .map(h -> " on " + h).orElse("") + ")").collect(Collectors.joining(", "));
  }
}
