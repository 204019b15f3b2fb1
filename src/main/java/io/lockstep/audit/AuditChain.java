package io.lockstep.audit;

import io.lockstep.audit.ChainBreak.Kind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash chain: how a row is sealed and how the chain is checked.
 *
 * <p>{@code hash} is the lower-case hex SHA-256 of this UTF-8 encoding, one field per line:
 *
 * <pre>
 * lockstep-audit/1
 * SEQ
 * OCCURRED_AT              (ISO-8601 UTC, always 6 fraction digits: 2026-11-25T20:00:01.123000Z)
 * LEN:ACTOR                (LEN = the value's length in UTF-8 bytes; a null value is written "-")
 * LEN:TYPE
 * LEN:RUN_ID
 * LEN:SUMMARY
 * LEN:DETAILS              (the stored canonical JSON text)
 * LEN:PREV_HASH
 * </pre>
 *
 * Length prefixes make the encoding unambiguous whatever the values contain, so no two different
 * rows share an encoding. Anyone holding a JSON export can recompute every hash with this recipe.
 */
final class AuditChain {

  static final String GENESIS = "0".repeat(64);
  static final int BATCH = 1000;
  private static final String VERSION = "lockstep-audit/1";
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Reads stored rows in chain order: those with {@code after < seq <= upTo}, at most {@code limit}. */
  interface Rows {
    List<StoredEvent> after(long after, long upTo, int limit);
  }

  private AuditChain() {}

  static String timestamp(Instant instant) {
    return TIMESTAMP.format(instant);
  }

  /** The row that follows {@code prevHash} as row {@code seq}, sealed with its hash. */
  static StoredEvent seal(long seq, String prevHash, Instant at, NewEvent e) {
    String hash = hash(seq, at, e.actor(), e.type(), e.runId(), e.summary(), e.details(), prevHash);
    return new StoredEvent(seq, at, e.actor(), e.type(), e.runId(), e.summary(), e.details(), prevHash, hash);
  }

  static String hash(StoredEvent e) {
    return hash(e.seq(), e.occurredAt(), e.actor(), e.type(), e.runId(), e.summary(), e.details(), e.prevHash());
  }

  static String hash(long seq, Instant at, String actor, String type, String runId, String summary,
      String details, String prevHash) {
    MessageDigest sha = sha256();
    line(sha, VERSION);
    line(sha, Long.toString(seq));
    line(sha, timestamp(at));
    for (String field : new String[] {actor, type, runId, summary, details, prevHash}) {
      if (field == null) {
        line(sha, "-");
      } else {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
        sha.update((byte) '\n');
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Walks the rows with {@code seq <= upTo} in chain order, in batches (never more than {@value
   * #BATCH} rows in memory), recomputing every hash and link and comparing every row the anchor
   * file names with the hash it recorded; then checks that nothing is missing at the end, by the
   * head ({@code headSeq}, {@code headHash}) or by the newest checkpoint up to {@code upTo}. Goes
   * on past every break, so it reports all of them. Rows after the newest checkpoint are fine as
   * long as they chain from it: that is what a crash between commit and anchoring leaves.
   *
   * @param anchor the anchor file, opened before the first row is read, or null to check without
   */
  static Walk walk(Rows rows, long upTo, long headSeq, String headHash, AuditAnchor.Scan anchor) {
    Walk w = new Walk(headSeq);
    Checkpoint cp = nextCheckpoint(anchor, upTo);
    List<StoredEvent> batch = rows.after(0, upTo, BATCH);
    while (!batch.isEmpty()) {
      for (StoredEvent e : batch) {
        w.row(e);
        while (cp != null && cp.seq() < e.seq()) {
          cp = nextCheckpoint(anchor, upTo);
        }
        if (cp != null && cp.seq() == e.seq() && !cp.hash().equals(e.hash())) {
          w.breaks.add(ChainBreak.at(Kind.ANCHOR_DISAGREES, e.seq(),
              "row %d: the anchor file recorded hash %s for it (checkpoint %d, %s); the table holds %s"
                  .formatted(e.seq(), cp.hash(), cp.number(), cp.at(), e.hash())));
        }
      }
      batch = rows.after(batch.get(batch.size() - 1).seq(), upTo, BATCH);
    }
    Checkpoint newest = null;
    for (; cp != null; cp = nextCheckpoint(anchor, upTo)) {
      newest = cp;
    }
    if (anchor != null) {
      Checkpoint remembered = anchor.newest();
      if (remembered != null && remembered.seq() <= upTo && (newest == null || remembered.seq() > newest.seq())) {
        newest = remembered;
      }
    }
    w.end(headHash, newest);
    if (anchor != null) {
      w.breaks.addAll(anchor.breaks());
    }
    return w;
  }

  /** The next trusted checkpoint up to row {@code upTo}; later ones are read (their signatures checked) and skipped. */
  private static Checkpoint nextCheckpoint(AuditAnchor.Scan anchor, long upTo) {
    if (anchor == null) {
      return null;
    }
    Checkpoint c = anchor.next();
    while (c != null && c.seq() > upTo) {
      c = anchor.next();
    }
    return c;
  }

  /** The state of one walk along the chain, and the breaks found. */
  static final class Walk {
    final List<ChainBreak> breaks = new ArrayList<>();
    private final long headSeq;
    private long expected = 1;
    private String prev = GENESIS;
    private String hashAtHead;
    long rows;
    long lastSeq;
    String lastHash = GENESIS;
    Checkpoint anchored;

    private Walk(long headSeq) {
      this.headSeq = headSeq;
      this.hashAtHead = headSeq == 0 ? GENESIS : null;
    }

    private void row(StoredEvent e) {
      rows++;
      boolean gap = e.seq() != expected;
      if (gap) {
        String what = expected == e.seq() - 1 ? "row " + expected : "rows " + expected + "-" + (e.seq() - 1);
        breaks.add(new ChainBreak(Kind.ROWS_MISSING, expected, e.seq() - 1, expected == 1
            ? what + ": missing (the chain starts at row " + e.seq() + ")"
            : what + ": missing (row " + e.seq() + " follows row " + (expected - 1) + ")"));
      }
      if (!hash(e).equals(e.hash())) {
        breaks.add(ChainBreak.at(Kind.HASH_MISMATCH, e.seq(), "row %d: hash does not match its content".formatted(e.seq())));
      }
      if (!gap && !e.prevHash().equals(prev)) {
        breaks.add(ChainBreak.at(Kind.LINK_BROKEN, e.seq(), e.seq() == 1
            ? "row 1: prev_hash is not the genesis value (64 zeros)"
            : "row %d: prev_hash does not match row %d".formatted(e.seq(), e.seq() - 1)));
      }
      prev = e.hash();
      lastSeq = e.seq();
      lastHash = e.hash();
      expected = e.seq() + 1;
      if (e.seq() == headSeq) {
        hashAtHead = e.hash();
      }
    }

    /** Rows cut off the end, by the head and by the newest checkpoint; the head's hash. */
    private void end(String headHash, Checkpoint newest) {
      anchored = newest;
      long anchoredSeq = newest == null ? 0 : newest.seq();
      long end = Math.max(headSeq, anchoredSeq);
      if (end > lastSeq) {
        List<String> why = new ArrayList<>();
        if (headSeq > lastSeq) {
          why.add("the chain head records " + headSeq + " rows");
        }
        if (anchoredSeq > lastSeq) {
          why.add("the anchor file records row %d with hash %s (checkpoint %d, %s)"
              .formatted(anchoredSeq, newest.hash(), newest.number(), newest.at()));
        }
        String what = lastSeq + 1 == end ? "row " + end : "rows " + (lastSeq + 1) + "-" + end;
        breaks.add(new ChainBreak(Kind.ROWS_MISSING, lastSeq + 1, end,
            what + ": missing (" + String.join("; ", why) + "; the table ends at row " + lastSeq + ")"));
      }
      if (headSeq <= lastSeq && hashAtHead != null && !headHash.equals(hashAtHead)) {
        breaks.add(ChainBreak.at(Kind.HEAD_DISAGREES, headSeq,
            "row %d: hash does not match the recorded chain head".formatted(headSeq)));
      }
    }
  }

  private static void line(MessageDigest sha, String text) {
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) '\n');
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
