package io.lockstep.ssh;

import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks systemd unit names before they are put on a {@code systemctl} command line.
 *
 * <p>The rule is systemd's own: letters, digits and {@code : _ . \ @ -}, at most 256 characters,
 * one {@code '@'} at most (a template instance, {@code getty@tty1.service}). On top of that a unit
 * name must start with a letter or digit, so it can never be read as a {@code systemctl} option,
 * and it names a service or a socket: either without suffix ({@code kubelet}, which systemctl
 * reads as {@code kubelet.service}) or with {@code .service} or {@code .socket}. Other unit types
 * ({@code .timer}, {@code .mount}, …) are refused because no procedure starts or stops them.
 */
public final class SystemdUnits {

  static final int MAX_LENGTH = 256;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:_.\\\\@-]*");
  private static final Set<String> OTHER_UNIT_TYPES = Set.of(
      "target", "timer", "mount", "automount", "swap", "path", "slice", "scope", "device");

  private SystemdUnits() {}

  /**
   * Returns {@code unit} if it is a valid name of a systemd service or socket.
   *
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public static String require(@Nullable String unit) {
    if (unit == null || unit.isEmpty()) {
      throw new IllegalArgumentException("systemd unit name is missing");
    }
    String shown = Shown.value(unit);
    if (unit.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "systemd unit name " + shown + " is longer than " + MAX_LENGTH + " characters");
    }
    if (!NAME.matcher(unit).matches() || unit.endsWith(".")) {
      throw new IllegalArgumentException("systemd unit name " + shown
          + " is not valid: use letters, digits and : _ . \\ @ -, starting with a letter or digit");
    }
    if (unit.indexOf('@') != unit.lastIndexOf('@')) {
      throw new IllegalArgumentException(
          "systemd unit name " + shown + " has more than one '@'");
    }
    String type = unit.substring(unit.lastIndexOf('.') + 1);
    if (unit.contains(".") && OTHER_UNIT_TYPES.contains(type)) {
      throw new IllegalArgumentException("systemd unit " + shown + " is a " + type
          + " unit; only services and sockets are started and stopped");
    }
    if (unit.contains("@.")) {
      throw new IllegalArgumentException("systemd unit " + shown
          + " is a template; name an instance, e.g. " + unit.replace("@.", "@NAME."));
    }
    return unit;
  }
}
