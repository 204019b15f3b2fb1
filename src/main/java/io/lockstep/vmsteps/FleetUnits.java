package io.lockstep.vmsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import io.lockstep.sshsteps.RemoteCapture;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fleet's VM units as {@code fleetctl list-units --fields unit,machine,sub --no-legend} lists them
 * on a hypervisor: {@code pcocc-vm-NAME.service}, the machine ({@code ID.../IP}, or {@code -} when
 * its hypervisor's fleet does not answer) and the sub-state ({@code running}, {@code dead}, …).
 */
final class FleetUnits {

  static final Duration COMMAND = Duration.ofSeconds(30);
  static final String RECORD = "fleet/running-vms";
  private static final Pattern VM_UNIT = Pattern.compile("pcocc-vm-([A-Za-z0-9_.-]+)\\.service");

  /** One VM: its name, the address of its hypervisor (empty when unknown) and its sub-state. */
  record Vm(String name, Optional<String> address, String sub) {

    boolean running() {
      return sub.equals("running");
    }
  }

  private FleetUnits() {}

  static String unit(String vm) {
    return "pcocc-vm-" + vm + ".service";
  }

  /** The VMs fleet knows, by name, as seen from {@code on}. */
  static Map<String, Vm> list(RemoteCapture remote, StepContext context, String on) throws InterruptedException {
    RemoteCapture.Output out = remote.look(context, on, RemoteCommand.of("fleetctl", "list-units", "--fields",
        "unit,machine,sub", "--no-legend"), COMMAND).required("fleetctl list-units");
    return parse(out.out());
  }

  static Map<String, Vm> parse(String listing) {
    Map<String, Vm> vms = new LinkedHashMap<>();
    for (String line : listing.lines().toList()) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length < 3) {
        continue;
      }
      Matcher unit = VM_UNIT.matcher(fields[0]);
      if (!unit.matches()) {
        continue;
      }
      String machine = fields[1];
      Optional<String> address = machine.contains("/") ? Optional.of(machine.substring(machine.indexOf('/') + 1))
          : Optional.empty();
      vms.put(unit.group(1), new Vm(unit.group(1), address, fields[2]));
    }
    return vms;
  }

  /** The VM names the run recorded with {@code fleet.record-vms}. */
  static List<String> recorded(StepContext context) {
    String list = context.undo().recorded(RECORD).orElseThrow(() -> new StepFailedException(
        "no VM list was recorded in this run: a fleet.record-vms step must run first"));
    return list.lines().filter(l -> !l.isBlank()).toList();
  }
}
