package io.lockstep.run;

import java.util.List;

/**
 * What waits for one person, as the dashboard and the navbar badge show it: what blocks a run now
 * (an approval of the phase a run waits at, a manual checkpoint's checklist) apart from the
 * approvals that may be given ahead of time. Names are in the reader's language.
 *
 * @param now what a run waits for now, this person being one who can give it: checklists first
 *     (the person's own runs first), then approvals
 * @param ahead phases the person may approve before their run reaches them
 */
public record Attention(List<Item> now, List<Item> ahead) {

  public Attention {
    now = List.copyOf(now);
    ahead = List.copyOf(ahead);
  }

  /** The count the badge shows prominently. */
  public int nowCount() {
    return now.size();
  }

  /** The count the badge shows quietly. */
  public int aheadCount() {
    return ahead.size();
  }

  /** The items waiting now, for a tooltip: one line each. */
  public String nowLabels() {
    return String.join("\n", now.stream().map(Item::label).toList());
  }

  /** The items that may be approved ahead, for a tooltip: one line each. */
  public String aheadLabels() {
    return String.join("\n", ahead.stream().map(Item::label).toList());
  }

  /** What kind of thing waits. */
  public enum Kind { APPROVAL, CHECKLIST }

  /**
   * One thing waiting.
   *
   * @param kind an approval of a phase or a checklist of a manual step
   * @param runId the run
   * @param requester who requested it
   * @param procedureName the procedure's name in the reader's language
   * @param phaseId the phase
   * @param phaseName the phase's name in the reader's language
   * @param stepKey the step as {@code phase.step}; null for an approval
   * @param stepName the step's name in the reader's language; null for an approval
   * @param mine the reader requested the run
   */
  public record Item(Kind kind, String runId, String requester, String procedureName, String phaseId,
      String phaseName, String stepKey, String stepName, boolean mine) {

    public boolean checklist() {
      return kind == Kind.CHECKLIST;
    }

    /** {@code run-3 · procedure · phase} (or the step, for a checklist), in the reader's language. */
    public String label() {
      return runId + " · " + procedureName + " · " + (kind == Kind.CHECKLIST ? stepName : phaseName);
    }

    /** The anchor on the run page: the phase (holding the step waiting). */
    public String fragment() {
      return "phase-" + phaseId;
    }
  }
}
