package io.lockstep.sshsteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.lockstep.run.StepFailedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node addresses from the Kubernetes API (fabric8's mock server in CRUD mode). */
@EnableKubernetesMockClient(crud = true, https = false)
class NodeAddressesTest {

  KubernetesMockServer server;
  KubernetesClient client;
  NodeAddresses addresses;

  @BeforeEach
  void setUp() {
    addresses = new NodeAddresses(ACluster.kubernetes(client));
  }

  @Test
  void aNodeIsReachedAtItsInternalIp() {
    node("node-1", "10.0.0.11", "node-1.example.org");

    assertThat(addresses.hostOf("node-1")).isEqualTo("10.0.0.11");
  }

  @Test
  void aConfiguredHostOutsideTheClusterIsReachedAtItsAddressWithoutAskingTheApi() {
    NodeAddresses withHosts = new NodeAddresses(ACluster.kubernetes(client), java.util.Map.of("top1", "10.1.0.1"));

    assertThat(withHosts.hostOf("top1")).isEqualTo("10.1.0.1");
    assertThat(server.getRequestCount()).isZero();
    assertThatThrownBy(() -> new SshStepsProperties(16, java.time.Duration.ofSeconds(10),
        java.util.Map.of("top1", "10.1.0.1; reboot"))).hasMessageContaining("is not a host name or address");
  }

  @Test
  void aNodeTheClusterDoesNotHaveIsNamedInTheFailure() {
    node("node-1", "10.0.0.11", null);

    assertThatThrownBy(() -> addresses.hostOf("node-9")).isInstanceOf(StepFailedException.class)
        .hasMessage("node 'node-9' is not a node of the cluster");
  }

  @Test
  void aNodeWithoutInternalIpCannotBeReached() {
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata()
        .withNewStatus().addNewAddress().withType("Hostname").withAddress("node-1").endAddress()
        .endStatus().build()).create();

    assertThatThrownBy(() -> addresses.hostOf("node-1")).isInstanceOf(StepFailedException.class)
        .hasMessage("node 'node-1' has no InternalIP address in its status");
  }

  @Test
  void anInvalidNodeNameIsRefusedBeforeTheApiIsAsked() {
    assertThatThrownBy(() -> addresses.hostOf("node-1;reboot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a valid Kubernetes node name");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void oneReadingServesEveryNodeWhileTheApiIsDown() {
    node("node-1", "10.0.0.11", null);
    node("node-2", "10.0.0.12", null);
    int before = server.getRequestCount();
    assertThat(addresses.hostOf("node-1")).isEqualTo("10.0.0.11");
    assertThat(server.getRequestCount() - before).as("requests to the API").isEqualTo(1);

    server.destroy();

    assertThat(addresses.hostOf("node-1")).isEqualTo("10.0.0.11");
    assertThat(addresses.hostOf("node-2")).isEqualTo("10.0.0.12");
  }

  @Test
  void aNodeNotReadBeforeCannotBeFoundWhileTheApiIsDown() {
    node("node-1", "10.0.0.11", null);
    client.getConfiguration().setRequestRetryBackoffLimit(0);

    server.destroy();

    assertThatThrownBy(() -> addresses.hostOf("node-1")).isInstanceOf(StepFailedException.class)
        .hasMessageStartingWith("cannot read the address of node 'node-1' from the Kubernetes "
            + "API, and it was never read before: ");
  }

  @Test
  void aConsoleRestartedWhileTheApiIsDownReachesTheNodesAnEarlierOneRead() throws Exception {
    org.h2.jdbcx.JdbcDataSource db = new org.h2.jdbcx.JdbcDataSource();
    db.setURL("jdbc:h2:mem:addresses-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    try (var connection = db.getConnection(); var statement = connection.createStatement()) {
      statement.execute(java.nio.file.Files.readString(java.nio.file.Path.of(
          "src/main/resources/db/migration/V7__node_addresses.sql")));
    }
    RememberedAddresses remembered = new RememberedAddresses(db, java.time.Clock.systemUTC());
    node("node-1", "10.0.0.11", null);
    assertThat(new NodeAddresses(ACluster.kubernetes(client), java.util.Map.of(), remembered).hostOf("node-1"))
        .isEqualTo("10.0.0.11");

    client.getConfiguration().setRequestRetryBackoffLimit(0);
    server.destroy();
    NodeAddresses restarted = new NodeAddresses(ACluster.kubernetes(client), java.util.Map.of(), remembered);

    assertThat(restarted.hostOf("node-1")).isEqualTo("10.0.0.11");
    assertThatThrownBy(() -> restarted.hostOf("node-2")).hasMessageStartingWith(
        "cannot read the address of node 'node-2' from the Kubernetes API, and it was never read before: ");
  }

  private void node(String name, String internalIp, String hostname) {
    var status = new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus();
    if (hostname != null) {
      status.addNewAddress().withType("Hostname").withAddress(hostname).endAddress();
    }
    client.nodes().resource(status.addNewAddress().withType("InternalIP").withAddress(internalIp)
        .endAddress().endStatus().build()).create();
  }
}
