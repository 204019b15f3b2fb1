package io.lockstep.kubesteps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lockstep.run.StepFailedException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code k8s.scale} against the mock API in CRUD mode. */
class ScaleWorkloadsTest extends KubeStepTest {

  final ScaleWorkloads scale = new ScaleWorkloads(cluster.kubernetes);

  @Test
  void scalesNamedWorkloadsRecordingTheirReplicasFirst() throws Exception {
    kube.deployment("message-center", 3);
    kube.statefulSet("kafka", 2);
    var context = new RecordingContext(Map.of("namespace", "anyshare",
        "workloads", List.of("Deployment/message-center", "StatefulSet/kafka"), "replicas", 0, "record", true));

    String summary = scale.execute(context);

    assertThat(replicas("Deployment", "message-center")).isZero();
    assertThat(replicas("StatefulSet", "kafka")).isZero();
    assertThat(context.records().recorded()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "replicas/anyshare/Deployment/message-center", "3", "replicas/anyshare/StatefulSet/kafka", "2"));
    assertThat(context.actions()).containsExactly(
        "scale Deployment anyshare/message-center from 3 to 0", "scale StatefulSet anyshare/kafka from 2 to 0");
    assertThat(context.infos()).contains("scaled Deployment anyshare/message-center from 3 to 0");
    assertThat(summary).isEqualTo("scaled 2 of 2 workloads in anyshare to 0");
  }

  @Test
  void toZeroTouchesOnlyWorkloadsWithReplicasButRecordsEveryOne() throws Exception {
    kube.deployment("web", 2);
    kube.deployment("idle", 0);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "replicas", 0, "record", true));

    scale.execute(context);

    assertThat(context.actions()).containsExactly("scale Deployment anyshare/web from 2 to 0");
    assertThat(context.infos()).contains("Deployment anyshare/idle already has 0 replicas: left alone");
    assertThat(context.records().recorded()).containsEntry("replicas/anyshare/Deployment/idle", "0")
        .containsEntry("replicas/anyshare/Deployment/web", "2");
  }

  @Test
  void withoutWorkloadsEveryDeploymentAndStatefulSetOfTheNamespaceIsScaled() throws Exception {
    kube.deployment("web", 2);
    kube.statefulSet("db", 1);
    kube.daemonSet("agent");
    kube.deployment("elsewhere", "other", 4);

    scale.execute(new RecordingContext(Map.of("namespace", "anyshare", "replicas", 0)));

    assertThat(replicas("Deployment", "web")).isZero();
    assertThat(replicas("StatefulSet", "db")).isZero();
    assertThat(client.apps().deployments().inNamespace("elsewhere").withName("other").get().getSpec().getReplicas())
        .isEqualTo(4);
  }

  @Test
  void aRerunKeepsTheFirstRecordSoRestoreGetsTheOriginalBack() throws Exception {
    kube.deployment("web", 3);
    var first = new RecordingContext(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web"),
        "replicas", 0, "record", true));
    scale.execute(first);

    var rerun = first.rerun();
    scale.execute(rerun);
    assertThat(rerun.records().recorded()).containsEntry("replicas/anyshare/Deployment/web", "3");
    assertThat(rerun.actions()).isEmpty();

    var restore = first.next(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web"), "restore", true));
    String summary = scale.execute(restore);

    assertThat(replicas("Deployment", "web")).isEqualTo(3);
    assertThat(restore.actions()).containsExactly("scale Deployment anyshare/web from 0 back to its recorded 3");
    assertThat(restore.records().isSettled("replicas/anyshare/Deployment/web")).isTrue();
    assertThat(summary).isEqualTo("restored the recorded replicas of 1 workload in anyshare");
    assertThat(restore.saidIn(Locale.SIMPLIFIED_CHINESE)).isEqualTo("已恢复 anyshare 中 1 个工作负载 的记录副本数");

    // The console stopped before the restore's end was stored: it runs again and finds the record settled.
    var again = scale.execute(first.next(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web"),
        "restore", true)));
    assertThat(again).isEqualTo("restored the recorded replicas of 1 workload in anyshare");
    assertThat(replicas("Deployment", "web")).isEqualTo(3);
  }

  @Test
  void restoreWithoutWorkloadsPutsBackEveryRecordedWorkload() throws Exception {
    kube.deployment("web", 3);
    kube.statefulSet("db", 2);
    var stop = new RecordingContext(Map.of("namespace", "anyshare", "replicas", 0, "record", true));
    scale.execute(stop);

    scale.execute(stop.next(Map.of("namespace", "anyshare", "restore", true)));

    assertThat(replicas("Deployment", "web")).isEqualTo(3);
    assertThat(replicas("StatefulSet", "db")).isEqualTo(2);
  }

  @Test
  void restoreFailsNamingTheWorkloadsWithoutARecordAndChangesNothing() {
    kube.deployment("web", 0);
    kube.deployment("api", 0);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "restore", true));
    context.records().recordOnce("replicas/anyshare/Deployment/web", "2");

    assertThatThrownBy(() -> scale.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("cannot restore replicas, nothing was scaled: Deployment anyshare/api has no recorded replicas in this run");
    assertThat(replicas("Deployment", "web")).isZero();
    assertThat(context.actions()).isEmpty();
    assertThat(context.records().isSettled("replicas/anyshare/Deployment/web")).isFalse();
  }

  @Test
  void restoreFailsForARecordedWorkloadThatIsGone() {
    var context = new RecordingContext(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web"),
        "restore", true));
    context.records().recordOnce("replicas/anyshare/Deployment/web", "2");

    assertThatThrownBy(() -> scale.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessageContaining("Deployment anyshare/web was recorded but does not exist any more");
  }

  @Test
  void namingAWorkloadThatDoesNotExistFailsBeforeAnythingChanges() {
    kube.deployment("web", 2);
    var context = new RecordingContext(Map.of("namespace", "anyshare",
        "workloads", List.of("Deployment/web", "Deployment/ghost"), "replicas", 0, "record", true));

    assertThatThrownBy(() -> scale.execute(context)).isInstanceOf(StepFailedException.class)
        .hasMessage("nothing was scaled: Deployment anyshare/ghost not found");
    assertThat(replicas("Deployment", "web")).isEqualTo(2);
    assertThat(context.records().recorded()).isEmpty();
  }

  @Test
  void anEmptyNamespaceHasNothingToScale() throws Exception {
    var context = new RecordingContext(Map.of("namespace", "anyshare", "replicas", 0));
    assertThat(scale.execute(context)).isEqualTo("nothing to scale in anyshare");
  }

  @Test
  void previewNamesEachWorkloadWithItsReplicasNow() {
    kube.deployment("message-center", 3);
    kube.deployment("idle", 0);

    var preview = scale.preview(Map.of("namespace", "anyshare", "replicas", 0, "record", true));

    assertThat(preview.actions()).containsExactly(
        "leave Deployment anyshare/idle at 0 replicas (recording 0 first, once)",
        "scale Deployment anyshare/message-center from 3 to 0 (recording its replicas first, once)");
    assertThat(client.apps().deployments().inNamespace("anyshare").withName("message-center").get().getSpec()
        .getReplicas()).isEqualTo(3);
  }

  @Test
  void previewSaysWhenANamedWorkloadIsMissing() {
    kube.deployment("web", 2);
    assertThat(scale.preview(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web", "StatefulSet/db"),
        "replicas", 1)).actions()).containsExactly("scale Deployment anyshare/web from 2 to 1",
            "StatefulSet anyshare/db does not exist now, so the step would fail");
  }

  @Test
  void previewOfARestoreSaysWhatComesBack() {
    assertThat(scale.preview(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web"), "restore", true))
        .actions()).containsExactly("scale Deployment anyshare/web back to the replicas recorded in this run, then"
            + " settle the records (fails, changing nothing, if one has no record)");
  }

  @Test
  void badParamsAreRefusedNamingTheParamBeforeAnyApiCall() {
    int requests = cluster.server.getRequestCount();
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "replica", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k8s.scale: unknown param 'replica'; k8s.scale takes namespace, workloads, replicas, record, restore, settle");
    assertThatThrownBy(() -> scale.preview(Map.of("replicas", 0)))
        .hasMessage("k8s.scale: param 'namespace' is missing");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare")))
        .hasMessage("k8s.scale: give 'replicas' (the new count) or 'restore: true' (back to the recorded counts)");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "replicas", 0, "restore", true)))
        .hasMessage("k8s.scale: give either 'replicas' or 'restore: true', not both");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "restore", true, "record", true)))
        .hasMessage("k8s.scale: 'record' goes with 'replicas', not with 'restore'");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "replicas", -1)))
        .hasMessage("k8s.scale: param 'replicas' must be 0 or more, not -1");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "replicas", "3")))
        .hasMessage("k8s.scale: param 'replicas' must be a whole number, not '3'");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "replicas", 0, "record", "yes")))
        .hasMessage("k8s.scale: param 'record' must be true or false, not 'yes'");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "workloads", "Deployment/web", "replicas", 0)))
        .hasMessage("k8s.scale: param 'workloads' must be a list, not 'Deployment/web'");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "workloads", List.of("web"), "replicas", 0)))
        .hasMessage("k8s.scale: param 'workloads': 'web' is not written Kind/name, like Deployment/web");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "workloads", List.of("DaemonSet/agent"),
        "replicas", 0))).hasMessage("k8s.scale: param 'workloads': kind 'DaemonSet' is not one of Deployment, StatefulSet");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "workloads", List.of("deployment/web"),
        "replicas", 0))).hasMessageEndingWith("(did you mean Deployment?)");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/Web_1"),
        "replicas", 0))).hasMessageStartingWith("k8s.scale: param 'workloads': Deployment name 'Web_1' is not a valid");
    assertThatThrownBy(() -> scale.preview(Map.of("namespace", "Any_Share", "replicas", 0)))
        .hasMessageStartingWith("k8s.scale: param 'namespace': namespace 'Any_Share' is not a valid namespace name");
    assertThat(cluster.server.getRequestCount()).isEqualTo(requests);
  }

  @Test
  void badParamsFailTheExecutionTooWithNothingChanged() {
    kube.deployment("web", 2);
    var context = new RecordingContext(Map.of("namespace", "anyshare", "workloads", List.of("Deployment/web/x"),
        "replicas", 0));
    assertThatThrownBy(() -> scale.execute(context)).isInstanceOf(IllegalArgumentException.class);
    assertThat(replicas("Deployment", "web")).isEqualTo(2);
  }

  private int replicas(String kind, String name) {
    return kind.equals("Deployment")
        ? client.apps().deployments().inNamespace("anyshare").withName(name).get().getSpec().getReplicas()
        : client.apps().statefulSets().inNamespace("anyshare").withName(name).get().getSpec().getReplicas();
  }

  @Test
  void aRestoreThatKeepsTheRecordsLeavesThemForALaterRestoreToSettle() throws Exception {
    kube.deployment("web", 3);
    var down = new RecordingContext(Map.of("namespace", "anyshare", "replicas", 0, "record", true));
    scale.execute(down);

    var back = down.next(Map.of("namespace", "anyshare", "restore", true, "settle", false));
    scale.execute(back);
    assertThat(replicas("Deployment", "web")).isEqualTo(3);
    assertThat(back.records().isSettled("replicas/anyshare/Deployment/web")).isFalse();

    var forget = back.next(Map.of("namespace", "anyshare", "restore", true));
    scale.execute(forget);
    assertThat(forget.actions()).as("already at its recorded count").isEmpty();
    assertThat(forget.records().isSettled("replicas/anyshare/Deployment/web")).isTrue();
    assertThatThrownBy(() -> ScaleParams.from(Map.of("namespace", "a", "replicas", 0, "settle", false)))
        .hasMessageContaining("'settle' goes with 'restore'");
  }
}
