package io.lockstep.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.lockstep.run.PlanDataCheck.ValueProblem;
import io.lockstep.targets.ClusterMachines.Machine;
import io.lockstep.targets.ClusterMachines.Picture;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The rules about P2's, P3's and P4's targets, against a cluster of three masters (etcd) and three workers. */
class TargetRulesTest {

  static final Picture CLUSTER = new Picture(List.of(
      master("node-1"), master("node-2"), master("node-3"),
      worker("node-4"), worker("node-5"), worker("node-6")));
  static final Supplier<Set<String>> ETCD = () -> Set.of("node-1", "node-2", "node-3");
  static final Supplier<Set<String>> ETCD_DOWN = () -> {
    throw new IllegalStateException("no etcd node answered etcdctl member list: node-1: exit 1: Error: request timed out");
  };
  static final List<String> ALL = List.of("node-1", "node-2", "node-3", "node-4", "node-5", "node-6");
  static final List<String> MASTERS = List.of("node-1", "node-2", "node-3");

  @Test
  void p2TakesAMasterAndRefusesAWorkerOrAnUnknownNode() {
    assertThat(TargetRules.master(CLUSTER, "node-2")).isEmpty();
    assertThat(TargetRules.master(CLUSTER, "node-5")).singleElement().satisfies(p -> {
      assertThat(p.parameter()).isEqualTo("node");
      assertThat(p.detail()).startsWith("node-5 is not a master").contains("its roles: worker").contains("restart-worker-node");
    });
    assertThat(TargetRules.master(CLUSTER, "node-9")).extracting(ValueProblem::detail).singleElement().asString()
        .startsWith("node-9 is not a node of the cluster (its nodes: node-1 (control-plane, master)");
  }

  @Test
  void p3TakesAWorkerAndRefusesAMasterOrANodeThatRunsEtcd() {
    assertThat(TargetRules.worker(CLUSTER, "node-5", ETCD)).isEmpty();
    assertThat(TargetRules.worker(CLUSTER, "node-3", ETCD)).singleElement().satisfies(p -> {
      assertThat(p.parameter()).isEqualTo("node");
      assertThat(p.detail()).startsWith("node-3 is a master").contains("restart-master-node");
    });
    assertThat(TargetRules.worker(CLUSTER, "node-6", () -> Set.of("node-1", "node-2", "node-6")))
        .extracting(ValueProblem::detail).singleElement().asString()
        .startsWith("node-6 runs an etcd member (etcdctl member list names its address 127.0.10.6)");
    assertThat(TargetRules.worker(CLUSTER, "node-6", ETCD_DOWN)).extracting(ValueProblem::detail).singleElement()
        .asString().startsWith("cannot tell whether node-6 runs an etcd member: no etcd node answered");
  }

  @Test
  void p4TakesTheWholeClusterAndRefusesAPartialListNamingTheFieldAndTheMissingNodes() {
    assertThat(TargetRules.wholeCluster(CLUSTER, ALL, MASTERS, null, ETCD)).isEmpty();

    List<ValueProblem> partial = TargetRules.wholeCluster(CLUSTER, ALL.subList(0, 5), List.of("node-1", "node-2"),
        null, ETCD);
    assertThat(partial).extracting(ValueProblem::parameter).containsExactly("nodes", "etcd_nodes");
    assertThat(partial.get(0).detail()).startsWith("nodes leaves out 1 of the cluster's 6 nodes: node-6;")
        .contains("partial_reason");
    assertThat(partial.get(1).detail()).startsWith("etcd_nodes leaves out 1 of the 3 etcd members: node-3;");
    assertThat(TargetRules.wholeCluster(CLUSTER, ALL.subList(0, 5), MASTERS, "none", ETCD))
        .as("the default reason, none, is no reason").extracting(ValueProblem::parameter).containsExactly("nodes");
  }

  @Test
  void p4TakesAPartialListWhenThePlanSaysWhyAndNamesWhatKeepsRunning() {
    assertThat(TargetRules.wholeCluster(CLUSTER, ALL.subList(0, 5), List.of("node-1", "node-2"),
        "node-6 is the backup server, on its own power", ETCD)).isEmpty();
    assertThat(TargetRules.keepsRunning(CLUSTER, ALL.subList(0, 5), List.of("node-1", "node-2"), ETCD.get()))
        .isEqualTo("nodes node-6 (kubelet, docker) and the etcd members on node-3");
  }

  @Test
  void p4TakesNoPlaceholderForAReasonAndSaysSoOnTheReasonsField() {
    for (String placeholder : new String[] {"n/a", "N/A", "NONE", " none ", "-", "tbd", "x", "no reason", "n.a.", "ok"}) {
      List<ValueProblem> problems = TargetRules.wholeCluster(CLUSTER, ALL.subList(0, 5), MASTERS, placeholder, ETCD);
      assertThat(problems).as(placeholder).extracting(ValueProblem::parameter).contains("nodes");
      assertThat(TargetRules.given(placeholder)).as(placeholder).isFalse();
    }
    assertThat(TargetRules.wholeCluster(CLUSTER, ALL.subList(0, 5), MASTERS, "n/a", ETCD))
        .extracting(ValueProblem::parameter).containsExactly("partial_reason", "nodes");
    assertThat(TargetRules.wholeCluster(CLUSTER, ALL, MASTERS, "n/a", ETCD)).as("a placeholder is refused anyway")
        .extracting(ValueProblem::detail).singleElement().asString().startsWith("'n/a' says no reason");
    assertThat(TargetRules.wholeCluster(CLUSTER, ALL, MASTERS, "   ", ETCD)).as("blank is the default").isEmpty();
    assertThat(TargetRules.given("node-6 is the backup server")).isTrue();
    assertThat(TargetRules.given("node-6 是备份服务器,独立供电")).isTrue();
  }

  @Test
  void p4RefusesNodesThatAreNotOfTheClusterAndEtcdNodesThatRunNoMemberEvenWithAReason() {
    List<ValueProblem> wrong = TargetRules.wholeCluster(CLUSTER, List.of("node-1", "node-2", "node-3", "node-4",
        "node-5", "node-6", "node-7"), List.of("node-1", "node-2", "node-3", "node-4"), "node-7 is being set up", ETCD);
    assertThat(wrong).extracting(ValueProblem::parameter).containsExactly("nodes", "etcd_nodes");
    assertThat(wrong.get(0).detail()).startsWith("node-7 is not a node of the cluster");
    assertThat(wrong.get(1).detail()).startsWith("etcd_nodes names node-4, which runs no etcd member");
  }

  private static Machine master(String name) {
    return new Machine(name, "127.0.10." + name.substring(5), true, true, List.of("control-plane", "master"));
  }

  private static Machine worker(String name) {
    return new Machine(name, "127.0.10." + name.substring(5), false, true, List.of("worker"));
  }
}
