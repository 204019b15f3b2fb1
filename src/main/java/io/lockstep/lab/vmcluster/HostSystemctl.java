package io.lockstep.lab.vmcluster;

import io.lockstep.lab.node.Invocation;
import io.lockstep.lab.node.NodeCommand;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code systemctl [-q] start|stop|restart|is-active|is-enabled|status UNIT…} on a host of the VM
 * management cluster, over the cluster's state (stopping glusterd leaves its bricks running;
 * stopping fleet frees a stuck VM), with systemd's messages and exit statuses.
 */
final class HostSystemctl implements NodeCommand {

  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final Map<String, String> DESCRIPTIONS = Map.of(
      "fleet", "fleet daemon",
      "glusterd", "GlusterFS, a clustered file-system server",
      "sshd", "OpenSSH server daemon");

  private final VmPlatform platform;
  private final String host;

  HostSystemctl(VmPlatform platform, String host) {
    this.platform = platform;
    this.host = host;
  }

  @Override
  public int run(Invocation call) throws IOException {
    boolean quiet = call.args().contains("-q") || call.args().contains("--quiet");
    List<String> words = new ArrayList<>();
    call.args().stream().filter(a -> !a.startsWith("-")).forEach(a -> words.add(a.replaceFirst("\\.service$", "")));
    if (words.size() < 2) {
      call.err(words.isEmpty() ? "the lab supports start, stop, restart, status, is-active, is-enabled" : "Too few arguments.");
      return 1;
    }
    String verb = words.get(0);
    int result = 0;
    for (String unit : words.subList(1, words.size())) {
      boolean known = platform.hasUnit(host, unit);
      int status = switch (verb) {
        case "start", "stop", "restart" -> known ? change(verb, unit) : notFound(call, verb, unit);
        case "is-active" -> isActive(call, unit, quiet);
        case "is-enabled" -> isEnabled(call, unit, known, quiet);
        case "status" -> status(call, unit, known);
        default -> {
          call.err("Unknown command verb '" + verb + "'.");
          yield 1;
        }
      };
      result = Math.max(result, status);
    }
    return result;
  }

  private int change(String verb, String unit) {
    platform.change(p -> {
      if (!verb.equals("start")) {
        p.stopUnit(host, unit);
      }
      if (!verb.equals("stop")) {
        p.startUnit(host, unit);
      }
      return null;
    });
    return 0;
  }

  private static int notFound(Invocation call, String verb, String unit) throws IOException {
    call.err("Failed to " + verb + " " + unit + ".service: Unit " + unit + ".service "
        + (verb.equals("stop") ? "not loaded." : "not found."));
    return 5;
  }

  private int isActive(Invocation call, String unit, boolean quiet) throws IOException {
    boolean active = platform.read(p -> p.unitActive(host, unit));
    if (!quiet) {
      call.out(active ? "active" : "inactive");
    }
    return active ? 0 : 3;
  }

  private int isEnabled(Invocation call, String unit, boolean known, boolean quiet) throws IOException {
    if (!known) {
      call.err("Failed to get unit file state for " + unit + ".service: No such file or directory");
      return 1;
    }
    boolean enabled = platform.seed().enabled(unit);
    if (!quiet) {
      call.out(enabled ? "enabled" : "disabled");
    }
    return enabled ? 0 : 1;
  }

  private int status(Invocation call, String unit, boolean known) throws IOException {
    if (!known) {
      call.err("Unit " + unit + ".service could not be found.");
      return 4;
    }
    Optional<Instant> since = platform.read(p -> p.unitActive(host, unit) ? p.activeSince(host, unit) : Optional.empty());
    call.out("● " + unit + ".service - " + DESCRIPTIONS.getOrDefault(unit, unit));
    call.out("   Loaded: loaded (/usr/lib/systemd/system/" + unit + ".service; "
        + (platform.seed().enabled(unit) ? "enabled" : "disabled") + "; vendor preset: disabled)");
    call.out(since.map(s -> "   Active: active (running) since " + SINCE.format(s)).orElse("   Active: inactive (dead)"));
    return since.isPresent() ? 0 : 3;
  }
}
