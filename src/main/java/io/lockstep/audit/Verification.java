package io.lockstep.audit;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The outcome of walking the audit chain and comparing it with the anchor file: intact, or broken
 * with every break found (the walk goes on past each one).
 *
 * @param ok whether nothing is wrong
 * @param rows rows read from the table
 * @param headHash the hash of the last row read (64 zeros for an empty trail)
 * @param brokenSeq the first row concerned by a break, or null when {@code ok} (kept for clients
 *     of the first version, which reported one break only)
 * @param problem what is wrong there, e.g. {@code row 17: hash does not match its content}; null
 *     when {@code ok}
 * @param breaks every break, by row (breaks of the anchor file itself after those of rows)
 * @param anchor the newest trusted checkpoint of the anchor file taken into account, or null
 *     when there is none
 * @param verifiedAt when the walk ended
 */
public record Verification(
    boolean ok, long rows, String headHash, Long brokenSeq, String problem, List<ChainBreak> breaks,
    Checkpoint anchor, Instant verifiedAt) {

  private static final Comparator<ChainBreak> BY_ROW =
      Comparator.comparing(ChainBreak::seq, Comparator.nullsLast(Comparator.naturalOrder()));

  public Verification {
    breaks = breaks.stream().sorted(BY_ROW).toList();
    if (ok != breaks.isEmpty()) {
      throw new IllegalArgumentException("a verification is ok exactly when it found no break");
    }
  }

  static Verification intact(long rows, String headHash, Instant at) {
    return of(rows, headHash, List.of(), null, at);
  }

  static Verification of(long rows, String headHash, List<ChainBreak> breaks, Checkpoint anchor, Instant at) {
    List<ChainBreak> sorted = breaks.stream().sorted(BY_ROW).toList();
    ChainBreak first = sorted.isEmpty() ? null : sorted.get(0);
    return new Verification(sorted.isEmpty(), rows, headHash, first == null ? null : first.seq(),
        first == null ? null : first.problem(), sorted, anchor, at);
  }

  /** One line for logs and reports. */
  public String describe() {
    if (ok) {
      return "OK: " + rows + " rows, head " + headHash;
    }
    return "BROKEN: " + problem + (breaks.size() > 1 ? " (and " + (breaks.size() - 1) + " more)" : "");
  }
}
