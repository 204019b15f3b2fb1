package io.lockstep.ssh;

/**
 * A node to reach over SSH: its Kubernetes name (used in every message) and where its sshd listens.
 *
 * @param node the node's Kubernetes name, see {@link NodeNames}
 * @param host an IPv4 address ({@code 10.0.0.4}), an IPv6 address without brackets ({@code
 *     fd00::4}) or a host name; known_hosts must hold the node's key under this host (for a port
 *     other than 22, as {@code [host]:port})
 * @param port the port of the node's sshd, 1–65535
 */
public record SshTarget(String node, String host, int port) {

  public SshTarget {
    NodeNames.require(node);
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("host of node " + node + " is missing");
    }
    if (!HostAddresses.isValid(host)) {
      throw new IllegalArgumentException("host " + Shown.value(host) + " of node " + node
          + " is not an IPv4 address, an IPv6 address (written without brackets) or a host name");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port " + port + " of node " + node + " is not between 1 and 65535");
    }
  }

  /** Where the node is, as messages show it: {@code 10.0.0.4:22}, {@code [fd00::4]:22}. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** The node as messages name it: {@code node-4 (10.0.0.4:22)}. */
  @Override
  public String toString() {
    return node + " (" + address() + ")";
  }
}
