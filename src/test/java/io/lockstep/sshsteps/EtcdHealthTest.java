package io.lockstep.sshsteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lockstep.run.StepFailedException;
import io.lockstep.ssh.NodeShell;
import io.lockstep.sshsteps.TestNodes.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcd.health} over real SSH. The test nodes run commands with this machine's shell, so
 * each node's environment file and a scripted {@code etcdctl} live in a temporary directory: the
 * script answers as etcd would, healthy or not per member as {@code health} (a file) says, and
 * records its arguments.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class EtcdHealthTest {

  @TempDir static Path dir;
  static TestNodes nodes;
  static NodeShell shell;

  KubernetesClient client;
  EtcdHealth health;

  @BeforeAll
  static void startTheNodes() throws Exception {
    nodes = TestNodes.start(dir, new Spec("node-1", 1, true), new Spec("node-2", 2, true), new Spec("node-3", 3, true));
    shell = new NodeShell(nodes.sshProperties());
  }

  @AfterAll
  static void stopTheNodes() throws Exception {
    shell.close();
    nodes.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    ACluster.node(client, "node-1", "127.0.77.1");
    ACluster.node(client, "node-2", "127.0.77.2");
    ACluster.node(client, "node-3", "127.0.77.3");
    ACluster.node(client, "node-gone", TestNodes.nowhere());
    health = new EtcdHealth(new RemoteCapture(shell, new NodeAddresses(ACluster.kubernetes(client))));
    Files.writeString(dir.resolve("etcd.env"), """
        # Environment file for etcd v3.5.12
        ETCD_LISTEN_CLIENT_URLS=https://127.0.77.1:2379,https://127.0.0.1:2379
        export ETCD_TRUSTED_CA_FILE="/etc/ssl/etcd/ssl/ca.pem"
        ETCD_CERT_FILE=/etc/ssl/etcd/ssl/member-node-1.pem
        ETCD_KEY_FILE=/etc/ssl/etcd/ssl/member-node-1-key.pem
        """);
    Path etcdctl = dir.resolve("etcdctl");
    Files.writeString(etcdctl, """
        #!/bin/sh
        echo "$NODE_NAME: $*" >> "%1$s/calls"
        if [ "$(cat %1$s/health)" = "down" ]; then echo "Error: dial tcp 127.0.0.1:2379: connect: connection refused" >&2; exit 1; fi
        printf '[{"endpoint":"https://127.0.77.1:2379","health":%%s,"took":"2ms"%%s},' "$(cat %1$s/m1)" "$(cat %1$s/e1)"
        printf '{"endpoint":"https://127.0.77.2:2379","health":%%s,"took":"2ms"%%s},' "$(cat %1$s/m2)" "$(cat %1$s/e2)"
        printf '{"endpoint":"https://127.0.77.3:2379","health":true,"took":"2ms"}]\\n'
        """.formatted(dir));
    Files.setPosixFilePermissions(etcdctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    members(true, true);
    Files.writeString(dir.resolve("health"), "up");
    Files.deleteIfExists(dir.resolve("calls"));
  }

  private void members(boolean first, boolean second) throws Exception {
    Files.writeString(dir.resolve("m1"), String.valueOf(first));
    Files.writeString(dir.resolve("m2"), String.valueOf(second));
    Files.writeString(dir.resolve("e1"), first ? "" : ",\"error\":\"failed to commit proposal: context deadline exceeded\"");
    Files.writeString(dir.resolve("e2"), second ? "" : ",\"error\":\"dial tcp 127.0.77.2:2379: connect: connection refused\"");
  }

  private RecordingContext step(Object on, String stopping) {
    Map<String, Object> params = new HashMap<>();
    params.put("on", on);
    params.put("env_file", dir.resolve("etcd.env").toString());
    params.put("etcdctl", dir.resolve("etcdctl").toString());
    if (stopping != null) {
      params.put("stopping", stopping);
    }
    return new RecordingContext(params, Duration.ofSeconds(30));
  }

  @Test
  void everyMemberHealthyPassesAndEtcdctlGetsTheEnvironmentFilesEndpointsAndCertificates() throws Exception {
    RecordingContext context = step("node-1", null);

    assertThat(health.execute(context)).isEqualTo("all 3 etcd members healthy (asked on node-1)");

    assertThat(Files.readString(dir.resolve("calls"))).isEqualTo("node-1: --endpoints=https://127.0.77.1:2379,"
        + "https://127.0.0.1:2379 --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/member-node-1.pem"
        + " --key=/etc/ssl/etcd/ssl/member-node-1-key.pem endpoint health --cluster -w json\n");
    assertThat(context.infos()).contains("node-2 https://127.0.77.2:2379 is healthy");
  }

  @Test
  void anUnhealthyMemberFailsTheCheckNamingIt() throws Exception {
    members(true, false);

    assertThatThrownBy(() -> health.execute(step("node-1", null))).isInstanceOf(StepFailedException.class)
        .hasMessage("etcd is not healthy: 2 of 3 members healthy, asked on node-1; unhealthy: node-2 https://127.0.77.2:2379"
            + " (dial tcp 127.0.77.2:2379: connect: connection refused)");
  }

  @Test
  void stoppingAMemberPassesWhileTheOthersKeepTheQuorum() throws Exception {
    assertThat(health.execute(step("node-1", "node-1")))
        .isEqualTo("etcd keeps its quorum while node-1 is down: 2 of 3 members healthy, 2 needed");
  }

  @Test
  void stoppingAMemberIsRefusedWhenTheQuorumWouldBreak() throws Exception {
    members(true, false);

    assertThatThrownBy(() -> health.execute(step("node-1", "node-1"))).isInstanceOf(StepFailedException.class)
        .hasMessage("stopping etcd on node-1 would break the quorum: 1 of 3 members would be healthy, etcd needs 2;"
            + " already unhealthy: node-2 https://127.0.77.2:2379 (dial tcp 127.0.77.2:2379: connect: connection refused);"
            + " with node-1's member stopped only node-3 https://127.0.77.3:2379 would answer, fewer than the 2 of 3 a"
            + " quorum needs, so etcd would stop committing and the Kubernetes API would stop answering. Bring the"
            + " unhealthy members back first (systemctl start etcd there), then retry this check; node-1's etcd was"
            + " not touched");
  }

  @Test
  void aNodeThatCannotAnswerIsPassedOverForTheNext() throws Exception {
    RecordingContext context = step(List.of("node-gone", "node-2"), null);

    assertThat(health.execute(context)).isEqualTo("all 3 etcd members healthy (asked on node-2)");
  }

  @Test
  void whenNoNodeAnswersEveryReasonIsGiven() throws Exception {
    Files.writeString(dir.resolve("health"), "down");

    assertThatThrownBy(() -> health.execute(step(List.of("node-1", "node-3"), null))).isInstanceOf(StepFailedException.class)
        .hasMessage("no etcd node answered: node-1: exit 1: Error: dial tcp 127.0.0.1:2379: connect: connection refused;"
            + " node-3: exit 1: Error: dial tcp 127.0.0.1:2379: connect: connection refused");
  }

  @Test
  void anEnvironmentFileWithAnUnsafeValueIsRefusedBeforeEtcdctlRuns() throws Exception {
    Files.writeString(dir.resolve("etcd.env"), "ETCD_LISTEN_CLIENT_URLS=https://127.0.77.1:2379;reboot\n"
        + "ETCD_TRUSTED_CA_FILE=/ca.pem\nETCD_CERT_FILE=/c.pem\nETCD_KEY_FILE=/k.pem\n");

    assertThatThrownBy(() -> health.execute(step("node-1", null))).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("is not of the form https://host:port");
    assertThat(dir.resolve("calls")).doesNotExist();
  }

  @Test
  void paramsAreCheckedBeforeAnythingRuns() {
    assertThatThrownBy(() -> health.preview(Map.of("on", "node 1"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid");
    assertThatThrownBy(() -> health.preview(Map.of("on", "node-1", "etcdctl", "etcdctl; reboot")))
        .hasMessage("param 'etcdctl' must be a program name or path");
    assertThatThrownBy(() -> health.preview(Map.of("on", "node-1", "wait", true)))
        .hasMessageContaining("unknown param wait");
    assertThat(health.preview(Map.of("on", List.of("node-1", "node-2"), "stopping", "node-1")).actions())
        .containsExactly("on the first of node-1, node-2 that answers: cat /etc/etcd.env, then etcdctl"
            + " --endpoints/--cacert/--cert/--key from /etc/etcd.env endpoint health --cluster -w json",
            "passes when the members other than node-1's keep the quorum");
  }
}
