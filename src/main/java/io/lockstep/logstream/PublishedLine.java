package io.lockstep.logstream;

/**
 * A stored line on its way to the live readers, rendered at most once per format however many
 * readers it goes to. {@link #END} in a reader's queue means the run's log has ended.
 */
final class PublishedLine {

  static final PublishedLine END = new PublishedLine(null);

  private final StoredLine line;
  private volatile String html;
  private volatile String json;

  PublishedLine(StoredLine line) {
    this.line = line;
  }

  long seq() {
    return line.seq();
  }

  StoredLine line() {
    return line;
  }

  /** The event data in {@code format}; concurrent first calls may both render, with equal results. */
  String data(LogFormat format, LogLineViews views) {
    if (format == LogFormat.JSON) {
      String rendered = json;
      if (rendered == null) {
        json = rendered = views.json(line);
      }
      return rendered;
    }
    String rendered = html;
    if (rendered == null) {
      html = rendered = views.html(line);
    }
    return rendered;
  }
}
