package io.lockstep.kosmos;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepExecutor;
import io.lockstep.run.StepFailedException;
import io.lockstep.run.StepPreview;
import io.lockstep.run.StepPreview.Line;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kosmos.place}: rewrites the MysqlCluster's {@code spec.podSpec} tolerations and affinity
 * so that its replicas go where the plan says ({@link Placement}); the operator then recreates the
 * pods. The podSpec as it was is kept as an undo record first (once per run). The replica count
 * of the CR must match the plan's. With {@code check: true} it changes nothing and checks what the
 * move will need instead ({@link PlaceCheck}).
 */
@Component
class KosmosPlace implements StepExecutor {

  static final String TYPE = "kosmos.place";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Kubernetes kubernetes;
  private final MemberClusters members;

  KosmosPlace(Kubernetes kubernetes, MemberClusters members) {
    this.kubernetes = kubernetes;
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
    MysqlClusters.Params p = MysqlClusters.params(TYPE, withoutCheck(params));
    Placement placement = p.placement(members);
    if (check(params)) {
      return StepPreview.of(PlaceCheck.preview(p, placement));
    }
    String cluster = p.namespace() + "/" + p.name();
    String allowed = String.join(", ", placement.allowed());
    String toleration = Placement.TAINT_KEY + "=true:NoSchedule";
    Line scheduling;
    if (placement.memberTargets().isEmpty()) {
      scheduling = placement.spread()
          ? Line.of("preview.kosmos.place.noTolerationSpread", "no toleration; node affinity hostname NotIn every host"
              + " node but {0}; pod anti-affinity on the hostname", allowed)
          : Line.of("preview.kosmos.place.noToleration", "no toleration; node affinity hostname NotIn every host node"
              + " but {0}", allowed);
    } else {
      scheduling = placement.spread()
          ? Line.of("preview.kosmos.place.tolerateSpread", "tolerate {0}; node affinity hostname NotIn every host node"
              + " but {1}; pod anti-affinity on the hostname", toleration, allowed)
          : Line.of("preview.kosmos.place.tolerate", "tolerate {0}; node affinity hostname NotIn every host node but"
              + " {1}", toleration, allowed);
    }
    return StepPreview.of(Line.of("preview.kosmos.place", "patch MysqlCluster {0} spec.podSpec (recorded first): {1}",
        cluster, placement.describedLine()), Placement.ruleLine(), scheduling);
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    MysqlClusters.Params p = MysqlClusters.params(TYPE, withoutCheck(context.params()));
    Placement placement = p.placement(members);
    KubernetesClient client = kubernetes.client();
    if (check(context.params())) {
      return new PlaceCheck(client, members).run(context, p, placement);
    }
    List<String> hostNodes = MysqlClusters.call("list the host cluster's nodes",
        () -> client.nodes().list().getItems().stream().map(Node::getMetadata).map(m -> m.getName()).toList());
    MysqlClusters.checkTargets(p, placement, hostNodes);
    GenericKubernetesResource cr = MysqlClusters.cr(client, p);
    Object replicas = spec(cr).get("replicas");
    if (!(replicas instanceof Number n) || n.intValue() != p.replicas().size()) {
      throw new StepFailedException("MysqlCluster " + p.namespace() + "/" + p.name() + " has " + replicas
          + " replicas, the plan places " + p.replicas().size());
    }
    Object podSpec = spec(cr).getOrDefault("podSpec", Map.of());
    String key = "kosmos/podSpec/" + p.namespace() + "/" + p.name();
    context.undo().recordOnce(key, JSON.writeValueAsString(podSpec));
    Map<String, Object> patch = Map.of("spec", Map.of("podSpec",
        placement.podSpecPatch(hostNodes, Map.of(MysqlClusters.CLUSTER_LABEL, p.name()))));
    String body = JSON.writeValueAsString(patch);
    context.action(null, "merge-patch MysqlCluster " + p.namespace() + "/" + p.name() + ": " + body);
    MysqlClusters.call("patch MysqlCluster " + p.namespace() + "/" + p.name(), () -> MysqlClusters.mysql(client)
        .inNamespace(p.namespace()).withName(p.name()).patch(PatchContext.of(PatchType.JSON_MERGE), body));
    context.info("MysqlCluster " + p.namespace() + "/" + p.name() + ": " + placement.describedWithRule());
    return context.said(Line.of("summary.kosmos.placed", "placed: {0} (per place, not per replica)",
        placement.described()));
  }

  /** The {@code check} param: true for the read-only check. */
  private static boolean check(Map<String, Object> params) {
    Object check = params.get("check");
    if (check == null || Boolean.FALSE.equals(check) || "false".equals(check)) {
      return false;
    }
    if (Boolean.TRUE.equals(check) || "true".equals(check)) {
      return true;
    }
    throw new IllegalArgumentException(TYPE + ": param 'check' must be true or false");
  }

  /** The params the other kosmos steps share ({@link MysqlClusters#params}), {@code check} taken out. */
  private static Map<String, Object> withoutCheck(Map<String, Object> params) {
    Map<String, Object> rest = new LinkedHashMap<>(params);
    rest.remove("check");
    return rest;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource cr) {
    Object spec = cr.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
  }
}
