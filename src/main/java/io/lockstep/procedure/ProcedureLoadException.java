package io.lockstep.procedure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more procedure files are wrong. Carries every problem found, not only the first, so an
 * author can fix a file in one go; the message lists them one per line as {@code file:line:
 * problem}.
 */
public class ProcedureLoadException extends RuntimeException {

  private final transient List<Problem> problems;

  public ProcedureLoadException(List<Problem> problems) {
    super(describe(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a load exception needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file and line order as they were found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    return count + " in procedure definitions:\n"
        + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
