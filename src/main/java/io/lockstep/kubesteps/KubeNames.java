package io.lockstep.kubesteps;

import java.util.regex.Pattern;

/**
 * Checks the names a step gives before they reach the API: namespaces are DNS-1123 labels
 * (lowercase letters, digits and {@code '-'}, at most 63 characters), objects and nodes DNS-1123
 * subdomains (the same, in dot-separated parts, at most 253 characters). Such names need no
 * escaping in a URL path and cannot be read as anything but a name.
 */
final class KubeNames {

  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

  private KubeNames() {}

  /** Returns {@code namespace} if it is a valid namespace name. */
  static String namespace(String namespace) {
    if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace " + quoted(namespace) + " is not a valid namespace name: "
          + "use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");
    }
    return namespace;
  }

  /** Returns {@code name} if it is a valid name for an object (or a node) of kind {@code what}. */
  static String object(String what, String name) {
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " name " + quoted(name) + " is not a valid Kubernetes name: "
          + "use lowercase letters, digits, '-' and '.', starting and ending each part with a letter or digit, "
          + "at most 253 characters");
    }
    return name;
  }

  /** Returns {@code name} if it is a valid node name. */
  static String node(String name) {
    return object("node", name);
  }

  /** {@code value} in quotes, shortened and with control characters shown, for a message. */
  static String quoted(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
