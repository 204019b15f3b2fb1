package io.lockstep.migration;

import io.lockstep.procedure.Procedure;
import java.util.List;
import java.util.Map;

/**
 * Everything the planner page shows, ready for the template: the replicas grouped by component
 * with the chosen targets, the measured sizes, the problems next to their rows, the picture.
 *
 * @param planId the plan edited; null for a new plan
 * @param version the version edited; null for a new plan
 * @param title the plan's title as typed
 * @param procedure the procedure planned; null when the console does not have it
 * @param values the parameter values as form fields show them (secrets never)
 * @param nodes every node, to pick targets from
 * @param mapSources nodes holding container replicas now, to map from
 * @param groups one per component or host service, in table order
 * @param generalProblems problems that concern the plan rather than a row
 * @param problemLines every problem, each naming its row
 * @param pending measurements not finished yet
 * @param picture the moves
 * @param summary what the rows make of the platform
 * @param error why the last save was refused: the problems under Check, measurements still under
 *     way, or something outside the rules (parameters, roles, versions)
 * @param mapFrom the node mapping's source as chosen last; null when none was
 * @param mapTo the node mapping's target as chosen last; null when none was
 */
record PlannerView(String planId, Integer version, String title, Procedure procedure, Map<String, String> values,
    List<NodeOption> nodes, List<String> mapSources, List<Group> groups, List<String> generalProblems,
    List<String> problemLines, long pending, MovesPicture picture, Summary summary, String error, String mapFrom,
    String mapTo) {

  /** A node to pick: {@code note} says why it would be refused as a target (empty when usable). */
  record NodeOption(String name, String note) {}

  /**
   * A component or host service.
   *
   * @param path the target path shown in its input
   */
  record Group(String component, String kind, String confKey, boolean host, String path, List<RowView> rows) {}

  /**
   * One replica.
   *
   * @param size the measured size for people; null while measuring
   * @param failed the size could not be measured
   */
  record RowView(String key, int ordinal, String sourceNode, String sourcePath, String targetNode,
      String targetPath, String size, boolean failed, boolean moves, List<String> problems) {}

  /** What the rows add up to. */
  record Summary(long moving, String bytes, List<String> oldNodes, List<String> newNodes, String appNamespace,
      String controlNode, String finalControlNode) {}

  public boolean clean() {
    return problemLines.isEmpty() && pending == 0;
  }

  /**
   * What htmx leaves out of the form when it checks or maps ({@code hx-params}): the secret
   * parameters, which only the save needs.
   */
  public String checkParams() {
    if (procedure == null || procedure.secretParameters().isEmpty()) {
      return "*";
    }
    return "not " + String.join(",", procedure.secretParameters().stream().sorted().map(n -> "value." + n).toList());
  }

  PlannerView withError(String message) {
    return new PlannerView(planId, version, title, procedure, values, nodes, mapSources, groups, generalProblems,
        problemLines, pending, picture, summary, message, mapFrom, mapTo);
  }
}
