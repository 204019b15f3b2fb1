package io.lockstep.kosmos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's four scenarios as pod specs: tolerations, NotIn, anti-affinity. */
class PlacementTest {

  static final Set<String> MEMBERS = Set.of("member-1", "member-2");
  static final List<String> HOST = List.of("node-1", "node-2", "node-3", "node-4", "node-5", "node-6",
      "kosmos-member-1", "kosmos-member-2");
  static final Map<String, String> LABELS = Map.of("mysql.presslabs.org/cluster", "mysql");

  @Test
  void bothInTheHostNeedNoTolerationAndKeepTheReplicasApart() {
    Placement p = new Placement(List.of("node-4", "node-5"), MEMBERS);
    assertThat(p.notIn(HOST)).containsExactly("kosmos-member-1", "kosmos-member-2", "node-1", "node-2", "node-3", "node-6");
    Map<String, Object> spec = p.podSpecPatch(HOST, LABELS);
    assertThat(spec.get("tolerations")).isEqualTo(List.of());
    assertThat(spec.toString()).contains("podAntiAffinity={requiredDuringSchedulingIgnoredDuringExecution=[{labelSelector="
        + "{matchLabels={mysql.presslabs.org/cluster=mysql}}, topologyKey=kubernetes.io/hostname}]}");
  }

  @Test
  void oneInTheHostOneInAMemberTolerateKosmosAndLeaveOutTheOtherMember() {
    Placement p = new Placement(List.of("node-4", "member-1"), MEMBERS);
    assertThat(p.notIn(HOST)).containsExactly("kosmos-member-2", "node-1", "node-2", "node-3", "node-5", "node-6");
    Map<String, Object> spec = p.podSpecPatch(HOST, LABELS);
    assertThat(spec.get("tolerations")).isEqualTo(List.of(Map.of("key", "kosmos.io/node", "operator", "Equal",
        "value", "true", "effect", "NoSchedule")));
    assertThat(p.spread()).isTrue();
  }

  @Test
  void bothInOneMemberCannotBeKeptApartByHostname() {
    Placement p = new Placement(List.of("member-2", "member-2"), MEMBERS);
    assertThat(p.spread()).isFalse();
    assertThat(p.notIn(HOST)).doesNotContain("kosmos-member-2").contains("node-4", "kosmos-member-1");
    assertThat(p.podSpecPatch(HOST, LABELS).toString()).contains("podAntiAffinity=null");
  }

  @Test
  void oneInEachMemberLeavesEveryHostNodeOut() {
    Placement p = new Placement(List.of("member-1", "member-2"), MEMBERS);
    assertThat(p.notIn(HOST)).containsExactly("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
    assertThat(p.spread()).isTrue();
  }

  @Test
  void aTargetThatIsNeitherAHostNodeNorAMemberIsRefused() {
    Placement p = new Placement(List.of("node-9", "kosmos-member-1"), MEMBERS);
    MysqlClusters.Params params = new MysqlClusters.Params("mysql", "mysql", List.of("node-9", "kosmos-member-1"),
        "mysql-mysql-master");
    assertThatThrownBy(() -> MysqlClusters.checkTargets(params, p, HOST)).isInstanceOf(StepFailedException.class)
        .hasMessage("'node-9' is neither a node of the host cluster nor a member cluster (member-1, member-2); "
            + "'kosmos-member-1' is neither a node of the host cluster nor a member cluster (member-1, member-2)");
    assertThatThrownBy(() -> MysqlClusters.params("kosmos.place", Map.of("namespace", "mysql", "name", "mysql")))
        .hasMessageStartingWith("kosmos.place: param 'replicas' is missing");
    assertThatThrownBy(() -> MysqlClusters.params("kosmos.place", Map.of("namespace", "My SQL", "name", "mysql",
        "replicas", "node-4"))).hasMessage("kosmos.place: param 'namespace' must be a Kubernetes name, not 'My SQL'");
  }
}
