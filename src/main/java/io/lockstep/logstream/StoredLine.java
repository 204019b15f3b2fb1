package io.lockstep.logstream;

import java.time.Instant;

/**
 * A line of a run's log as stored: what readers receive, over SSE and as the downloaded text.
 *
 * @param seq its number within the run: 1 for the first line, no gaps, never reused; the SSE event id
 * @param at when it was appended (to the microsecond)
 * @param step the step that printed it, or {@code null}
 * @param node the node it came from, or {@code null}
 * @param stream which output it came from
 * @param text the line, cleaned, masked and cut to the configured length
 */
public record StoredLine(long seq, Instant at, String step, String node, LogLine.Stream stream, String text) {}
