package io.lockstep.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Audit rows as CSV (RFC 4180: comma separated, CRLF line ends, fields quoted where needed,
 * quotes doubled), UTF-8 with a byte order mark so spreadsheet programs read Chinese correctly.
 * Columns as stored; {@code details} is the hashed JSON text. A text cell a spreadsheet would run
 * as a formula (starting with {@code = + - @}) gets a leading apostrophe; recompute hashes from
 * the JSON export, which is exact.
 *
 * <p>The last record is the anchor file's newest checkpoint, marked by an empty {@code seq} and
 * the type {@value #ANCHOR_TYPE}: occurred_at is when it was written, summary names the row,
 * details hold {@code {"number","seq","hash","signature"}} and hash is the anchored row's hash.
 */
final class CsvExport {

  static final String HEADER = "seq,occurred_at,actor,type,run_id,summary,details,prev_hash,hash";
  static final String ANCHOR_TYPE = "ANCHOR_CHECKPOINT";

  private CsvExport() {}

  static void write(AuditLog log, AuditFilter filter, long upTo, Checkpoint anchor, OutputStream out) {
    try {
      Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
      w.write('\uFEFF');
      w.write(HEADER);
      w.write("\r\n");
      log.forEachStored(filter, upTo, e -> line(w, e));
      if (anchor != null) {
        w.write("," + AuditChain.timestamp(anchor.at()) + ",system," + ANCHOR_TYPE + ",,"
            + "anchor file checkpoint " + anchor.number() + " of row " + anchor.seq() + ","
            + field("{\"number\":%d,\"seq\":%d,\"hash\":\"%s\",\"signature\":\"%s\"}"
                .formatted(anchor.number(), anchor.seq(), anchor.hash(), anchor.signature()))
            + ",," + anchor.hash() + "\r\n");
      }
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void line(Writer w, StoredEvent e) {
    try {
      w.write(e.seq() + "," + AuditChain.timestamp(e.occurredAt()) + "," + text(e.actor()) + "," + text(e.type())
          + "," + text(e.runId()) + "," + text(e.summary()) + "," + field(e.details()) + ","
          + e.prevHash() + "," + e.hash() + "\r\n");
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** A text cell, defused against spreadsheet formulas. */
  static String text(String value) {
    if (value == null) {
      return "";
    }
    boolean formula = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0;
    return field(formula ? "'" + value : value);
  }

  /** A cell quoted when it holds a comma, quote, CR or LF, with quotes doubled. */
  static String field(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
