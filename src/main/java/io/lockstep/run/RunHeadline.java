package io.lockstep.run;

import java.util.List;

/**
 * What the run page's header says to the person looking at it, computed when the page is rendered:
 * the run's state in words for this viewer ("waiting for your approval of phase 3 — Maintenance",
 * "waiting for ap1 or ap2 to approve …", "paused: waiting for op1 or op2 to resume"), where the run
 * is (phase n of N), and the one action expected next from this viewer, if any.
 *
 * <p>The words are a message key with its arguments, so the header reads in the viewer's language;
 * {@code waitingFor} names who the run waits for ({@code you} when it is this viewer), for scripts
 * and tests as well as for people.
 *
 * @param kind what the run waits for or does now
 * @param key the message key of the sentence ({@code run.head.*})
 * @param args its arguments
 * @param waitingFor who the run waits for: {@code you}, or the names that may act; empty when nobody
 * @param youAct the viewer is one of those the run waits for
 * @param phaseNumber the current phase's number, 1-based; 0 before the first
 * @param phaseCount how many phases the run has
 * @param next the action expected next from this viewer; null when none
 * @param pausedAt when the run stopped for the pause it is in; null when it is not paused, or not
 *     known (the page shows it in the reader's time zone after the sentence)
 */
record RunHeadline(Kind kind, String key, List<Object> args, String waitingFor, boolean youAct, int phaseNumber,
    int phaseCount, Next next, java.time.Instant pausedAt) {

  RunHeadline(Kind kind, String key, List<Object> args, String waitingFor, boolean youAct, int phaseNumber,
      int phaseCount, Next next) {
    this(kind, key, args, waitingFor, youAct, phaseNumber, phaseCount, next, null);
  }

  enum Kind { STARTING, APPROVAL, REJECTED, MANUAL, PAUSED, DECISION, RUNNING, SUCCEEDED, ABORTED }

  /**
   * The action expected next.
   *
   * @param key the message key of its label
   * @param anchor the id of the element on the page where it is done (the link scrolls there)
   * @param resume the action is resuming the run, done by the button itself
   */
  record Next(String key, String anchor, boolean resume) {}

  /**
   * Who may act, as the sentence names them: {@code ap1}, {@code ap1 or ap2}, {@code ap1, ap2 or ap3}, with
   * the language's separator ({@code ", "}, {@code "、"}) and joining word.
   */
  static String names(List<String> people, String comma, String or) {
    if (people.isEmpty()) {
      return "";
    }
    if (people.size() == 1) {
      return people.get(0);
    }
    return String.join(comma, people.subList(0, people.size() - 1)) + or + people.get(people.size() - 1);
  }

  /** The arguments as an array, for {@code #messages.msgWithParams}. */
  public Object[] argArray() {
    return args.toArray();
  }
}
