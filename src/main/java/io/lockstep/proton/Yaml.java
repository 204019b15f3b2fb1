package io.lockstep.proton;

import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * YAML as proton-cli reads and writes it, held as a tree so that keys the console does not know
 * survive an edit in their order with their values. Written block style, sequences indented with
 * their dash, quotes only where YAML needs them (and around numbers kept as text, so that
 * {@code "0755"} stays a string); comments of the original are not kept.
 */
final class Yaml {

  private static final YAMLMapper MAPPER = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .enable(YAMLWriteFeature.INDENT_ARRAYS_WITH_INDICATOR)
      .build();

  private Yaml() {}

  /** The text as a YAML mapping; empty when it is no YAML or not a mapping (a password, say). */
  static Optional<ObjectNode> mapping(String text) {
    try {
      JsonNode tree = MAPPER.readTree(text);
      return tree != null && tree.isObject() ? Optional.of((ObjectNode) tree) : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  static String write(JsonNode tree) {
    return MAPPER.writeValueAsString(tree);
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
