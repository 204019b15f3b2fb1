package io.lockstep.kubesteps;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The params of a {@code k8s.scale} step, checked.
 *
 * @param namespace the workloads' namespace
 * @param workloads the Deployments and StatefulSets named; empty: all of the namespace
 * @param replicas the new replica count; -1 with {@code restore}
 * @param record store each workload's replicas before changing any (once per run)
 * @param restore scale back to the recorded replicas
 * @param settle with {@code restore}: settle the records once all are back (false: keep them
 *     standing until a later step, after the workloads are ready, restores again with settling)
 */
record ScaleParams(String namespace, Optional<List<ObjectId>> workloads, int replicas, boolean record,
    boolean restore, boolean settle) {

  static final List<String> NAMES = List.of("namespace", "workloads", "replicas", "record", "restore", "settle");

  static ScaleParams from(Map<String, ?> values) {
    Params params = Params.of(ScaleWorkloads.TYPE, values, NAMES);
    String namespace = params.checked("namespace", () -> KubeNames.namespace(params.text("namespace")));
    Optional<List<ObjectId>> workloads = params.texts("workloads").map(list -> params.checked("workloads",
        () -> list.stream().map(w -> ObjectId.parse(w, namespace, ObjectKind.SCALABLE)).distinct().toList()));
    Optional<Integer> replicas = params.count("replicas");
    boolean restore = params.flag("restore", false);
    boolean record = params.flag("record", false);
    if (replicas.isPresent() == restore) {
      throw params.invalid(restore ? "give either 'replicas' or 'restore: true', not both"
          : "give 'replicas' (the new count) or 'restore: true' (back to the recorded counts)");
    }
    if (restore && record) {
      throw params.invalid("'record' goes with 'replicas', not with 'restore'");
    }
    if (params.has("settle") && !restore) {
      throw params.invalid("'settle' goes with 'restore'");
    }
    return new ScaleParams(namespace, workloads, replicas.orElse(-1), record, restore, params.flag("settle", true));
  }

  /** The workloads in words: {@code Deployment a/web, StatefulSet a/db} or {@code every …}. */
  String scope() {
    return workloads.map(list -> String.join(", ", list.stream().map(ObjectId::toString).toList()))
        .orElse("every Deployment and StatefulSet of namespace " + namespace
            + (replicas == 0 ? " that has replicas" : ""));
  }
}
