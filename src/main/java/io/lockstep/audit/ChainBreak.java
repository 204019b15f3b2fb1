package io.lockstep.audit;

/**
 * One thing wrong with the audit trail, as verify reports it.
 *
 * @param kind what kind of break
 * @param seq the first chain row concerned (for the anchor file's own breaks: the row its line
 *     names, or null when the line cannot be read)
 * @param throughSeq the last row concerned (equal to {@code seq} for a single row)
 * @param problem what is wrong, for a person, e.g. {@code rows 28-30: missing (…)}
 */
public record ChainBreak(Kind kind, Long seq, Long throughSeq, String problem) {

  /** What is wrong. */
  public enum Kind {
    /** Rows that should be there are not: a gap, or rows cut off the end (by the head or the anchor file). */
    ROWS_MISSING,
    /** A row's content does not match its own hash: edited after it was written. */
    HASH_MISMATCH,
    /** A row's prev_hash is not the hash of the row before: that row was resealed or replaced. */
    LINK_BROKEN,
    /** Rows stand after the row the chain head records. */
    ROW_NOT_IN_HEAD,
    /** The chain head records a hash other than that of its row. */
    HEAD_DISAGREES,
    /** The anchor file recorded another hash for this row: the row, and the chain from it, was rewritten. */
    ANCHOR_DISAGREES,
    /** A line of the anchor file is not signed with the site's key: written, changed or removed by someone else. */
    ANCHOR_SIGNATURE_BAD,
    /** A line of the anchor file cannot be read. */
    ANCHOR_UNREADABLE,
    /** The anchor file is gone while the trail holds rows. */
    ANCHOR_MISSING,
    /** The anchor file has fewer checkpoints than this console wrote to it. */
    ANCHOR_TRUNCATED
  }

  public ChainBreak {
    if (kind == null || problem == null || problem.isBlank()) {
      throw new IllegalArgumentException("a chain break needs a kind and a problem");
    }
    throughSeq = throughSeq == null ? seq : throughSeq;
  }

  static ChainBreak at(Kind kind, long seq, String problem) {
    return new ChainBreak(kind, seq, seq, problem);
  }

  /**
   * Names the break independently of its wording, so an acknowledged break is recognised when
   * verify finds it again (e.g. {@code ROWS_MISSING:28-30}).
   */
  public String key() {
    return kind + ":" + (seq == null ? "-" : seq) + "-" + (throughSeq == null ? "-" : throughSeq);
  }
}
