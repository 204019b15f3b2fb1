package io.lockstep.lab.node;

import java.util.List;

/**
 * A parsed command line: simple commands joined by {@code ;}, {@code &&} and {@code ||}, which a
 * shell evaluates left to right with equal precedence for {@code &&} and {@code ||}.
 */
record Script(List<Step> steps) {

  Script {
    steps = List.copyOf(steps);
  }

  /** How a step follows the one before it. */
  enum Connector {
    /** {@code ;} (or the first step): always runs. */
    ALWAYS,
    /** {@code &&}: runs when the previous status is 0. */
    AND,
    /** {@code ||}: runs when the previous status is not 0. */
    OR;

    boolean runsAfter(int previousStatus) {
      return switch (this) {
        case ALWAYS -> true;
        case AND -> previousStatus == 0;
        case OR -> previousStatus != 0;
      };
    }
  }

  record Step(Connector connector, Command command) {}

  /** One simple command: its words (name first) and its redirections in written order. */
  record Command(List<String> words, List<Redirect> redirects) {
    Command {
      words = List.copyOf(words);
      redirects = List.copyOf(redirects);
    }
  }

  /**
   * {@code fd > target}, {@code fd >> target}, {@code fd < target} or {@code fd >& toFd}.
   * {@code fd} is {@link #BOTH} for {@code &>} and {@code &>>}.
   */
  record Redirect(int fd, Kind kind, String target, int toFd) {
    static final int BOTH = -1;

    enum Kind { WRITE, APPEND, READ, DUPLICATE }
  }
}
