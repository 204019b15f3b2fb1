package io.lockstep.kosmos;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.lockstep.kubernetes.Kubernetes;
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

/**
 * {@code kosmos.export} and {@code kosmos.check-export}: the primary's Service reaches the
 * replicas placed in member clusters through the MCS API: a {@code ServiceExport} of it in the
 * host, a {@code ServiceImport} (type ClusterSetIP, the Service's ports) in every member the plan
 * places a replica in. {@code kosmos.export} creates what is missing (and records what it created);
 * {@code kosmos.check-export} changes nothing and refuses when one is missing or its ports differ
 * — a replica moved there could not reach its primary.
 */
abstract class KosmosExport implements StepExecutor {

  private final Kubernetes kubernetes;
  private final MemberClusters members;
  private final boolean create;

  KosmosExport(Kubernetes kubernetes, MemberClusters members, boolean create) {
    this.kubernetes = kubernetes;
    this.members = members;
    this.create = create;
  }

  @Component
  static class Export extends KosmosExport {
    Export(Kubernetes kubernetes, MemberClusters members) {
      super(kubernetes, members, true);
    }

    @Override
    public String type() {
      return "kosmos.export";
    }
  }

  @Component
  static class Check extends KosmosExport {
    Check(Kubernetes kubernetes, MemberClusters members) {
      super(kubernetes, members, false);
    }

    @Override
    public String type() {
      return "kosmos.check-export";
    }
  }

  @Override
  public Duration defaultTimeout() {
    return Duration.ofMinutes(1);
  }

  @Override
  public StepPreview preview(Map<String, Object> params) {
    MysqlClusters.Params p = MysqlClusters.params(type(), params);
    List<String> targets = p.placement(members).memberTargets();
    if (targets.isEmpty()) {
      return StepPreview.of(create
          ? Line.of("preview.kosmos.export.none", "no replica goes to a member cluster: nothing to export")
          : Line.of("preview.kosmos.export.noneCheck", "no replica goes to a member cluster: nothing to check"));
    }
    String service = p.namespace() + "/" + p.service();
    return StepPreview.of(create
        ? Line.of("preview.kosmos.export", "create, where missing, ServiceExport {0} in the host cluster and a"
            + " ServiceImport of it (ClusterSetIP, the Service''s ports) in {1}", service, String.join(", ", targets))
        : Line.of("preview.kosmos.export.check", "check, changing nothing, ServiceExport {0} in the host cluster and"
            + " a ServiceImport of it (ClusterSetIP, the Service''s ports) in {1}", service, String.join(", ", targets)));
  }


