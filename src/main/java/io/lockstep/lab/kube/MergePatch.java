package io.lockstep.lab.kube;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON merge patch (RFC 7386) and the strategic merge patch kubectl sends, turned into JSON patch
 * (RFC 6902) operations the CRUD store applies faithfully. The mock stores a merge patch's
 * {@code null} instead of removing the key and refuses strategic merge patches outright; a real API
 * server does neither, and kubectl ({@code rollout restart}, {@code label}, {@code annotate},
 * {@code patch}) relies on both working.
 *
 * <p>Strategic merge patch is applied as a merge patch without its {@code $}-directives: lists are
 * replaced rather than merged by key. Every patch the lab's clients send (annotations, labels,
 * replicas, node selectors) means the same under both rules.
 */
final class MergePatch {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private MergePatch() {}

  /** The document that results from merging {@code patch} into {@code target} (neither is changed). */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      if (key.startsWith("$")) {
        continue;
      }
      if (value.isNull()) {
        result.remove(key);
      } else {
        result.set(key, apply(result.get(key), value));
      }
    }
    return result;
  }

  /** JSON patch operations that turn {@code source} into {@code target}. */
  static ArrayNode diff(JsonNode source, JsonNode target) {
    ArrayNode ops = NODES.arrayNode();
    diff("", source, target, ops);
    return ops;
  }

  private static void diff(String path, JsonNode source, JsonNode target, ArrayNode ops) {
    if (source.isObject() && target.isObject()) {
      List<String> removed = new ArrayList<>();
      for (String key : source.propertyNames()) {
        if (!target.has(key)) {
          removed.add(key);
        }
      }
      removed.forEach(key -> ops.addObject().put("op", "remove").put("path", path + "/" + escape(key)));
      for (Map.Entry<String, JsonNode> field : target.properties()) {
        String child = path + "/" + escape(field.getKey());
        JsonNode before = source.get(field.getKey());
        if (before == null) {
          ops.addObject().put("op", "add").put("path", child).set("value", field.getValue());
        } else if (!before.equals(field.getValue())) {
          diff(child, before, field.getValue(), ops);
        }
      }
    } else if (!source.equals(target)) {
      ops.addObject().put("op", "replace").put("path", path).set("value", target);
    }
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
