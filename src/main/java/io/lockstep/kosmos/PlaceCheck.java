package io.lockstep.kosmos;

import io.lockstep.run.StepPreview;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.run.StepContext;
import io.lockstep.run.StepFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code kosmos.place} with {@code check: true}: checks, changing nothing, what the move will need,
 * so that a plan that cannot work stops before anything is exported or patched: the host cluster's
 * API answers and every planned place is one of its nodes or a member cluster; the MysqlCluster
 * exists with as many replicas as the plan places; the primary's Service exists; and for every
 * member that receives a replica, its API answers (its pods in the namespace can be listed, as the
 * wait for the placement will) and Kosmos shows it in the host as a Ready virtual node {@code
 * kosmos-MEMBER}, without which no replica can be scheduled there. Every problem is named in one
 * failure.
 */
final class PlaceCheck {

  private final KubernetesClient host;
  private final MemberClusters members;

  PlaceCheck(KubernetesClient host, MemberClusters members) {
    this.host = host;
    this.members = members;
  }

  /** What the check reads, for the approver. */
  static List<StepPreview.Line> preview(MysqlClusters.Params p, Placement placement) {
    List<StepPreview.Line> lines = new ArrayList<>();
    lines.add(StepPreview.Line.of("preview.kosmos.placeCheck", "check only, changing nothing: read the host cluster''s"
        + " nodes (every planned place is one, or a member cluster), MysqlCluster {0} (it must have {1} replicas) and"
        + " Service {2}", p.namespace() + "/" + p.name(), p.replicas().size(), p.namespace() + "/" + p.service()));
    lines.add(StepPreview.Line.of("preview.kosmos.thePlan", "the plan: {0} ({1})", placement.describedLine(),
        Placement.ruleLine()));
    for (String member : placement.memberTargets()) {
      lines.add(StepPreview.Line.of("preview.kosmos.memberAnswers", "{0}: its API answers (the pods of namespace {1} are"
          + " listed), and the host has its virtual node {2} Ready", member, p.namespace(), Placement.virtualNode(member)));
    }
    return lines;
  }

  /**
   * Runs the check.
   *
   * @return the step's summary
   * @throws StepFailedException naming every problem found
   */
  String run(StepContext context, MysqlClusters.Params p, Placement placement) {
    context.action(null, "read the host cluster's nodes, MysqlCluster " + p.namespace() + "/" + p.name()
        + " and Service " + p.namespace() + "/" + p.service() + (placement.memberTargets().isEmpty() ? ""
            : "; read the members " + String.join(", ", placement.memberTargets())));
    List<Node> nodes = MysqlClusters.call("list the host cluster's nodes", () -> host.nodes().list().getItems());
    List<String> problems = new ArrayList<>();
    try {
      MysqlClusters.checkTargets(p, placement, nodes.stream().map(n -> n.getMetadata().getName()).toList());
    } catch (StepFailedException e) {
      problems.add(e.getMessage());
    }
    replicas(p).ifPresent(problems::add);
    Service service = MysqlClusters.call("read Service " + p.namespace() + "/" + p.service(),
        () -> host.services().inNamespace(p.namespace()).withName(p.service()).get());
    if (service == null) {
      problems.add("the primary's Service " + p.namespace() + "/" + p.service() + " does not exist in the host cluster");
    }
    for (String member : placement.memberTargets()) {
      member(context, p, member, nodes).ifPresent(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new StepFailedException(String.join("; ", problems) + "; nothing was changed");
    }
    return "checked, nothing changed: MysqlCluster " + p.namespace() + "/" + p.name() + " can move as planned: "
        + placement.described() + (placement.memberTargets().isEmpty() ? "" : "; members "
            + String.join(", ", placement.memberTargets()) + " answer and are Ready virtual nodes of the host");
  }

  /** A problem with the CR or its replica count, if there is one. */
  private Optional<String> replicas(MysqlClusters.Params p) {
    GenericKubernetesResource cr;
    try {
      cr = MysqlClusters.cr(host, p);
    } catch (StepFailedException e) {
      return Optional.of(e.getMessage());
    }
    Object replicas = KosmosPlace.spec(cr).get("replicas");
    if (!(replicas instanceof Number n) || n.intValue() != p.replicas().size()) {
      return Optional.of("MysqlCluster " + p.namespace() + "/" + p.name() + " has " + replicas + " replicas, the plan "
          + "places " + p.replicas().size());
    }
    return Optional.empty();
  }

  /** A problem with member cluster {@code member}, if there is one. */
  private Optional<String> member(StepContext context, MysqlClusters.Params p, String member, List<Node> hostNodes) {
    try {
      int pods = members.client(member).pods().inNamespace(p.namespace()).list().getItems().size();
      context.info(member + ": the API answers (" + pods + " pod" + (pods == 1 ? "" : "s") + " in namespace "
          + p.namespace() + ")");
    } catch (KubernetesClientException e) {
      return Optional.of("the API of member cluster " + member + " does not answer: " + (e.getStatus() != null
          && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
    }
    String virtual = Placement.virtualNode(member);
    Optional<Node> node = hostNodes.stream().filter(n -> virtual.equals(n.getMetadata().getName())).findFirst();
    if (node.isEmpty()) {
      return Optional.of("the host cluster has no virtual node " + virtual + ": Kosmos does not join " + member
          + " to it, so no replica can be scheduled there");
    }
    boolean ready = node.get().getStatus() != null && node.get().getStatus().getConditions() != null
        && node.get().getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    return ready ? Optional.empty() : Optional.of("the virtual node " + virtual + " of member " + member
        + " is not Ready in the host cluster");
  }
}
