package io.lockstep.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
   * #BATCH} rows in memory), recomputing every hash and link; then checks that row {@code
   * headSeq} exists and has {@code headHash}, as the head recorded it. Stops at the first row
   * that does not hold.
   */
  static Verification verify(Rows rows, long upTo, long headSeq, String headHash, Clock clock) {
    long expected = 1;
    String prev = GENESIS;
    String hashAtHead = headSeq == 0 ? GENESIS : null;
    List<StoredEvent> batch = rows.after(0, upTo, BATCH);
    while (!batch.isEmpty()) {
      for (StoredEvent e : batch) {
        String problem = problem(e, expected, prev);
        if (problem != null) {
          return Verification.broken(expected - 1, prev, expected, problem, clock.instant());
        }
        prev = e.hash();
        hashAtHead = e.seq() == headSeq ? prev : hashAtHead;
        expected++;
      }
      batch = rows.after(batch.get(batch.size() - 1).seq(), upTo, BATCH);
    }
    long checked = expected - 1;
    if (checked < headSeq) {
      return Verification.broken(checked, prev, expected, "row %d: missing (the chain head records %d rows, the table ends at row %d)"
          .formatted(expected, headSeq, checked), clock.instant());
    }
    if (!headHash.equals(hashAtHead)) {
      return Verification.broken(checked, prev, headSeq,
          "row %d: hash does not match the recorded chain head".formatted(headSeq), clock.instant());
    }
    return Verification.intact(checked, prev, clock.instant());
  }

  private static String problem(StoredEvent e, long expected, String prev) {
    if (e.seq() != expected) {
      return expected == 1
          ? "row 1: missing (the chain starts at row %d)".formatted(e.seq())
          : "row %d: missing (row %d follows row %d)".formatted(expected, e.seq(), expected - 1);
    }
    if (!hash(e).equals(e.hash())) {
      return "row %d: hash does not match its content".formatted(e.seq());
    }
    if (!e.prevHash().equals(prev)) {
      return e.seq() == 1
          ? "row 1: prev_hash is not the genesis value (64 zeros)"
          : "row %d: prev_hash does not match row %d".formatted(e.seq(), e.seq() - 1);
    }
    return null;
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
