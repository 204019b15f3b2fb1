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
  /**
   * One choice: the value it fills in and how it is shown. A label the console words itself (a
   * machine outside the cluster, a member cluster) is a message key with one argument, shown in the
   * reader's language after the value; {@code label} is then its English text, for logs and tests.
   */
  record Choice(String value, String label, String key, String detail) {

    public Choice(String value, String label) {
      this(value, label, null, null);
    }

    /** A choice shown as {@code value · <key's text with detail>}. */
    public static Choice worded(String value, String key, String english, String detail) {
      return new Choice(value, value + " · " + english, key, detail);
    }
  }

  /**
   * The choices for {@code parameter}; empty when this bean has none for it. Must answer quickly
   * and never fail: a cluster that cannot be read has no choices to offer.
   */
  List<Choice> choices(Parameter parameter);
}
