package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads YAML into {@link YamlNode}s with line numbers, through Jackson's streaming YAML parser
 * (each token's {@code currentTokenLocation()} carries the line). Jackson's tree model drops
 * locations, hence the own tree. Besides YAML syntax errors it reports what a procedure file must
 * not hold: duplicate keys (YAML forbids them, the parser lets them through), aliases (the parser
 * would hand over the anchor's name instead of its value) and more than one document.
 */
final class YamlNodeParser {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private YamlNodeParser() {}

  /** The file's single document; empty (with the problems recorded) if it cannot be read. */
  static Optional<YamlNode> parse(String text, Problems problems) {
    try (JsonParser parser = YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        problems.add(1, "the file is empty; it should hold one procedure");
        return Optional.empty();
      }
      YamlNode root = read(parser, problems);
      if (parser.nextToken() != null) {
        problems.add(line(parser), "a second YAML document starts here; a file holds one procedure");
      }
      return Optional.of(root);
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
      problems.add(line, "not valid YAML: " + firstLine(e.getOriginalMessage()));
      return Optional.empty();
    }
  }

  private static YamlNode read(JsonParser parser, Problems problems) {
    int line = line(parser);
    JsonToken token = parser.currentToken();
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      problems.add(line, "aliases (*name) are not supported in procedure files; write the value out");
    }
    if (token == JsonToken.START_OBJECT) {
      return mapping(parser, problems, line);
    }
    if (token == JsonToken.START_ARRAY) {
      List<YamlNode> items = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        items.add(read(parser, problems));
      }
      return new YamlNode.Sequence(line, items);
    }
    return new YamlNode.Scalar(line, scalar(parser, token));
  }

  private static YamlNode mapping(JsonParser parser, Problems problems, int line) {
    Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
      String key = parser.currentName();
      int keyLine = line(parser);
      parser.nextToken();
      YamlNode value = read(parser, problems);
      YamlNode.Entry earlier = entries.get(key);
      if (earlier != null) {
        problems.add(keyLine, "key '" + key + "' appears twice (first at line " + earlier.line() + ")");
      } else {
        entries.put(key, new YamlNode.Entry(key, keyLine, value));
      }
    }
    return new YamlNode.Mapping(line, entries);
  }

  private static Object scalar(JsonParser parser, JsonToken token) {
    return switch (token) {
      case VALUE_NULL -> null;
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      default -> parser.getString();
    };
  }

  private static int line(JsonParser parser) {
    return Math.max(0, parser.currentTokenLocation().getLineNr());
  }

  private static String firstLine(String message) {
    String text = message == null ? "cannot be parsed" : message.strip();
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline).strip();
  }
}
