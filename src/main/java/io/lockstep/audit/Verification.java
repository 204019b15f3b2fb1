package io.lockstep.audit;

import java.time.Instant;

/**
 * The outcome of walking the audit chain: either intact, with the number of rows and the head
 * hash (which anyone may note down and compare later), or broken at the first row that does not
 * hold, with what is wrong with it. Rows after the first break are not judged.
 *
 * @param ok whether every row checked out
 * @param rows rows checked (all of them when {@code ok})
 * @param headHash the hash of the last row checked (64 zeros for an empty trail)
 * @param brokenSeq the first row that does not hold, or null when {@code ok}
 * @param problem what is wrong with it, e.g. {@code row 17: hash does not match its content};
 *     null when {@code ok}
 * @param verifiedAt when the walk ended
 */
public record Verification(
    boolean ok, long rows, String headHash, Long brokenSeq, String problem, Instant verifiedAt) {

  static Verification intact(long rows, String headHash, Instant at) {
    return new Verification(true, rows, headHash, null, null, at);
  }

  static Verification broken(long rows, String headHash, long seq, String problem, Instant at) {
    return new Verification(false, rows, headHash, seq, problem, at);
  }

  /** One line for logs and reports. */
  public String describe() {
    return ok ? "OK: " + rows + " rows, head " + headHash : "BROKEN: " + problem;
  }
}