  @Override
  public String execute(StepContext context) throws InterruptedException {
    MysqlClusters.Params p = MysqlClusters.params(type(), context.params());
    List<String> targets = p.placement(members).memberTargets();
    if (targets.isEmpty()) {
      return context.said(Line.of("summary.kosmos.noMemberReplica", "no replica goes to a member cluster"));
    }
    KubernetesClient host = kubernetes.client();
    String what = p.namespace() + "/" + p.service();
    Service service = MysqlClusters.call("read Service " + what,
        () -> host.services().inNamespace(p.namespace()).withName(p.service()).get());
    if (service == null) {
      throw new StepFailedException("the primary's Service " + what + " does not exist in the host cluster");
    }
    List<Map<String, Object>> ports = ports(service);
    List<String> problems = new ArrayList<>();
    GenericKubernetesResource export = MysqlClusters.call("read ServiceExport " + what,
        () -> MysqlClusters.mcs(host, "ServiceExport").inNamespace(p.namespace()).withName(p.service()).get());
    if (export == null) {
      if (create) {
        context.undo().recordOnce("kosmos/created/host/ServiceExport/" + what, "created by the run");
        context.action(null, "create ServiceExport " + what + " in the host cluster");
        MysqlClusters.call("create ServiceExport " + what, () -> MysqlClusters.mcs(host, "ServiceExport")
            .inNamespace(p.namespace()).resource(object("ServiceExport", p, Map.of())).create());
      } else {
        problems.add("Service " + what + " is not exported from the host cluster (no ServiceExport)");
      }
    }
    for (String member : targets) {
      KubernetesClient client = members.client(member);
      GenericKubernetesResource imported = MysqlClusters.call("read ServiceImport " + what + " in " + member,
          () -> MysqlClusters.mcs(client, "ServiceImport").inNamespace(p.namespace()).withName(p.service()).get());
      if (imported == null && create) {
        if (MysqlClusters.call("read namespace " + p.namespace() + " in " + member,
            () -> client.namespaces().withName(p.namespace()).get()) == null) {
          context.action(null, "create namespace " + p.namespace() + " in " + member);
          MysqlClusters.call("create namespace", () -> client.namespaces().resource(new NamespaceBuilder()
              .withNewMetadata().withName(p.namespace()).endMetadata().build()).create());
        }
        context.undo().recordOnce("kosmos/created/" + member + "/ServiceImport/" + what, "created by the run");
        context.action(null, "create ServiceImport " + what + " (ClusterSetIP, ports " + shown(ports) + ") in " + member);
        MysqlClusters.call("create ServiceImport " + what + " in " + member, () -> MysqlClusters.mcs(client, "ServiceImport")
            .inNamespace(p.namespace()).resource(object("ServiceImport", p,
                Map.of("type", "ClusterSetIP", "ports", ports))).create());
      } else if (imported == null) {
        problems.add("Service " + what + " is not imported in " + member + " (no ServiceImport): the replica placed"
            + " there could not reach its primary");
      } else if (!samePorts(imported, ports)) {
        problems.add("the ServiceImport " + what + " in " + member + " has other ports than the Service ("
            + shown(ports) + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(String.join("; ", problems));
    }
    return context.said(Line.of("summary.kosmos.exported", "Service {0} exported from the host and imported in {1}", what,
        String.join(", ", targets)));
  }

  private static GenericKubernetesResource object(String kind, MysqlClusters.Params p, Map<String, Object> spec) {
    GenericKubernetesResource object = new GenericKubernetesResourceBuilder().withApiVersion(MysqlClusters.MCS_API)
        .withKind(kind).withNewMetadata().withName(p.service()).withNamespace(p.namespace()).endMetadata().build();
    if (!spec.isEmpty()) {
      object.setAdditionalProperty("spec", spec);
    }
    return object;
  }

  private static List<Map<String, Object>> ports(Service service) {
    List<Map<String, Object>> ports = new ArrayList<>();
    for (ServicePort port : service.getSpec().getPorts()) {
      Map<String, Object> p = new LinkedHashMap<>();
      if (port.getName() != null) {
        p.put("name", port.getName());
      }
      p.put("port", port.getPort());
      p.put("protocol", port.getProtocol() == null ? "TCP" : port.getProtocol());
      ports.add(p);
    }
    return ports;
  }

  private static boolean samePorts(GenericKubernetesResource imported, List<Map<String, Object>> ports) {
    Object spec = imported.getAdditionalProperties().get("spec");
    Object have = spec instanceof Map<?, ?> m ? m.get("ports") : null;
    if (!(have instanceof List<?> list) || list.size() != ports.size()) {
      return false;
    }
    for (Map<String, Object> want : ports) {
      boolean found = list.stream().anyMatch(o -> o instanceof Map<?, ?> m
          && String.valueOf(m.get("port")).equals(String.valueOf(want.get("port")))
          && String.valueOf(m.get("protocol") == null ? "TCP" : m.get("protocol")).equals(want.get("protocol")));
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private static String shown(List<Map<String, Object>> ports) {
    return String.join(", ", ports.stream().map(p -> p.get("port") + "/" + p.get("protocol")).toList());
  }
}
