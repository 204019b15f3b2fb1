package io.lockstep.system;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The secret values inside a Kubernetes object the console kept as a secret record (a Secret
 * backed up whole, a custom resource recorded before its deletion), so that they can mask in the
 * output of the run that read them. Of a Secret's {@code data} each value counts in its base64
 * form and decoded: a value that is a YAML or JSON mapping (a configuration file) gives the values
 * under credential-like keys ({@code password}, {@code admin_passwd}, {@code token}, …), any other
 * text counts whole (a password). Elsewhere in the object, values under credential-like keys count.
 */
public final class SecretValues {

  private static final Pattern CREDENTIAL_KEY =
      Pattern.compile("(?i).*(passw|secret|token|credential|api[_-]?key|private[_-]?key).*");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  private SecretValues() {}

  /** The secret values of the recorded object {@code json}; empty when it is no JSON object. */
  public static List<String> ofRecord(String json) {
    List<String> found = new ArrayList<>();
    JsonNode tree;
    try {
      tree = JSON.readTree(json);
    } catch (JacksonException e) {
      return found;
    }
    if (tree == null || !tree.isObject()) {
      return found;
    }
    for (Map.Entry<String, JsonNode> e : tree.properties()) {
      if (e.getKey().equals("data") && e.getValue().isObject()) {
        e.getValue().properties().forEach(d -> data(d.getValue(), true, found));
      } else if (e.getKey().equals("stringData") && e.getValue().isObject()) {
        e.getValue().properties().forEach(d -> data(d.getValue(), false, found));
      } else {
        credentials(e.getValue(), CREDENTIAL_KEY.matcher(e.getKey()).matches(), found);
      }
    }
    return found;
  }

  private static void data(JsonNode value, boolean base64, List<String> found) {
    if (!value.isString()) {
      return;
    }
    String text = value.stringValue();
    if (base64) {
      found.add(text);
      text = decoded(text);
      if (text == null) {
        return;
      }
    }
    JsonNode document = mapping(text);
    if (document == null) {
      found.add(text);
    } else {
      credentials(document, false, found);
    }
  }

  private static void credentials(JsonNode node, boolean credential, List<String> found) {
    if (node.isObject()) {
      node.properties().forEach(e -> credentials(e.getValue(), credential || CREDENTIAL_KEY.matcher(e.getKey()).matches(),
          found));
    } else if (node.isArray()) {
      node.forEach(item -> credentials(item, credential, found));
    } else if (credential && node.isValueNode() && !node.isNull()) {
      found.add(node.asString());
    }
  }

  private static String decoded(String base64) {
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return null;
    }
  }

  private static JsonNode mapping(String text) {
    try {
      JsonNode tree = YAML.readTree(text);
      return tree != null && tree.isObject() ? tree : null;
    } catch (JacksonException e) {
      return null;
    }
  }
}
