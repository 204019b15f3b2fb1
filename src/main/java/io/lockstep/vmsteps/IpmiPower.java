package io.lockstep.vmsteps;

import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import io.lockstep.sshsteps.RemoteCapture;
import io.lockstep.ssh.RemoteCommand;
import io.lockstep.procedure.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code ipmi.power}: powers hosts on or off through their BMCs with {@code ipmitool -I lanplus
 * -H BMC -U USER -f PASSWORD_FILE chassis power on|off|soft}, run on a host that stays up (the
 * management workstation), then waits: after {@code on} until every host answers over SSH, after
 * {@code off}/{@code soft} until {@code chassis power status} says off (P5 startup steps 1 and 4,
 * the last shutdown step). The BMC password stays in its file on that host: it is never in a
 * command line, the log or the audit trail.
 *
 * <p>{@code off} cuts the power, so it first waits, at most {@code down_within}, until every host's
 * OS is down (the host was told to shut down before, by {@code poweroff}): a host counts as down
 * when it no longer answers over SSH and its BMC says power off, or when it has not answered over
 * SSH for {@code silent_for} (an OS that halted without powering off). Each host found down is
 * declared to the run, and so audited, as {@code HOST down (no SSH answer since …)} before any
 * power is cut. A host still up at the bound fails the step naming it and why, and no power is cut
 * at all: cutting a running OS is what the wait is there to prevent. {@code soft} is an ACPI request
 * to the OS, not a cut: it waits, at most {@code down_within}, until each BMC says off, and fails
 * naming the hosts whose OS did not power them off.
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
  /** How long hosts may take to go down before their power would be cut (or after a soft power off). */
  static final Duration DOWN_WITHIN = Duration.ofMinutes(5);
  /** How long a host must not have answered over SSH to count as down while its BMC still says on. */
  static final Duration SILENT_FOR = Duration.ofSeconds(30);
  private static final Duration SSH_PROBE = Duration.ofSeconds(10);

  private final RemoteCapture remote;

  IpmiPower(RemoteCapture remote) {
    this.remote = remote;
  }

  /**
   * @param expect {@code status} only: the power state every host must be in ({@code on} or {@code
   *     off}); empty: any
   */
  record Params(String on, List<String> hosts, String action, String bmcSuffix, String user, String passwordFile,
      String expect, Duration downWithin, Duration silentFor) {

    String bmc(String host) {
      return host + bmcSuffix;
    }
  }

  static Params params(Map<String, ?> values) {
    VmParams p = VmParams.of(TYPE, values, "on", "hosts", "except", "action", "bmc_suffix", "user", "password_file",
        "expect", "down_within", "silent_for");
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
    for (String waitParam : List.of("down_within", "silent_for")) {
      if (values.get(waitParam) != null && !(action.equals("off") || action.equals("soft"))) {
        throw p.invalid(waitParam, "goes with action 'off' or 'soft' only");
      }
    }
    if (values.get("silent_for") != null && !action.equals("off")) {
      throw p.invalid("silent_for", "goes with action 'off' only");
    }
    Duration downWithin = p.duration("down_within", DOWN_WITHIN);
    Duration silentFor = p.duration("silent_for", SILENT_FOR);
    if (downWithin.isNegative() || downWithin.isZero() || silentFor.isNegative()) {
      throw p.invalid(downWithin.isNegative() || downWithin.isZero() ? "down_within" : "silent_for",
          "must be a positive duration");
    }
    return new Params(p.host("on"), List.copyOf(hosts), action, suffix, p.name("user", "admin"),
        p.path("password_file", "/root/.ipmi/password"), expect, downWithin, silentFor);
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
    List<Line> lines = new ArrayList<>();
    if (p.action().equals("off")) {
      lines.add(Line.of("preview.vm.ipmi.osDown", "first wait, at most {0}, until each host''s OS is down: no SSH answer"
          + " and its BMC says power off, or no SSH answer for {1}; a host still up then fails the step and no power is"
          + " cut", Durations.format(p.downWithin()), Durations.format(p.silentFor())));
    }
    lines.addAll(p.hosts().stream().map(h -> Line.of("preview.vm.on", "on {0}: {1}", p.on(), "ipmitool -I lanplus -H "
        + p.bmc(h) + " -U " + p.user() + " -f " + p.passwordFile() + " chassis power " + p.action())).toList());
    lines.add(switch (p.action()) {
      case "on" -> Line.of("preview.vm.ipmi.waitSsh", "then wait until each answers over SSH");
      case "status" -> p.expect().isEmpty()
          ? Line.of("preview.vm.ipmi.status", "changes nothing: fails naming each host whose BMC does not answer with"
              + " this user and password file")
          : Line.of("preview.vm.ipmi.statusExpect", "changes nothing: fails naming each host whose BMC does not answer"
              + " with this user and password file, or whose power is not {0}", p.expect());
      case "soft" -> Line.of("preview.vm.ipmi.soft", "then wait, at most {0}, until each BMC says power off (its OS shut"
          + " down); a host still on then fails the step, its power not cut", Durations.format(p.downWithin()));
      default -> Line.of("preview.vm.ipmi.waitOff", "then wait until each BMC says power off");
    });
    return StepPreview.of(lines);
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    Params p = params(context.params());
    if (p.action().equals("status")) {
      return status(context, p);
    }
    if (p.action().equals("off")) {
      awaitDown(context, p);
      // a host declared down early may have come back (a reboot, someone at its console) while the
      // others were awaited: asked again right before any cut
      List<String> back = new ArrayList<>();
      for (String host : p.hosts()) {
        if (answered(remote.look(context, host, RemoteCommand.of("true"), SSH_PROBE))) {
          back.add(host);
        }
      }
      if (!back.isEmpty()) {
        throw new StepFailedException(String.join(", ", back) + (back.size() == 1 ? " answers" : " answer")
            + " over SSH again after " + (back.size() == 1 ? "it was" : "they were") + " found down: its OS is running"
            + " again. No power was cut; cutting it would be a hard power cut: find out why it came back, shut it"
            + " down, and run the step again");
      }
    }
    for (String host : p.hosts()) {
      RemoteCapture.Output out = remote.run(context, p.on(), ipmitool(p, host, "power", p.action()), FleetUnits.COMMAND)
          .required("ipmitool chassis power " + p.action() + " for " + host);
      out.outLines().forEach(line -> context.out(p.on(), host + ": " + line));
    }
    long until = p.action().equals("on") ? Long.MAX_VALUE : System.nanoTime() + p.downWithin().toNanos();
    List<String> waiting = new ArrayList<>(p.hosts());
    WaitLog log = new WaitLog(context, false);
    while (!waiting.isEmpty()) {
      List<String> still = new ArrayList<>();
      for (String host : waiting) {
        if (!reached(context, p, host)) {
          still.add(host);
        } else if (p.action().equals("soft")) {
          context.action(null, host + " down (its BMC says power off after the ACPI soft power off)");
        }
      }
      waiting = still;
      if (waiting.isEmpty()) {
        break;
      }
      if (System.nanoTime() >= until) {
        throw new StepFailedException(p.action().equals("soft")
            ? "still powered on " + Durations.format(p.downWithin()) + " after the ACPI soft power off: "
                + String.join(", ", waiting) + "; the OS did not shut down and power it off, and its power was not cut"
                + " (find out why it does not shut down; cutting its power would be a hard power cut)"
            : "the BMC still says power on " + Durations.format(p.downWithin()) + " after chassis power off: "
                + String.join(", ", waiting));
      }
      List<String> notYet = waiting;
      log.say(() -> (p.action().equals("on") ? "not answering over SSH yet: " : "not powered off yet: ")
          + String.join(", ", notYet));
      Thread.sleep(POLL.toMillis());
    }
    return context.said(p.action().equals("on")
        ? Line.of("summary.ipmi.poweredOn", "{0} hosts powered on and answering: {1}", p.hosts().size(),
            String.join(", ", p.hosts()))
        : Line.of("summary.ipmi.poweredOff", "{0} hosts powered off: {1}", p.hosts().size(),
            String.join(", ", p.hosts())));
  }

  /**
   * Waits until every host's OS is down, declaring each (and so auditing it) as it is found; fails
   * naming every host still up at {@code down_within}, before any power is cut.
   */
  private void awaitDown(StepContext context, Params p) throws InterruptedException {
    long until = System.nanoTime() + p.downWithin().toNanos();
    Map<String, Instant> silentSince = new HashMap<>();
    Map<String, String> why = new LinkedHashMap<>();
    List<String> waiting = new ArrayList<>(p.hosts());
    List<String> down = new ArrayList<>();
    context.info("waiting, at most " + Durations.format(p.downWithin()) + ", until the OS of " + String.join(", ", waiting)
        + " is down before cutting any power");
    WaitLog log = new WaitLog(context, false);
    while (true) {
      List<String> still = new ArrayList<>();
      for (String host : waiting) {
        RemoteCapture.Output ssh = remote.look(context, host, RemoteCommand.of("true"), SSH_PROBE);
        if (answered(ssh)) {
          silentSince.remove(host);
          why.put(host, ssh.ran() ? "still answers over SSH: its OS is running or still shutting down"
              : "still answers over SSH, but refuses the login (" + ssh.problem() + "): its OS is running");
          still.add(host);
          continue;
        }
        Instant since = silentSince.computeIfAbsent(host, h -> Instant.now());
        String silent = "no SSH answer since " + since.truncatedTo(ChronoUnit.SECONDS);
        RemoteCapture.Output bmc = remote.look(context, p.on(), ipmitool(p, host, "power", "status"), FleetUnits.COMMAND);
        if (!bmc.ran() || bmc.status() != 0) {
          throw new StepFailedException("ipmitool chassis power status for " + host + " failed: " + bmc.described()
              + "; no power was cut");
        }
        boolean off = bmc.out().contains("Chassis Power is off");
        Duration quiet = Duration.between(since, Instant.now());
        if (off || quiet.compareTo(p.silentFor()) >= 0) {
          context.action(null, host + " down (" + silent + (off ? ", its BMC says power off)"
              : " (" + Durations.format(quiet.truncatedTo(ChronoUnit.SECONDS)) + "), its BMC still says power on)"));
          down.add(host);
        } else {
          why.put(host, silent + " only, its BMC still says power on: its OS may still be shutting down");
          still.add(host);
        }
      }
      waiting = still;
      if (waiting.isEmpty()) {
        return;
      }
      if (System.nanoTime() >= until) {
        throw new StepFailedException(waiting.size() + " of " + p.hosts().size() + " hosts not down within "
            + Durations.format(p.downWithin()) + ": " + waiting.stream().map(h -> h + " " + why.get(h))
            .collect(Collectors.joining("; ")) + ". No power was cut" + (down.isEmpty() ? "" : " (down: "
            + String.join(", ", down) + ")") + "; cutting the power of a running OS would be a hard power cut:"
            + " find out why it does not shut down");
      }
      List<String> notYet = waiting;
      log.say(() -> "not down yet: " + notYet.stream().map(h -> h + " " + why.get(h)).collect(Collectors.joining("; ")));
      Thread.sleep(POLL.toMillis());
    }
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
    return context.said(Line.of("summary.ipmi.status", "every BMC answers with user {0} and {1}: {2}", p.user(),
        p.passwordFile(), String.join(", ", states)));
  }

  /**
   * Whether a host answered the SSH probe: the command ran, or its SSH server was there but refused
   * the login or showed another host key (an SSH problem is no sign of a host that is down).
   */
  static boolean answered(RemoteCapture.Output ssh) {
    String problem = ssh.problem() == null ? "" : ssh.problem();
    return ssh.ran() || problem.contains("authentication failed") || problem.contains("host key of ");
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
