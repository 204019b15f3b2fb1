package io.lockstep.lab.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.lab.LabProperties;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit states are on disk before systemctl answers; a stop writes nothing, so a restart here is a crash's. */
class UnitStatesSurviveRestartTest {

  @TempDir
  Path state;

  @Test
  void aStoppedKubeletStaysStoppedAcrossRestartsOfTheLab() throws Exception {
    LabProperties props = ALab.props(state);
    LabNodes nodes = new LabNodes(ALab.seed("1MB"), props, new RecordingCluster());
    nodes.start();
    try (NodeClient ssh = new NodeClient(props, nodes.sshPort())) {
      assertThat(ssh.exec("127.0.10.3", "systemctl stop kubelet etcd").status()).isZero();
    }
    nodes.stop();

    nodes.start();
    try (NodeClient ssh = new NodeClient(props, nodes.sshPort())) {
      assertThat(ssh.exec("127.0.10.3", "systemctl is-active kubelet etcd docker").out()).isEqualTo("inactive\ninactive\nactive\n");
    }
    nodes.stop();

    RecordingCluster cluster = new RecordingCluster();
    LabNodes restarted = new LabNodes(ALab.seed("1MB"), props, cluster);
    restarted.start();
    assertThat(cluster.events).as("the cluster hears the units' states, whatever it recorded before")
        .contains("agents node-3 kubelet=false runtime=true etcd=false", "agents node-4 kubelet=true runtime=true etcd=-");
    try (NodeClient ssh = new NodeClient(props, restarted.sshPort())) {
      assertThat(ssh.exec("127.0.10.3", "systemctl is-active kubelet").status()).isEqualTo(3);
      assertThat(ssh.exec("127.0.10.3", "systemctl start kubelet etcd && systemctl is-active kubelet").out()).isEqualTo("active\n");
    } finally {
      restarted.stop();
    }
  }
}
