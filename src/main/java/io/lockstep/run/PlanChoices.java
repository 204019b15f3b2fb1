package io.lockstep.run;

import io.lockstep.procedure.Parameter;
import java.util.List;

/**
 * What the plan form offers to pick for a parameter: the cluster's nodes with their roles, the
 * configured hosts, the member clusters. Modules that know such things provide a bean; the form
 * shows every bean's choices for a parameter under its field, and a click puts one in. Choices
 * are suggestions: what the plan accepts is still checked by the parameter's type and the steps.
 */
public interface PlanChoices {

  /** A value to pick, and how it is shown ({@code node-1 · master, etcd}). */
  record Choice(String value, String label) {}

  /**
   * The choices for {@code parameter}; empty when this bean has none for it. Must answer quickly
   * and never fail: a cluster that cannot be read has no choices to offer.
   */
  List<Choice> choices(Parameter parameter);
}
