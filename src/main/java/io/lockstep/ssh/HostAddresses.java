package io.lockstep.ssh;

import java.util.regex.Pattern;

/**
 * Recognises what may stand in the host part of an SSH target without a DNS lookup: an IPv4
 * literal in dotted-decimal form, an IPv6 literal (no brackets, no zone) or an RFC 1123 host name.
 */
final class HostAddresses {

  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final int MAX_HOST_NAME = 253;

  private HostAddresses() {}

  static boolean isValid(String host) {
    return isIpv4(host) || isIpv6(host) || isHostName(host);
  }

  static boolean isIpv4(String host) {
    return IPV4.matcher(host).matches();
  }

  static boolean isIpv6(String host) {
    if (!host.contains(":") || host.contains(":::")) {
      return false;
    }
    int compressions = host.split("::", -1).length - 1;
    if (compressions > 1) {
      return false;
    }
    String[] groups = host.replace("::", ":").split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      boolean edge = (i == 0 || i == groups.length - 1) && compressions == 1;
      if (group.isEmpty() && edge) {
        continue;
      }
      if (i == groups.length - 1 && isIpv4(group)) {
        count += 2;
      } else if (HEX_GROUP.matcher(group).matches()) {
        count += 1;
      } else {
        return false;
      }
    }
    return compressions == 1 ? count < 8 : count == 8;
  }

  static boolean isHostName(String host) {
    if (host.length() > MAX_HOST_NAME) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    for (String label : labels) {
      if (!HOST_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // an all-digit last label is a mistyped IPv4 address, not a name
    return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
  }
}
