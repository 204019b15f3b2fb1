package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code k8s.check-nodes}: the nodes as they are, no waiting. */
class CheckNodesTest extends KubeStepTest {

  static final Map<String, String> MASTER = Map.of("node-role.kubernetes.io/master", "");

  final CheckNodes check = new CheckNodes(cluster.kubernetes);

  @BeforeEach
  void nodes() {
    kube.node("master-1", true, MASTER);
    kube.node("master-2", true, MASTER);
    kube.node("master-3", false, MASTER);
    kube.node("worker-1", true, Map.of());
  }

  @Test
  void passesWhenEnoughMatchingNodesAreReadyAndTheNamedOnesAre() throws Exception {
    var context = new RecordingContext(Map.of("selector", "node-role.kubernetes.io/master", "min_ready", 2,
        "must_include", List.of("master-1")));

    String summary = check.execute(context);

    assertThat(summary).isEqualTo("2 nodes matching node-role.kubernetes.io/master Ready (at least 2 needed); master-1 Ready");
    assertThat(context.infos()).contains("2 of 3 nodes matching node-role.kubernetes.io/master are Ready: master-1,"
        + " master-2; not Ready: master-3");
    assertThat(context.actions()).containsExactly("read the cluster's nodes matching node-role.kubernetes.io/master");
  }

  @Test
  void withoutSelectorEveryNodeCounts() throws Exception {
    assertThat(check.execute(new RecordingContext(Map.of("min_ready", 3))))
        .isEqualTo("3 nodes Ready (at least 3 needed)");
  }

  @Test
  void failsNamingEveryUnmetCondition() {
    var context = new RecordingContext(Map.of("selector", "node-role.kubernetes.io/master", "min_ready", 3,
        "must_include", List.of("master-3", "worker-1", "node-9")));

    assertThatThrownBy(() -> check.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("only 2 nodes matching node-role.kubernetes.io/master are Ready, at least 3 must be;"
            + " node master-3 is not Ready; node worker-1 does not match node-role.kubernetes.io/master;"
            + " node node-9 is not a node of the cluster");
  }

  @Test
  void previewSaysWhatIsChecked() {
    assertThat(check.preview(Map.of("selector", "node-role.kubernetes.io/master", "min_ready", 3,
        "must_include", List.of("master-1"))).actions()).containsExactly(
            "check that at least 3 nodes matching node-role.kubernetes.io/master are Ready (no waiting)",
            "check that master-1 exist, match node-role.kubernetes.io/master and are Ready (no waiting)");
  }

  @Test
  void badParamsAreRefused() {
    assertThatThrownBy(() -> check.preview(Map.of("selector", "role=master")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k8s.check-nodes: give 'min_ready', 'must_include' or both: without them there is nothing to check");
    assertThatThrownBy(() -> check.preview(Map.of("min_ready", -1)))
        .hasMessage("k8s.check-nodes: param 'min_ready' must be 0 or more, not -1");
    assertThatThrownBy(() -> check.preview(Map.of("min_ready", 1, "selector", "=master")))
        .hasMessageStartingWith("k8s.check-nodes: param 'selector': label selector '=master': term '=master' is not key");
    assertThatThrownBy(() -> check.preview(Map.of("must_include", List.of("master-1", "Master 2"))))
        .hasMessageStartingWith("k8s.check-nodes: param 'must_include': node name 'Master 2' is not a valid");
    assertThatThrownBy(() -> check.preview(Map.of("must_include", List.of())))
        .hasMessage("k8s.check-nodes: param 'must_include' is an empty list: leave it out or name at least one item");
    assertThatThrownBy(() -> check.preview(Map.of("min_ready", 1, "wait", "5m")))
        .hasMessage("k8s.check-nodes: unknown param 'wait'; k8s.check-nodes takes selector, min_ready, must_include");
  }
}
