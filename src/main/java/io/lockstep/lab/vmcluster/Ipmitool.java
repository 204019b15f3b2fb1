package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ipmitool -I lanplus -H NAME-bmc -U USER -f PASSWORD_FILE chassis power
 * status|on|off|soft|cycle|reset} (also {@code power …}, and {@code -P PASSWORD}) on the bastion:
 * reaches a host's BMC with the seed's IPMI credentials; a wrong user or password, or an unknown
 * BMC, fails as a session that cannot be established. Power on boots the host after the seed's
 * boot delay. Soft is an ACPI request to the OS, which shuts down as poweroff does (the seed's
 * shutdown time, SSH answering and the BMC saying on meanwhile). Off, reset and cycle cut the
 * power at once: of a host whose OS still runs that is a hard power cut, which the lab records
 * ({@link VmClusterLab#hardPowerCuts}). Like a real BMC, off of a host already off, on of a host
 * already on and soft of a host not up change nothing and say so no differently. Never prints the
 * password.
 */
final class Ipmitool implements NodeCommand {

  private static final String NO_SESSION = "Error: Unable to establish IPMI v2 / RMCP+ session";

  private final VmClusterLab lab;
  private final String host;

  Ipmitool(VmClusterLab lab, String host) {
    this.lab = lab;
    this.host = host;
  }

  @Override
  public int run(Invocation call) throws IOException {
    String bmc = null;
    String user = "";
    String password = null;
    List<String> words = new ArrayList<>();
    List<String> args = call.args();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (List.of("-I", "-H", "-U", "-f", "-P").contains(a)) {
        if (i + 1 >= args.size()) {
          return call.fail(1, "option requires an argument -- '" + a.substring(1) + "'");
        }
        String value = args.get(++i);
        switch (a) {
          case "-H" -> bmc = value;
          case "-U" -> user = value;
          case "-P" -> password = value;
          case "-f" -> {
            Path file = lab.hosts().resolve(host, value);
            if (!Files.isRegularFile(file)) {
              call.err("Unable to read password from file " + value);
              return 1;
            }
            password = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
          }
          default -> {
            if (!value.equals("lanplus") && !value.equals("lan")) {
              return call.fail(1, "Invalid interface: " + value);
            }
          }
        }
      } else {
        words.add(a);
      }
    }
    if (bmc == null) {
      call.err("Could not open device at /dev/ipmi0 or /dev/ipmi/0 or /dev/ipmidev/0: No such file or directory");
      return 1;
    }
    if (!words.isEmpty() && words.get(0).equals("chassis")) {
      words = words.subList(1, words.size());
    }
    if (words.size() != 2 || !words.get(0).equals("power")) {
      return call.fail(1, "the lab supports chassis power status|on|off|soft|cycle|reset");
    }
    String target = bmc.endsWith("-bmc") ? bmc.substring(0, bmc.length() - 4) : "";
    if (lab.platform().seed().host(target).filter(VmClusterSeed.Host::managed).isEmpty() || !authorized(user, password)) {
      call.err(NO_SESSION);
      return 1;
    }
    return power(call, target, words.get(1));
  }

  private boolean authorized(String user, String password) {
    VmClusterSeed.Bmc expected = lab.platform().seed().bmc();
    return expected.user().equals(user) && password != null
        && MessageDigest.isEqual(password.getBytes(StandardCharsets.UTF_8), expected.password().getBytes(StandardCharsets.UTF_8));
  }

  /** One chassis power action on a host; shared with nodectrl. */
  static int power(Invocation call, VmClusterLab lab, String target, String action) throws IOException {
    switch (action) {
      case "status" -> call.out("Chassis Power is " + (lab.power(target).equals(ClusterState.OFF) ? "off" : "on"));
      case "on" -> {
        lab.powerOn(target);
        call.out("Chassis Power Control: Up/On");
      }
      case "off" -> {
        lab.cut(target);
        call.out("Chassis Power Control: Down/Off");
      }
      case "soft" -> {
        lab.shutdown(target);
        call.out("Chassis Power Control: Soft");
      }
      case "cycle", "reset" -> {
        lab.cut(target);
        lab.powerOn(target);
        call.out("Chassis Power Control: " + (action.equals("cycle") ? "Cycle" : "Reset"));
      }
      default -> {
        return call.fail(1, "Invalid chassis power command: " + action);
      }
    }
    return 0;
  }

  private int power(Invocation call, String target, String action) throws IOException {
    return power(call, lab, target, action);
  }
}
