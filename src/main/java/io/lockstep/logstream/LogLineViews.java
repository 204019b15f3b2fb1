package io.lockstep.logstream;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a stored line looks to a reader: HTML from the {@value #TEMPLATE} {@code :: line} fragment
 * (escaped by the template engine; remote output may contain markup) for pages, or JSON for scripts.
 * Neither depends on the reader, so each live line is rendered once for all readers.
 */
@Component
class LogLineViews {

  static final String TEMPLATE = "logstream/lines";
  private static final Set<String> LINE = Set.of("line");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private final ITemplateEngine templates;
  private final JsonMapper json;

  LogLineViews(ITemplateEngine templates, JsonMapper json) {
    this.templates = templates;
    this.json = json;
  }

  /**
   * The line as one HTML element, on one line. The template gets plain values, not the record:
   * reading record properties through SpEL costs several times more than the rest of the rendering.
   */
  String html(StoredLine line) {
    Context context = new Context(Locale.ROOT);
    context.setVariable("seq", line.seq());
    context.setVariable("at", line.at().toString());
    context.setVariable("time", TIME.format(line.at()));
    context.setVariable("where", line.node() != null ? line.node() : line.step());
    context.setVariable("stream", line.stream().code());
    context.setVariable("text", line.text());
    return templates.process(TEMPLATE, LINE, context).strip();
  }

  /** The line as a JSON object: seq, at (ISO-8601), step, node, stream ({@code out|err|sys}), text. */
  String json(StoredLine line) {
    return json.writeValueAsString(new LineJson(line.seq(), line.at().toString(), line.step(), line.node(),
        line.stream().code(), line.text()));
  }

  /** The JSON form of a line. */
  record LineJson(long seq, String at, String step, String node, String stream, String text) {}
}
