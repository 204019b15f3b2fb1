package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.LabProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's etcdctl over SSH: the files from /etc/etcd.env, health following the etcd units. */
class EtcdctlTest {

  private static final String FLAGS = "--endpoints=https://127.0.10.1:2379,https://127.0.0.1:2379"
      + " --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/member-node-1.pem"
      + " --key=/etc/ssl/etcd/ssl/member-node-1-key.pem";

  @TempDir
  static Path state;
  static LabNodes nodes;
  static NodeClient ssh;
  static RecordingCluster cluster = new RecordingCluster();

  @BeforeAll
  static void start() throws Exception {
    LabProperties props = ALab.props(state);
    nodes = new LabNodes(ALab.seed("1MB"), props, cluster);
    nodes.start();
    ssh = new NodeClient(props, nodes.sshPort());
  }

  @AfterAll
  static void stop() throws Exception {
    ssh.close();
    nodes.stop();
  }

  @BeforeEach
  void everyMemberRuns() throws Exception {
    for (String ip : new String[] {"127.0.10.1", "127.0.10.2", "127.0.10.3"}) {
      ssh.exec(ip, "systemctl start etcd");
    }
  }

  @Test
  void theEnvironmentFileNamesTheEndpointsAndCertificatesOfItsNode() throws Exception {
    String env = ssh.exec("127.0.10.2", "cat /etc/etcd.env").out();
    assertThat(env).contains("ETCD_LISTEN_CLIENT_URLS=https://127.0.10.2:2379,https://127.0.0.1:2379\n")
        .contains("ETCD_TRUSTED_CA_FILE=/etc/ssl/etcd/ssl/ca.pem\n")
        .contains("ETCD_CERT_FILE=/etc/ssl/etcd/ssl/member-node-2.pem\n")
        .contains("ETCD_KEY_FILE=/etc/ssl/etcd/ssl/member-node-2-key.pem\n");
    assertThat(ssh.exec("127.0.10.4", "test -e /etc/etcd.env").status()).isEqualTo(1);
    assertThat(ssh.exec("127.0.10.4", "etcdctl version").status()).isEqualTo(127);
  }

  @Test
  void everyMemberIsHealthyWhileEveryEtcdRuns() throws Exception {
    NodeClient.Result health = ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster -w json");
    assertThat(health.status()).isZero();
    assertThat(health.out()).contains("{\"endpoint\":\"https://127.0.10.1:2379\",\"health\":true")
        .contains("\"endpoint\":\"https://127.0.10.2:2379\",\"health\":true")
        .contains("\"endpoint\":\"https://127.0.10.3:2379\",\"health\":true");
    assertThat(ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " member list").out())
        .contains("started, etcd-node-3, https://127.0.10.3:2380, https://127.0.10.3:2379, false");
  }

  /**
   * A member systemctl just started is not healthy at once: like a real one it joins the cluster
   * and waits for a leader first (the lab's etcd start delay), and says so as etcdctl does.
   */
  @Test
  void aFreshlyStartedMemberIsUnhealthyUntilItHasJoined() throws Exception {
    nodes.etcdStartDelay(java.time.Duration.ofSeconds(2));
    try {
      // members an earlier test stopped were started again just now: they join first
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster").status() == 0);
      assertThat(ssh.exec("127.0.10.2", "systemctl stop etcd").status()).isZero();
      java.time.Instant started = java.time.Instant.now();
      assertThat(ssh.exec("127.0.10.2", "systemctl start etcd").status()).isZero();
      NodeClient.Result joining = ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster");
      assertThat(joining.status()).isEqualTo(1);
      assertThat(joining.err()).contains("https://127.0.10.2:2379 is unhealthy: failed to commit proposal: context"
          + " deadline exceeded").contains("Error: unhealthy cluster");
      assertThat(joining.out()).contains("https://127.0.10.1:2379 is healthy");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
          .until(() -> ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster").status() == 0);
      assertThat(java.time.Duration.between(started, java.time.Instant.now()))
          .isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(2));
      assertThat(ssh.exec("127.0.10.2", "systemctl restart etcd").status()).isZero();
      assertThat(ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster").status())
          .as("a restart makes it join again").isEqualTo(1);
    } finally {
      nodes.etcdStartDelay(java.time.Duration.ZERO);
    }
    assertThat(ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster").status())
        .as("no delay: healthy as soon as started").isZero();
  }

  @Test
  void aStoppedMemberIsUnhealthyAndTheClusterKeepsQuorumWithTwoOfThree() throws Exception {
    assertThat(ssh.exec("127.0.10.2", "systemctl stop etcd").status()).isZero();
    assertThat(cluster.events).contains("etcd node-2 false");

    NodeClient.Result health = ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster -w json");
    assertThat(health.status()).isEqualTo(1);
    assertThat(health.out()).contains("\"endpoint\":\"https://127.0.10.2:2379\",\"health\":false")
        .contains("\"endpoint\":\"https://127.0.10.1:2379\",\"health\":true");
    assertThat(health.err()).contains("Error: unhealthy cluster");

    assertThat(ssh.exec("127.0.10.3", "systemctl stop etcd").status()).isZero();
    NodeClient.Result noQuorum = ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster");
    assertThat(noQuorum.status()).isEqualTo(1);
    assertThat(noQuorum.err()).contains("Error: etcdserver: request timed out");
  }

  @Test
  void anEndpointWhoseMemberIsStoppedRefusesTheConnection() throws Exception {
    ssh.exec("127.0.10.1", "systemctl stop etcd");
    NodeClient.Result health = ssh.exec("127.0.10.1", "etcdctl " + FLAGS + " endpoint health --cluster");
    assertThat(health.status()).isEqualTo(1);
    assertThat(health.err()).contains("Error: dial tcp 127.0.0.1:2379: connect: connection refused");
  }

  @Test
  void missingCertificatesAreAnError() throws Exception {
    NodeClient.Result health = ssh.exec("127.0.10.1",
        "etcdctl --endpoints=https://127.0.10.1:2379 --cacert=/etc/ssl/etcd/ssl/nope.pem"
            + " --cert=/etc/ssl/etcd/ssl/member-node-1.pem --key=/etc/ssl/etcd/ssl/member-node-1-key.pem endpoint health");
    assertThat(health.status()).isEqualTo(1);
    assertThat(health.err()).contains("Error: open /etc/ssl/etcd/ssl/nope.pem: no such file or directory");
  }
}
