package io.lockstep.kosmos;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kosmos.remove-stale-imports}: once the replicas run where the plan says, the
 * {@code ServiceImport} of the primary's Service in a member cluster the plan puts no replica in
 * is left over from an earlier move: nothing there needs it, and it keeps offering the primary to
 * that member. Each such import is recorded as an undo record first ({@value #KEY}MEMBER/NS/NAME:
 * the object without status and server-set fields, so the way back can create it again), then
 * deleted. A member where a replica of the cluster still runs keeps its import, and the step fails
 * naming it. Nothing to remove is not a failure, so the step can be repeated.
 */
@Component
class KosmosStaleImports implements StepExecutor {

  static final String TYPE = "kosmos.remove-stale-imports";
  static final String KEY = "kosmos/removed/ServiceImport/";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MemberClusters members;

  KosmosStaleImports(MemberClusters members) {
    this.members = members;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    MysqlClusters.Params p = MysqlClusters.params(TYPE, params);
    List<String> others = others(p);
    if (others.isEmpty()) {
      return StepPreview.of(Line.of("preview.kosmos.staleImports.none", "every member cluster receives a replica: no"
          + " import can be stale, nothing to remove"));
    }
    return StepPreview.of(Line.of("preview.kosmos.staleImports", "delete the ServiceImport {0} where one is left in {1}"
        + " (no replica goes there), recording each first so the way back can restore it; a member where a replica"
        + " still runs keeps its import and the step fails", p.namespace() + "/" + p.service(), String.join(", ", others)));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    MysqlClusters.Params p = MysqlClusters.params(TYPE, context.params());
    String what = p.namespace() + "/" + p.service();
    List<String> removed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String member : others(p)) {
      KubernetesClient client = members.client(member);
      GenericKubernetesResource imported = MysqlClusters.call("read ServiceImport " + what + " in " + member,
          () -> MysqlClusters.mcs(client, "ServiceImport").inNamespace(p.namespace()).withName(p.service()).get());
      if (imported == null) {
        continue;
      }
      List<String> running = MysqlClusters.call("list the pods of " + p.namespace() + " in " + member,
          () -> client.pods().inNamespace(p.namespace()).withLabel(MysqlClusters.CLUSTER_LABEL, p.name()).list()
              .getItems()).stream().filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
          .map(Pod::getMetadata).map(m -> m.getName()).sorted().toList();
      if (!running.isEmpty()) {
        problems.add(member + " still runs " + String.join(", ", running) + " of MysqlCluster " + p.namespace() + "/"
            + p.name() + ": its ServiceImport " + what + " is kept");
        continue;
      }
      context.undo().recordOnce(KEY + member + "/" + what, JSON.writeValueAsString(recorded(imported)));
      context.action(member, "delete ServiceImport " + what + " (no replica goes to " + member + ")");
      MysqlClusters.call("delete ServiceImport " + what + " in " + member, () -> MysqlClusters.mcs(client, "ServiceImport")
          .inNamespace(p.namespace()).withName(p.service()).delete());
      context.info(member + ": removed the stale ServiceImport " + what + " (recorded under " + KEY + member + "/"
          + what + ")");
      removed.add(member);
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(String.join("; ", problems)
          + (removed.isEmpty() ? "" : " (removed from " + String.join(", ", removed) + ")"));
    }
    return context.said(removed.isEmpty()
        ? Line.of("summary.kosmos.stale.none", "no stale ServiceImport of {0}: nothing removed", what)
        : Line.of("summary.kosmos.stale.removed", "removed the stale ServiceImport {0} from {1} (recorded first)", what,
            String.join(", ", removed)));
  }

  /** The members the plan puts no replica in. */
  private List<String> others(MysqlClusters.Params p) {
    Placement placement = p.placement(members);
    return members.names().stream().filter(m -> !placement.memberTargets().contains(m)).toList();
  }

  /** The import as it can be created again: kind, name, labels, annotations and spec. */
  private static Map<String, Object> recorded(GenericKubernetesResource imported) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", imported.getMetadata().getName());
    metadata.put("namespace", imported.getMetadata().getNamespace());
    if (imported.getMetadata().getLabels() != null && !imported.getMetadata().getLabels().isEmpty()) {
      metadata.put("labels", imported.getMetadata().getLabels());
    }
    if (imported.getMetadata().getAnnotations() != null && !imported.getMetadata().getAnnotations().isEmpty()) {
      metadata.put("annotations", imported.getMetadata().getAnnotations());
    }
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", MysqlClusters.MCS_API);
    object.put("kind", "ServiceImport");
    object.put("metadata", metadata);
    Object spec = imported.getAdditionalProperties().get("spec");
    if (spec != null) {
      object.put("spec", spec);
    }
    return object;
  }
}
