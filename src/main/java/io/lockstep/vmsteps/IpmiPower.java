package io.lockstep.vmsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.sshsteps.RemoteCapture;
import io.lockstep.ssh.RemoteCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code ipmi.power}: powers hosts on or off through their BMCs with {@code ipmitool -I lanplus
 * -H BMC -U USER -f PASSWORD_FILE chassis power on|off|soft}, run on a host that stays up (the
 * management workstation), then waits: after {@code on} until every host answers over SSH, after
 * {@code off}/{@code soft} until {@code chassis power status} says off (P5 startup steps 1 and 4,
 * the last shutdown step). The BMC password stays in its file on that host: it is never in a
 * command line, the log or the audit trail.
 *
 * <p>{@code action: status} changes nothing: it asks every BMC for {@code chassis power status}
 * through the same path, user and password file the power actions use, and fails naming each host
 * whose BMC cannot be reached or refuses the credentials (or, with {@code expect}, is in the other
 * power state). P5's first phase runs it, so wrong IPMI credentials stop the run before any VM
 * stops.
 */
@Component
class IpmiPower implements StepExecutor {

  static final String TYPE = "ipmi.power";
  static final Duration POLL = Duration.ofSeconds(1);

  private final RemoteCapture remote;

  IpmiPower(RemoteCapture remote) {
    this.remote = remote;
  }

  /**
   * @param expect {@code status} only: the power state every host must be in ({@code on} or {@code
   *     off}); empty: any
   */
  record Params(String on, List<String> hosts, String action, String bmcSuffix, String user, String passwordFile,
      String expect) {

    String bmc(String host) {
      return host + bmcSuffix;
    }
  }

  static Params params(Map<String, ?> values) {
    VmParams p = VmParams.of(TYPE, values, "on", "hosts", "except", "action", "bmc_suffix", "user", "password_file",
        "expect");
    String suffix = p.text("bmc_suffix").orElse("-bmc");
    if (!suffix.matches("[A-Za-z0-9.-]*")) {
      throw p.invalid("bmc_suffix", "may hold letters, digits, '-' and '.' only");
    }
    List<String> hosts = new ArrayList<>(p.hosts("hosts"));
    if (values.get("except") != null) {
      hosts.removeAll(p.hosts("except"));
    }
    if (hosts.isEmpty()) {
      throw p.invalid("hosts", "leaves no host once 'except' is taken out");
    }
    String action = p.choice("action", "on", "off", "soft", "status");
    String expect = "";
    if (values.get("expect") != null) {
      if (!action.equals("status")) {
        throw p.invalid("expect", "goes with action 'status' only");
      }
      expect = p.choice("expect", "on", "off");
    }
    return new Params(p.host("on"), List.copyOf(hosts), action, suffix, p.name("user", "admin"),
        p.path("password_file", "/root/.ipmi/password"), expect);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(15);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    Params p = params(params);
    List<String> lines = new ArrayList<>(p.hosts().stream().map(h -> "on " + p.on() + ": ipmitool -I lanplus -H "
        + p.bmc(h) + " -U " + p.user() + " -f " + p.passwordFile() + " chassis power " + p.action()).toList());
    lines.add(switch (p.action()) {
      case "on" -> "then wait until each answers over SSH";
      case "status" -> "changes nothing: fails naming each host whose BMC does not answer with this user and password"
          + " file" + (p.expect().isEmpty() ? "" : ", or whose power is not " + p.expect());
      default -> "then wait until each BMC says power off";
    });
    return StepPreview.of(lines);
  }

  @Override
  public String execute(StepContext context) throws InterruptedException {
    Params p = params(context.params());
    if (p.action().equals("status")) {
      return status(context, p);
    }
    for (String host : p.hosts()) {
      RemoteCapture.Output out = remote.run(context, p.on(), ipmitool(p, host, "power", p.action()), FleetUnits.COMMAND)
          .required("ipmitool chassis power " + p.action() + " for " + host);
      out.outLines().forEach(line -> context.out(p.on(), host + ": " + line));
    }
    List<String> waiting = new ArrayList<>(p.hosts());
    WaitLog log = new WaitLog(context, false);
    while (!waiting.isEmpty()) {
      List<String> still = new ArrayList<>();
      for (String host : waiting) {
        if (!reached(context, p, host)) {
          still.add(host);
        }
      }
      waiting = still;
      if (waiting.isEmpty()) {
        break;
      }
      List<String> notYet = waiting;
      log.say(() -> (p.action().equals("on") ? "not answering over SSH yet: " : "not powered off yet: ")
          + String.join(", ", notYet));
      Thread.sleep(POLL.toMillis());
    }
    return p.hosts().size() + " hosts " + (p.action().equals("on") ? "powered on and answering" : "powered off")
        + ": " + String.join(", ", p.hosts());
  }

  /** {@code chassis power status} of every host's BMC; every failure named in one refusal. */
  private String status(StepContext context, Params p) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    List<String> states = new ArrayList<>();
    for (String host : p.hosts()) {
      RemoteCapture.Output out = remote.run(context, p.on(), ipmitool(p, host, "power", "status"), FleetUnits.COMMAND);
      out.outLines().forEach(line -> context.out(p.on(), host + ": " + line));
      out.err().lines().forEach(line -> context.err(p.on(), host + ": " + line));
      if (!out.ran() || out.status() != 0) {
        problems.add(host + " (BMC " + p.bmc(host) + ", user " + p.user() + ", password file " + p.passwordFile()
            + " on " + p.on() + "): " + out.described());
        continue;
      }
      String state = out.out().contains("Chassis Power is off") ? "off" : out.out().contains("Chassis Power is on")
          ? "on" : "unknown";
      states.add(host + " " + state);
      if (!p.expect().isEmpty() && !state.equals(p.expect())) {
        problems.add(host + " is powered " + state + ", expected " + p.expect());
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException("ipmitool chassis power status failed for " + problems.size() + " of "
          + p.hosts().size() + " hosts: " + String.join("; ", problems) + "; nothing was changed");
    }
    return "every BMC answers with user " + p.user() + " and " + p.passwordFile() + ": " + String.join(", ", states);
  }

  private boolean reached(StepContext context, Params p, String host) throws InterruptedException {
    if (p.action().equals("on")) {
      RemoteCapture.Output up = remote.look(context, host, RemoteCommand.of("true"), Duration.ofSeconds(10));
      return up.ran() && up.status() == 0;
    }
    RemoteCapture.Output status = remote.look(context, p.on(), ipmitool(p, host, "power", "status"), FleetUnits.COMMAND);
    if (status.ran() && status.status() != 0) {
      throw new StepFailedException("ipmitool chassis power status for " + host + " failed: " + status.described());
    }
    return status.out().contains("Chassis Power is off");
  }

  private static RemoteCommand ipmitool(Params p, String host, String... chassis) {
    List<String> argv = new ArrayList<>(List.of("ipmitool", "-I", "lanplus", "-H", p.bmc(host), "-U", p.user(),
        "-f", p.passwordFile(), "chassis"));
    argv.addAll(List.of(chassis));
    return new RemoteCommand(argv);
  }
}
