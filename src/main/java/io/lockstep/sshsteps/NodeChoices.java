package io.lockstep.sshsteps;

import io.fabric8.kubernetes.api.model.Node;
import io.lockstep.kubernetes.ApiAvailability;
import io.lockstep.kubernetes.Kubernetes;
import io.lockstep.kubernetes.MemberClusters;
import io.lockstep.procedure.Parameter;
import io.lockstep.run.PlanChoices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Node and host choices for the plan form: for {@code node} and {@code nodes} parameters the
 * cluster's nodes with their roles (from the {@code node-role.kubernetes.io/*} labels) and the
 * configured hosts outside the cluster; for {@code names} parameters that say where replicas go,
 * the host cluster's nodes and the member clusters. Nothing when the API cannot be read.
 */
@Component
class NodeChoices implements PlanChoices {

  private static final String ROLE = "node-role.kubernetes.io/";

  private final Kubernetes kubernetes;
  private final SshStepsProperties properties;
  private final MemberClusters members;
  private final ApiAvailability api;

  NodeChoices(Kubernetes kubernetes, SshStepsProperties properties, MemberClusters members, ApiAvailability api) {
    this.kubernetes = kubernetes;
    this.properties = properties;
    this.members = members;
    this.api = api;
  }

  @Override
  public List<Choice> choices(Parameter parameter) {
    boolean replicas = parameter.type() == Parameter.Type.NAMES && parameter.name().equals("replicas");
    if (parameter.type() != Parameter.Type.NODE && parameter.type() != Parameter.Type.NODES && !replicas) {
      return List.of();
    }
    List<Choice> choices = new ArrayList<>();
    for (Node node : nodes()) {
      String name = node.getMetadata().getName();
      if (replicas && name.startsWith("kosmos-")) {
        continue;
      }
      List<String> roles = new ArrayList<>();
      Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
      labels.keySet().stream().filter(k -> k.startsWith(ROLE)).map(k -> k.substring(ROLE.length())).sorted()
          .forEach(roles::add);
      choices.add(new Choice(name, name + (roles.isEmpty() ? "" : " · " + String.join(", ", roles))));
    }
    if (replicas) {
      members.names().forEach(m -> choices.add(Choice.worded(m, "plan.choice.member", "member cluster", "")));
    } else {
      new TreeMap<>(properties.hosts()).forEach((name, address) -> choices.add(Choice.worded(name, "plan.choice.host",
          "host " + address, address)));
    }
    return choices;
  }

  private List<Node> nodes() {
    if (!api.status().up()) {
      return List.of();
    }
    try {
      return kubernetes.client().nodes().list().getItems();
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
