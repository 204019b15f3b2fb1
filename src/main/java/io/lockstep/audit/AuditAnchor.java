package io.lockstep.audit;

import io.lockstep.audit.ChainBreak.Kind;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain's head anchored outside the database: an append-only file of {@link Checkpoint}s, one
 * line each, signed with the site's key and each signature covering the line before:
 *
 * <pre>
 * lockstep-audit-anchor/1 NUMBER SEQ HASH AT SIGNATURE
 * </pre>
 *
 * <p>Contract: {@link #record} is called after a transaction that appended audit rows has
 * committed, with its last row, so a rolled-back row is never anchored; it appends a line only for
 * a row past the last one anchored, and returns once the line is written to the file (in the
 * operating system's hands: it survives the console's process being killed). It is not forced to
 * the disk on every line: that cost 5-10 ms per audited commit, and it would buy nothing, since a
 * power loss that takes the last anchor lines leaves the anchor behind the database, which verify
 * accepts (below), and the H2 default does not fsync its commits either. A crash between commit and {@link #record} leaves the anchor behind the
 * database by that transaction's rows; verify accepts rows after the last checkpoint as long as
 * they chain from it. The database behind the anchor (an anchored row missing, or holding another
 * hash) is a break. Nothing here ever rewrites or shortens the file.
 *
 * <p>The writer remembers the newest checkpoint it wrote or found, so {@link #nextSeqAfter} never
 * hands out a number the anchor has seen, and a file shortened while the console runs is noticed.
 */
final class AuditAnchor {

  static final String VERSION = "lockstep-audit-anchor/1";
  private static final Logger log = LoggerFactory.getLogger(AuditAnchor.class);
  private static final Pattern LINE = Pattern.compile(
      "lockstep-audit-anchor/1 (\\d{1,18}) (\\d{1,18}) ([0-9a-f]{64}) (\\S+) ([0-9a-f]{64})");
  private static final String NO_SIGNATURE = "0".repeat(64);

  private final Path file;
  private final SecretKey key;
  private final Clock clock;
  /**
   * The file, opened to append. A plain stream, not a {@link FileChannel}: a channel is closed by an
   * interrupt of the thread writing to it, and the engine interrupts a step's thread to abort it, so
   * an abort arriving while that thread audited left the row unanchored ("anchor behind").
   */
  private OutputStream channel;
  /** The file's last line (signed or not): the next line's signature covers its signature. */
  private Checkpoint last;
  /** The newest checkpoint whose signature holds, read or written; null before the file exists. */
  private Checkpoint trusted;
  /** The newest checkpoint this console wrote, to notice the file shortened behind its back. */
  private Checkpoint written;
  /** Whether the file exists (anchoring has started). */
  private boolean present;
  /** Whether the file ends inside a line (a write cut short); the next line starts on a new one. */
  private boolean torn;

  private AuditAnchor(Path file, SecretKey key, Clock clock) {
    this.file = file;
    this.key = key;
    this.clock = clock;
  }

  /** Opens the anchor at {@code file} (which need not exist yet) and reads where it stands. */
  static AuditAnchor open(Path file, SecretKey key, Clock clock) {
    AuditAnchor anchor = new AuditAnchor(file, key, clock);
    anchor.resync();
    return anchor;
  }

  Path file() {
    return file;
  }

  /** Re-reads where the file stands (after an approver acknowledged a damaged one). */
  synchronized void resync() {
    last = null;
    trusted = null;
    written = null;
    torn = false;
    closeChannel();
    present = Files.exists(file);
    if (!present) {
      return;
    }
    try (Scan scan = scanFile(Long.MAX_VALUE)) {
      while (scan.next() != null) {
        // the last readable line is where the writer continues
      }
      last = scan.lastLine;
      trusted = scan.lastTrusted;
      torn = scan.torn;
    }
  }

  synchronized boolean exists() {
    return present;
  }

  /** The newest trusted checkpoint, or null when the file does not exist. */
  synchronized Checkpoint latest() {
    return trusted;
  }

  /** The seq the next row gets when the database's head is {@code headSeq}: past both. */
  synchronized long nextSeqAfter(long headSeq) {
    return Math.max(headSeq, trusted == null ? 0 : trusted.seq()) + 1;
  }

  /**
   * Starts the file at row {@code seq}, whose hash is {@code hash}: for a new trail (row 0), or
   * when an approver acknowledged a missing anchor file. Does nothing when the file exists.
   */
  synchronized void start(long seq, String hash) {
    if (present) {
      return;
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      append(seq, hash, StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the audit anchor file " + file, e);
    }
  }

  /**
   * Anchors row {@code seq} with {@code hash}, committed; returns the newest checkpoint. Rows at
   * or before the newest checkpoint are not written again (transactions may finish out of order).
   * Without a file (not started) nothing is written and null is returned.
   */
  synchronized Checkpoint record(long seq, String hash) {
    if (!present || (trusted != null && seq <= trusted.seq())) {
      return trusted;
    }
    try {
      return append(seq, hash, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The row is committed; refusing now would only hide it. Verify shows the anchor behind.
      log.error("Could not anchor audit row {} in {}: {}", seq, file, e.toString());
      closeChannel();
      return trusted;
    }
  }

  private Checkpoint append(long seq, String hash, StandardOpenOption mode) throws IOException {
    long number = last == null ? 1 : last.number() + 1;
    String previous = last == null ? NO_SIGNATURE : last.signature();
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Checkpoint next = new Checkpoint(number, seq, hash, at, sign(number, seq, hash, at, previous));
    String line = (torn ? "\n" : "") + VERSION + " " + number + " " + seq + " " + hash + " " + at + " "
        + next.signature() + "\n";
    if (channel == null || mode == StandardOpenOption.CREATE_NEW) {
      closeChannel();
      if (mode == StandardOpenOption.CREATE_NEW) {
        Files.createFile(file);
      } else if (!Files.exists(file)) {
        throw new java.nio.file.NoSuchFileException(file.toString());
      }
      channel = new FileOutputStream(file.toFile(), true);
    }
    channel.write(line.getBytes(StandardCharsets.US_ASCII));
    last = next;
    trusted = next;
    written = next;
    present = true;
    torn = false;
    return next;
  }

  private void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing to keep from a channel that failed
      }
      channel = null;
    }
  }

  synchronized void close() {
    closeChannel();
  }

  String sign(long number, long seq, String hash, Instant at, String previous) {
    try {
      Mac mac = Mac.getInstance(AnchorKey.ALGORITHM);
      mac.init(key);
      String text = VERSION + "\n" + number + "\n" + seq + "\n" + hash + "\n" + at + "\n" + previous;
      return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("cannot sign with " + AnchorKey.ALGORITHM, e);
    }
  }

  /**
   * Reads the file as it stands now, checking every signature; the caller takes its trusted
   * checkpoints in order with {@link Scan#next} and then the breaks found in the file with {@link
   * Scan#breaks}. Taken before the rows are read, so every checkpoint it yields names a committed row.
   */
  Scan scan() {
    Checkpoint remembered;
    long size;
    synchronized (this) {
      remembered = written;
      try {
        size = Files.size(file);
      } catch (IOException e) {
        size = -1;
      }
    }
    Scan scan = size < 0 ? new Scan(null, 0) : scanFile(size);
    scan.remembered = remembered;
    return scan;
  }

  private Scan scanFile(long limit) {
    try {
      return new Scan(new BufferedInputStream(Files.newInputStream(file), 64 * 1024), limit);
    } catch (NoSuchFileException e) {
      return new Scan(null, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit anchor file " + file, e);
    }
  }

  /** One pass over the anchor file. */
  final class Scan implements Closeable {

    private final InputStream in;
    private long left;
    private final List<ChainBreak> breaks = new ArrayList<>();
    private final boolean missing;
    private Checkpoint remembered;
    private Checkpoint lastLine;
    private Checkpoint lastTrusted;
    private String previousSignature = NO_SIGNATURE;
    private long lineNumber;
    private boolean torn;

    private Scan(InputStream in, long limit) {
      this.in = in;
      this.left = limit;
      this.missing = in == null;
    }

    /** Whether there is no anchor file at all. */
    boolean missing() {
      return missing;
    }

    /** The next checkpoint whose signature holds, in file order, or null at the end. */
    Checkpoint next() {
      if (in == null) {
        return null;
      }
      String line;
      while ((line = readLine()) != null) {
        lineNumber++;
        Checkpoint c = check(line);
        if (c != null) {
          lastTrusted = c;
          return c;
        }
      }
      return null;
    }

    private Checkpoint check(String line) {
      Matcher m = LINE.matcher(line);
      Instant at = null;
      if (m.matches()) {
        try {
          at = Instant.parse(m.group(4));
        } catch (DateTimeParseException e) {
          at = null;
        }
      }
      if (at == null) {
        breaks.add(new ChainBreak(Kind.ANCHOR_UNREADABLE, null, null,
            "anchor file %s line %d: not a checkpoint%s".formatted(file, lineNumber, torn ? " (cut short)" : "")));
        return null;
      }
      Checkpoint c = new Checkpoint(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3), at, m.group(5));
      String expected = sign(c.number(), c.seq(), c.hash(), c.at(), previousSignature);
      previousSignature = c.signature();
      lastLine = c;
      if (!expected.equals(c.signature())) {
        breaks.add(ChainBreak.at(Kind.ANCHOR_SIGNATURE_BAD, c.seq(),
            ("anchor file line %d (row %d): signature does not match; the line, or one before it, was written, "
                + "changed or removed without the anchor key").formatted(lineNumber, c.seq())));
        return null;
      }
      return lastTrusted != null && c.seq() <= lastTrusted.seq() ? null : c;
    }

    /** A line without its end of line, or null at the end of the file. */
    private String readLine() {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(200);
        int b;
        while (left > 0 && (b = in.read()) >= 0) {
          left--;
          if (b == '\n') {
            return bytes.toString(StandardCharsets.US_ASCII);
          }
          if (bytes.size() < 1024) {
            bytes.write(b);
          }
        }
        if (bytes.size() > 0) {
          torn = true;
          return bytes.toString(StandardCharsets.US_ASCII);
        }
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the audit anchor file " + file, e);
      }
    }

    /** The newest trusted checkpoint: the file's, or the one this console wrote if that is newer. */
    Checkpoint newest() {
      if (remembered != null && (lastTrusted == null || remembered.seq() > lastTrusted.seq())) {
        return remembered;
      }
      return lastTrusted;
    }

    /** The breaks found in the file; read after the last {@link #next}. */
    List<ChainBreak> breaks() {
      List<ChainBreak> all = new ArrayList<>(breaks);
      if (remembered != null && (lastLine == null || lastLine.number() < remembered.number())) {
        all.add(ChainBreak.at(Kind.ANCHOR_TRUNCATED, remembered.seq(),
            "anchor file %s ends at checkpoint %s, but this console wrote checkpoint %d (row %d, hash %s)".formatted(
                file, lastLine == null ? "0 (it is empty or gone)" : lastLine.number() + " (row " + lastLine.seq() + ")",
                remembered.number(), remembered.seq(), remembered.hash())));
      }
      return all;
    }

    @Override
    public void close() {
      if (in != null) {
        try {
          in.close();
        } catch (IOException ignored) {
          // read-only
        }
      }
    }
  }
}
