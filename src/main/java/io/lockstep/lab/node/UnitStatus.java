package io.lockstep.lab.node;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text block {@code systemctl status UNIT} prints for one unit. */
final class UnitStatus {

  private static final DateTimeFormatter SINCE =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
      Map.entry("docker", "Docker Application Container Engine"),
      Map.entry("docker.socket", "Docker Socket for the API"),
      Map.entry("containerd", "containerd container runtime"),
      Map.entry("kubelet", "kubelet: The Kubernetes Node Agent"),
      Map.entry("etcd", "Etcd Server"),
      Map.entry("proton-cr", "Proton Container Registry"),
      Map.entry("proton-cr-registry", "Proton Container Registry: image registry"),
      Map.entry("proton-cr-chartmuseum", "Proton Container Registry: chart museum"),
      Map.entry("chronyd", "NTP client/server"),
      Map.entry("sshd", "OpenSSH server daemon"));

  private final Clock clock;

  UnitStatus(Clock clock) {
    this.clock = clock;
  }

  /** {@code unit} as systemd names it: {@code kubelet.service}, {@code docker.socket}. */
  static String fullName(String unit) {
    return unit.contains(".") ? unit : unit + ".service";
  }

  List<String> lines(String unit, Units.State state) {
    String full = fullName(unit);
    boolean socket = full.endsWith(".socket");
    String description = DESCRIPTIONS.getOrDefault(unit, full);
    List<String> lines = new ArrayList<>();
    lines.add((state.active() ? "● " : "○ ") + full + " - " + description);
    lines.add("     Loaded: loaded (/usr/lib/systemd/system/" + full + "; enabled; vendor preset: disabled)");
    String active = state.active() ? (socket ? "active (listening)" : "active (running)") : "inactive (dead)";
    lines.add("     Active: " + active + " since " + SINCE.format(state.since()) + "; "
        + ago(Duration.between(state.since(), clock.instant())));
    if (socket) {
      lines.add("   Triggers: ● " + unit.substring(0, unit.indexOf('.')) + ".service");
      lines.add("     Listen: /run/" + unit.substring(0, unit.indexOf('.')) + ".sock (Stream)");
    } else if (state.active()) {
      long pid = 1000 + Math.floorMod((unit + state.since()).hashCode(), 30000);
      lines.add("   Main PID: " + pid + " (" + unit + ")");
    }
    return lines;
  }

  /** systemd's relative time: "12s ago", "5min ago", "3h 2min ago", "2 days ago". */
  static String ago(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long days = s / 86400;
    if (days >= 2) {
      return days + " days ago";
    }
    if (s >= 25 * 3600) {
      return "1 day " + (s - 86400) / 3600 + "h ago";
    }
    if (s >= 6 * 3600) {
      return s / 3600 + "h ago";
    }
    if (s >= 3600) {
      return s / 3600 + "h " + (s % 3600) / 60 + "min ago";
    }
    if (s >= 300) {
      return s / 60 + "min ago";
    }
    if (s >= 60) {
      return s / 60 + "min " + s % 60 + "s ago";
    }
    return s + "s ago";
  }
}
