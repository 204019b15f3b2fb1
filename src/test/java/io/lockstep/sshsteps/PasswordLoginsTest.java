package io.lockstep.sshsteps;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.lockstep.sshsteps.PasswordLogins.Login;
import io.lockstep.sshsteps.TestNodes.Spec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins with a procedure's password against real SSH servers standing for the nodes (root's
 * password {@link TestNodes#PASSWORD}), host keys pinned in their known_hosts: the password that
 * opens them, one that does not, a node whose key is not pinned, a node that is not there. The
 * console's own settings carry no password at all, so a login that works proves the one given.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PasswordLoginsTest {

  /** Long enough for a login on a machine busy with a whole build (10 s was not, once). */
  static final Duration EACH = Duration.ofSeconds(30);
  static final String WRONG = "Wr0ng-Passw0rd-7";

  @TempDir static Path dir;
  static TestNodes nodes;

  KubernetesClient client;
  PasswordLogins logins;

  @BeforeAll
  static void startTheNodes() throws Exception {
    nodes = TestNodes.start(dir, new Spec("node-1", 1, true), new Spec("node-2", 2, true),
        new Spec("node-stranger", 9, false));
  }

  @AfterAll
  static void stopTheNodes() throws Exception {
    nodes.close();
  }

  @BeforeEach
  void setUp() {
    ACluster.node(client, "node-1", "127.0.77.1");
    ACluster.node(client, "node-2", "127.0.77.2");
    ACluster.node(client, "node-stranger", "127.0.77.9");
    ACluster.node(client, "node-gone", TestNodes.nowhere());
    var console = nodes.sshProperties();
    var withoutPassword = new io.lockstep.ssh.SshProperties(console.user(), console.port(), null, null, null,
        console.knownHosts(), console.connectTimeout(), console.authTimeout(), console.commandTimeout(), null);
    logins = new PasswordLogins(withoutPassword, new NodeAddresses(ACluster.kubernetes(client)));
    nodes.commandLines().clear();
  }

  @Test
  void theRightPasswordLogsInToEveryNodeAndRunsTrueThere() throws Exception {
    RecordingContext context = new RecordingContext(Map.of(), Duration.ofMinutes(1));

    List<Login> results = logins.check(context, List.of("node-1", "node-2", "node-1"), "root", TestNodes.PASSWORD, EACH);

    assertThat(results).extracting(Login::node).containsExactly("node-1", "node-2");
    assertThat(results).allMatch(Login::succeeded).noneMatch(Login::refused);
    assertThat(nodes.commandLines()).containsExactlyInAnyOrder("node-1: true", "node-2: true");
    assertThat(context.actions()).containsExactlyInAnyOrder(
        "node-1: log in as root with the plan's password (******, host key pinned) and run true",
        "node-2: log in as root with the plan's password (******, host key pinned) and run true");
    assertThat(context.log()).contains("exit node-1: 0", "exit node-2: 0");
    assertThat(String.join("\n", context.log())).doesNotContain(TestNodes.PASSWORD);
  }

  @Test
  void aWrongPasswordIsRefusedOnEveryNodeNamedAndNeverShown() throws Exception {
    RecordingContext context = new RecordingContext(Map.of(), Duration.ofMinutes(1));

    List<Login> results = logins.check(context, List.of("node-1", "node-2"), "root", WRONG, EACH);

    assertThat(results).allMatch(Login::refused).noneMatch(Login::succeeded);
    assertThat(results.get(0).described()).isEqualTo("node-1 (127.0.77.1:" + nodes.sshProperties().port()
        + "): the password was refused for root (root@node-1: authentication failed (password))");
    assertThat(nodes.commandLines()).as("nothing ran").isEmpty();
    String everything = String.join("\n", context.log()) + results;
    assertThat(everything).doesNotContain(WRONG).doesNotContain(TestNodes.PASSWORD);
  }

  @Test
  void aNodeWhoseHostKeyIsNotPinnedGetsNoPasswordAndSaysWhy() throws Exception {
    RecordingContext context = new RecordingContext(Map.of(), Duration.ofMinutes(1));

    List<Login> results = logins.check(context, List.of("node-stranger", "node-1"), "root", TestNodes.PASSWORD, EACH);

    Login stranger = results.get(0);
    assertThat(stranger.refused()).as("not a password refusal").isFalse();
    assertThat(stranger.problem()).contains("host key of node-stranger").contains("is not in known_hosts")
        .contains("nothing was sent to it, not even the password");
    assertThat(results.get(1).succeeded()).as("the other node is still checked").isTrue();
    assertThat(String.join("\n", context.log()) + results).doesNotContain(TestNodes.PASSWORD);
  }

  @Test
  void aNodeThatCannotBeReachedOrFoundIsNamedWithWhy() throws Exception {
    RecordingContext context = new RecordingContext(Map.of(), Duration.ofMinutes(1));

    List<Login> results = logins.check(context, List.of("node-gone", "node-9"), "root", TestNodes.PASSWORD, EACH);

    assertThat(results).noneMatch(Login::succeeded).noneMatch(Login::refused);
    assertThat(results.get(0).problem()).contains("cannot connect to node-gone");
    assertThat(results.get(1).described()).isEqualTo("node-9: cannot find its address: node 'node-9' is not a node "
        + "of the cluster");
  }

  @Test
  void aPasswordEchoedInAMessageIsScrubbed() {
    assertThat(PasswordLogins.scrub("denied for s3cret-pw here", "s3cret-pw")).isEqualTo("denied for ****** here");
    assertThat(PasswordLogins.scrub("a short one: abc", "abc")).as("too short to search for")
        .isEqualTo("a short one: abc");
  }
}
