package io.lockstep.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshTargetTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.10.4", "10.0.0.1", "255.255.255.255", "0.0.0.0", "::1", "::",
      "fd00::4", "2001:db8::8a2e:370:7334", "2001:0db8:0000:0000:0000:ff00:0042:8329",
      "::ffff:10.0.0.4", "fe80::", "node-4", "node-4.cluster.local", "Node4.Example.COM"})
  void hostsAccepted(String host) {
    assertThat(new SshTarget("node-4", host, 22).host()).isEqualTo(host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"256.1.1.1", "10.0.0", "10.0.0.01", "1.2.3.4.5", "[::1]", "fe80::1%eth0",
      "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::1", "::g", "node_4", "-node",
      "node 4", "node;reboot", "-oProxyCommand=x", "root@node", "node:22", "a..b"})
  void hostsRefused(String host) {
    assertThatThrownBy(() -> new SshTarget("node-4", host, 22))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host " + Shown.value(host) + " of node node-4 is not an IPv4 address, an IPv6 "
            + "address (written without brackets) or a host name");
  }

  @Test
  void nodeNameAndPortAreChecked() {
    assertThatThrownBy(() -> new SshTarget("Node_1", "10.0.0.1", 22))
        .hasMessageStartingWith("node name 'Node_1' is not a valid Kubernetes node name");
    assertThatThrownBy(() -> new SshTarget("node-1", "10.0.0.1", 0))
        .hasMessage("port 0 of node node-1 is not between 1 and 65535");
    assertThatThrownBy(() -> new SshTarget("node-1", "10.0.0.1", 65536))
        .hasMessage("port 65536 of node node-1 is not between 1 and 65535");
    assertThatThrownBy(() -> new SshTarget("node-1", "", 22))
        .hasMessage("host of node node-1 is missing");
  }

  @Test
  void showsAsNodeAndAddress() {
    assertThat(new SshTarget("node-4", "127.0.10.4", 2222)).hasToString("node-4 (127.0.10.4:2222)");
    assertThat(new SshTarget("node-6", "fd00::6", 22)).hasToString("node-6 ([fd00::6]:22)");
  }
}
