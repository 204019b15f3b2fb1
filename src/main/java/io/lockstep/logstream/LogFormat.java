package io.lockstep.logstream;

/** What the data of a {@code line} event holds: the line as HTML (pages, the default) or as JSON. */
enum LogFormat {
  HTML,
  JSON;

  /** The format named by a request's {@code format} parameter; anything but {@code json} is HTML. */
  static LogFormat of(String name) {
    return "json".equalsIgnoreCase(name) ? JSON : HTML;
  }
}
