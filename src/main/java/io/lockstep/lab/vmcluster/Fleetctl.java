package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code fleetctl list-units [--fields F,…] [--no-legend] [--full]}, {@code fleetctl list-machines
 * [--no-legend] [--full]} and {@code fleetctl start|stop [--no-block] UNIT…} over the cluster's VMs
 * (unit names with or without {@code .service}). Output in fleetctl's tab-aligned columns; a VM
 * whose hypervisor's fleet does not answer shows "-". Blocking start/stop waits until the VM has
 * reached its target; {@code --no-block} returns at once. Fails as fleetctl does when the fleet
 * daemon of this host is not running.
 */
final class Fleetctl implements NodeCommand {

  private static final String SOCKET_ERROR =
      "Get http://domain-sock/fleet/v1/%s?alt=json: dial unix /var/run/fleet.sock: connect: no such file or directory";
  private static final long POLL_MILLIS = 50;

  private final VmClusterLab lab;
  private final String host;

  Fleetctl(VmClusterLab lab, String host) {
    this.lab = lab;
    this.host = host;
  }

  @Override
  public int run(Invocation call) throws IOException, InterruptedException {
    List<String> words = new ArrayList<>();
    List<String> fields = List.of("unit", "machine", "active", "sub");
    boolean legend = true;
    boolean full = false;
    boolean block = true;
    List<String> args = call.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--no-legend")) {
        legend = false;
      } else if (a.equals("--full") || a.equals("-l")) {
        full = true;
      } else if (a.equals("--no-block")) {
        block = false;
      } else if (a.startsWith("--fields")) {
        String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.size() ? args.get(++i) : "");
        fields = List.of(value.split(","));
      } else if (a.startsWith("-")) {
        return call.fail(1, "flag provided but not defined: " + a);
      } else {
        words.add(a);
      }
    }
    if (words.isEmpty()) {
      return call.fail(1, "the lab supports list-units, list-machines, start, stop");
    }
    String verb = words.get(0);
    if (!lab.platform().read(p -> p.fleetUp(host))) {
      String what = verb.equals("list-machines") ? "list of active machines" : "list of units from repository";
      call.err("Error retrieving " + what + ": " + SOCKET_ERROR.formatted(verb.equals("list-machines") ? "machines" : "units"));
      return 1;
    }
    List<String> units = words.subList(1, words.size());
    return switch (verb) {
      case "list-units" -> listUnits(call, fields, legend, full);
      case "list-machines" -> listMachines(call, legend, full);
      case "start", "stop" -> change(call, verb.equals("start"), units, block);
      default -> call.fail(1, "Unknown command \"" + verb + "\"");
    };
  }

  private int listUnits(Invocation call, List<String> fields, boolean legend, boolean full) throws IOException {
    for (String f : fields) {
      if (!List.of("unit", "machine", "active", "sub", "load", "desc", "dstate", "state", "tmachine").contains(f)) {
        return call.fail(1, "Error: unrecognized field " + f);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    if (legend) {
      rows.add(fields.stream().map(String::toUpperCase).toList());
    }
    for (VmPlatform.Vm vm : lab.platform().read(VmPlatform::vms)) {
      List<String> row = new ArrayList<>();
      for (String f : fields) {
        row.add(switch (f) {
          case "unit" -> vm.unit();
          case "machine", "tmachine" -> vm.known() ? machine(vm.host(), full) : "-";
          case "active" -> !vm.known() ? "-" : vm.running() ? "active" : "inactive";
          case "sub" -> !vm.known() ? "-" : vm.running() ? "running" : "dead";
          case "load" -> "loaded";
          case "desc" -> "pcocc VM " + vm.name();
          default -> vm.launched() ? "launched" : "loaded";
        });
      }
      rows.add(row);
    }
    print(call, rows);
    return 0;
  }

  private int listMachines(Invocation call, boolean legend, boolean full) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    if (legend) {
      rows.add(List.of("MACHINE", "IP", "METADATA"));
    }
    for (VmClusterSeed.Host h : lab.platform().seed().hosts()) {
      if (lab.platform().read(p -> p.fleetUp(h.name()))) {
        rows.add(List.of(id(h.name(), full), h.ip(), "role=" + h.role()));
      }
    }
    print(call, rows);
    return 0;
  }

  private int change(Invocation call, boolean start, List<String> units, boolean block)
      throws IOException, InterruptedException {
    if (units.isEmpty()) {
      return call.fail(1, "Error: at least one unit must be given");
    }
    int status = 0;
    for (String arg : units) {
      String unit = arg.contains(".") ? arg : arg + ".service";
      Optional<VmPlatform.Vm> vm = lab.platform().read(p -> p.vms().stream().filter(v -> v.unit().equals(unit)).findFirst());
      if (vm.isEmpty()) {
        call.err("Error: unit " + unit + " does not exist");
        status = 1;
        continue;
      }
      String name = vm.get().name();
      lab.platform().change(p -> {
        p.target(name, start);
        return null;
      });
      if (!block) {
        call.out("Triggered unit " + unit + (start ? " start" : " stop"));
        continue;
      }
      while (lab.platform().read(p -> p.vm(name).orElseThrow().running()) != start) {
        Thread.sleep(POLL_MILLIS);
      }
      call.out("Unit " + unit + (start ? " launched on " : " loaded on ") + machine(vm.get().host(), false));
    }
    return status;
  }

  private String machine(String host, boolean full) {
    return id(host, full) + "/" + lab.ip(host);
  }

  /** The host's machine id (stable, from its name); fleetctl shortens it to 8 characters. */
  static String id(String host, boolean full) {
    UUID uuid = UUID.nameUUIDFromBytes(("machine-id:" + host).getBytes(StandardCharsets.UTF_8));
    String hex = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
    return full ? hex : hex.substring(0, 8) + "...";
  }

  /** Go's tabwriter as fleetctl sets it up (tab width 8, padding 1, tabs as padding). */
  static void print(Invocation call, List<List<String>> rows) throws IOException {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < row.size() - 1; c++) {
        width[c] = Math.max(width[c], ((row.get(c).length() + 1 + 7) / 8) * 8);
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.size(); c++) {
        String cell = row.get(c);
        line.append(cell);
        if (c < row.size() - 1) {
          line.append("\t".repeat(Math.max(1, (width[c] - cell.length() + 7) / 8)));
        }
      }
      call.out(line.toString());
    }
  }
}
