package io.lockstep.run;

import java.util.List;
import java.util.Map;

/**
 * Checks the data of a plan for one procedure before it is stored (P1's replica moves against the
 * live cluster), whichever way the plan arrives: the planner page, the REST API. A module that
 * owns a procedure's planner provides one as a bean.
 */
public interface PlanDataCheck {

  /** The procedure whose plans this checks. */
  String procedureId();

  /**
   * Every problem with the plan, each a sentence a person can act on; empty when the plan may be
   * stored. May read the cluster and the nodes; must not change anything.
   *
   * @param values the plan's parameter values, defaults filled in
   * @param data the plan's data ({@code rows} and the like)
   */
  List<String> problems(Map<String, Object> values, Map<String, Object> data);

  /**
   * A problem with one parameter's value (P2's {@code node} is no master): the plan form shows it
   * next to the field, the API names the parameter in the 400's {@code errors}.
   *
   * @param parameter the parameter's name
   * @param detail a sentence a person can act on, naming the value, in English (the API, the audit)
   * @param said the same as a message (a code in {@code messages-run}, its arguments), for a page
   *     in the reader's language; null when there is only the English
   */
  record ValueProblem(String parameter, String detail, StepPreview.Line said) {

    public ValueProblem(String parameter, String detail) {
      this(parameter, detail, null);
    }

    /** A problem said as a message; its English is the detail. */
    public static ValueProblem of(String parameter, StepPreview.Line said) {
      return new ValueProblem(parameter, said.english(), said);
    }
  }

  /**
   * Every problem of the plan's parameter values against the platform (a node of the wrong role, a
   * node list that leaves part of the cluster out), each naming its parameter; empty when they may
   * be stored. Asked whenever a plan's values are stored new or changed, whatever its data. May read
   * the cluster and the nodes; must not change anything. None by default.
   *
   * @param values the plan's parameter values, defaults filled in
   */
  default List<ValueProblem> valueProblems(Map<String, Object> values) {
    return List.of();
  }

  /**
   * The same for a correction of a plan whose run is under way: {@code underway} is the data of
   * the plan version the run has started phases with, so that effects of the run's own steps (a
   * target directory its pre-copy filled, for a row that still names it) are not counted against
   * the plan. The run's executors check again, at the moment they act, that what they find is
   * their own doing.
   *
   * @param underway that version's data; empty when no run of the plan is under way
   */
  default List<String> problems(Map<String, Object> values, Map<String, Object> data, Map<String, Object> underway) {
    return problems(values, data);
  }
}
