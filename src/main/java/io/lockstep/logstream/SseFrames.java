package io.lockstep.logstream;

/**
 * The text of server-sent events, written by hand so that many events go out with one write and one
 * flush (at thousands of lines a second a flush per event would cost more than the lines). Follows
 * the event-stream format: a field per line, a data value with line breaks as several {@code data:}
 * lines, an empty line ending each event.
 */
final class SseFrames {

  private final StringBuilder text = new StringBuilder(256);

  /** An event {@code line} with the id {@code seq}. */
  SseFrames line(long seq, String data) {
    text.append("id:").append(seq).append("\nevent:line\n");
    return data(data);
  }

  /** The event {@code end}: the log is complete; its data is the last seq. */
  SseFrames end(long lastSeq) {
    text.append("event:end\n");
    return data(Long.toString(lastSeq));
  }

  /** A comment, which readers ignore: keeps the connection alive. */
  SseFrames comment(String comment) {
    text.append(':').append(comment.replaceAll("[\r\n]", " ")).append("\n\n");
    return this;
  }

  /** How long a reader waits before reconnecting after the stream broke. */
  SseFrames retry(long millis) {
    text.append("retry:").append(millis).append("\n\n");
    return this;
  }

  boolean isEmpty() {
    return text.length() == 0;
  }

  @Override
  public String toString() {
    return text.toString();
  }

  private SseFrames data(String data) {
    int start = 0;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '\n' || c == '\r') {
        text.append("data:").append(data, start, i).append('\n');
        if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    text.append("data:").append(data, start, data.length()).append("\n\n");
    return this;
  }
}
