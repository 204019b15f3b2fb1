package io.lockstep.procedure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The shipped procedures' Chinese texts (every {@code *_zh} value: names, descriptions, warnings,
 * instructions) use full-width punctuation next to Chinese, as the console's own messages do
 * ({@code TranslationsTest}): a Chinese reader sees one style on the run page, whichever of the two
 * wrote the sentence. These texts count in the procedure's content hash, so changing them asks for
 * plans to be saved again (see {@code Runs.request}).
 */
class ShippedChineseTextsTest {

  private static final Path SHIPPED = Path.of("config/procedures");
  private static final String CJK = "[\\u3400-\\u9fff\\u3000-\\u303f\\uff00-\\uffef]";
  /** An ASCII : ( ) , ; next to Chinese, an ASCII ( before it, or a ) closing Chinese. */
  private static final Pattern ASCII = Pattern.compile(
      CJK + "\\s*[:(),;]|[:(),;]\\s*" + CJK + "|\\(\\s*" + CJK + "|" + CJK + "[^()\\n]*\\)|" + CJK + "\\.(?=\\s|$)");

  @Test
  void chineseTextsUseFullWidthPunctuation() throws IOException {
    List<String> found = new ArrayList<>();
    YAMLMapper yaml = YAMLMapper.builder().build();
    try (Stream<Path> files = Files.list(SHIPPED)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        walk(yaml.readTree(Files.readString(file)), file.getFileName() + ":", found);
      }
    }
    assertThat(found).as("ASCII punctuation in shipped Chinese texts (use ：（），；。)").isEmpty();
  }

  private static void walk(JsonNode node, String path, List<String> found) {
    if (node.isObject()) {
      for (var field : node.properties()) {
        JsonNode value = field.getValue();
        if (field.getKey().endsWith("_zh") && value.isString()) {
          Matcher m = ASCII.matcher(value.asString());
          while (m.find()) {
            found.add(path + "." + field.getKey() + " at «" + m.group() + "»");
          }
        } else {
          walk(value, path + "." + field.getKey(), found);
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "[" + i + "]", found);
      }
    }
  }
}
