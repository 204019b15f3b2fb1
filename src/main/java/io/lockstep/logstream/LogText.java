package io.lockstep.logstream;

import java.io.IOException;
import java.io.Writer;

/**
 * The downloadable text form of a run's log: one line per stored line with its seq, time (UTC,
 * ISO-8601), stream, step and node and the text, separated by tabs ({@code -} for a missing step or
 * node), so that both a person and {@code cut}/{@code awk} can read it. The text is the stored one:
 * masked, without control characters other than tabs.
 */
final class LogText {

  private LogText() {}

  static void write(StoredLine line, Writer out) throws IOException {
    out.write(Long.toString(line.seq()));
    out.write('\t');
    out.write(line.at().toString());
    out.write('\t');
    out.write(line.stream().code());
    out.write('\t');
    out.write(line.step() == null ? "-" : line.step());
    out.write('\t');
    out.write(line.node() == null ? "-" : line.node());
    out.write('\t');
    out.write(line.text());
    out.write('\n');
  }
}
