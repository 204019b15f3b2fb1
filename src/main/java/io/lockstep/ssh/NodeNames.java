package io.lockstep.ssh;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks Kubernetes node names before they are used in commands, file names or SSH targets.
 *
 * <p>A node name is an RFC 1123 DNS subdomain, the rule Kubernetes enforces for Node objects:
 * lowercase letters, digits, {@code '-'} and {@code '.'}; every dot-separated label starts and ends
 * with a letter or digit and is at most 63 characters; at most 253 characters in all. Such a name
 * needs no quoting anywhere and can never be read as a command-line option.
 */
public final class NodeNames {

  static final int MAX_LENGTH = 253;
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private NodeNames() {}

  /**
   * Returns {@code name} if it is a valid Kubernetes node name.
   *
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public static String require(@Nullable String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("node name is missing");
    }
    if (!isValid(name)) {
      throw new IllegalArgumentException("node name " + Shown.value(name)
          + " is not a valid Kubernetes node name: use lowercase letters, digits, '-' and '.', "
          + "start and end each part with a letter or digit, at most " + MAX_LENGTH
          + " characters");
    }
    return name;
  }

  static boolean isValid(String name) {
    if (name.length() > MAX_LENGTH) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }
}
