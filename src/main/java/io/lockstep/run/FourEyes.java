package io.lockstep.run;

import java.util.Set;

/**
 * The second person of four-eyes is a person who wrote nothing of what they approve: not the
 * run's requester (checked where each decision is made) and not the author of any version of the
 * plan — whoever edited a plan could otherwise approve exactly what only they had reviewed.
 */
final class FourEyes {

  private FourEyes() {}

  /** Refuses when the actor wrote a version of the plan. */
  static void requireNotAuthor(Actor actor, Set<String> authors, String planId, String toDo) {
    requireNotAuthor(actor, authors, planId, toDo, null, null);
  }

  /**
   * Refuses when the actor wrote a version of the plan; the refusal also as a key for pages, the
   * deed by its key ({@code run.refusal.do.*}) on run {@code runId}.
   */
  static void requireNotAuthor(Actor actor, Set<String> authors, String planId, String toDo, String deedKey,
      String runId) {
    if (authors.contains(actor.name())) {
      throw new RunException.NotAllowed(actor.name() + " wrote a version of plan " + planId + " and may not " + toDo
          + ": a second person who wrote none of it must (four-eyes)", deedKey == null ? null
              : RunMessage.of("run.refusal.authorDecides", RunMessage.text(actor.name()), RunMessage.text(planId),
                  RunMessage.word(deedKey), RunMessage.text(runId)));
    }
  }
}
