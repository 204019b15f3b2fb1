package io.lockstep.kubesteps;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Objects as undo records and previews show them: JSON. Secrets never show their data: a deleted
 * Secret is recorded by name only, and in a patch of a Secret the values under {@code data} and
 * {@code stringData} are masked (recorded as {@link #NOT_RECORDED}, shown as {@code ***}).
 */
final class ObjectJson {

  static final String NOT_RECORDED = "(not recorded)";
  private static final List<String> SECRET_FIELDS = List.of("data", "stringData");
  private static final List<String> SERVER_FIELDS = List.of("resourceVersion", "uid", "creationTimestamp",
      "generation", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds");

  private final KubernetesSerialization serialization;

  ObjectJson(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  /**
   * What an undo record of a deleted object holds: the object without its status and the fields
   * the server sets, so it can be created again; for a Secret only its name.
   */
  String deleted(ObjectId id, HasMetadata object) {
    if (id.kind() == ObjectKind.SECRET) {
      return "Secret " + id.path() + " (its data is not recorded)";
    }
    Map<String, Object> map = map(object);
    map.remove("status");
    if (map.get("metadata") instanceof Map<?, ?> metadata) {
      SERVER_FIELDS.forEach(metadata::remove);
    }
    return serialization.asJson(map);
  }

  /** The object as nested maps and lists. */
  @SuppressWarnings("unchecked") // a Kubernetes object converts to a JSON object: a map with text keys
  Map<String, Object> map(HasMetadata object) {
    return new LinkedHashMap<>(serialization.convertValue(object, Map.class));
  }

  String json(Object value) {
    return serialization.asJson(value);
  }

  /**
   * The values {@code current} has where {@code patch} sets something: a merge patch that would put
   * them back (null for a field that was absent). Maps in the patch are followed into maps of the
   * object; anything else (lists included, which a merge patch replaces whole) is taken whole.
   */
  static Map<String, Object> previous(Map<String, Object> patch, Map<?, ?> current) {
    Map<String, Object> previous = new LinkedHashMap<>();
    patch.forEach((key, value) -> {
      Object now = current == null ? null : current.get(key);
      if (value instanceof Map<?, ?> nested && now instanceof Map<?, ?> nestedNow) {
        previous.put(key, previous(textKeys(nested), nestedNow));
      } else {
        previous.put(key, now);
      }
    });
    return previous;
  }

  /** {@code fields} with every value under {@code data} and {@code stringData} replaced by {@code mask}. */
  static Map<String, Object> maskSecretData(Map<String, Object> fields, String mask) {
    Map<String, Object> masked = new LinkedHashMap<>(fields);
    for (String field : SECRET_FIELDS) {
      if (masked.get(field) instanceof Map<?, ?> data) {
        Map<String, Object> keys = new LinkedHashMap<>();
        data.forEach((k, v) -> keys.put(String.valueOf(k), v == null ? null : mask));
        masked.put(field, keys);
      } else if (masked.get(field) != null) {
        masked.put(field, mask);
      }
    }
    return masked;
  }

  /**
   * The patched fields before and after, one line per field ({@code -spec.replicas: 3},
   * {@code +spec.replicas: 0}), as a unified diff of the object.
   */
  String diff(ObjectId id, Map<String, Object> before, Map<String, Object> patch) {
    List<String> lines = new ArrayList<>();
    lines.add("--- " + id);
    lines.add("+++ " + id + " (patched)");
    lines.add("@@ patched fields @@");
    flatten("", before, patch, lines);
    return String.join("\n", lines) + "\n";
  }

  private void flatten(String prefix, Map<?, ?> before, Map<?, ?> patch, List<String> lines) {
    patch.forEach((key, value) -> {
      String path = prefix + key;
      Object old = before == null ? null : before.get(key);
      if (value instanceof Map<?, ?> nested && (old == null || old instanceof Map<?, ?>)) {
        flatten(path + ".", (Map<?, ?>) old, nested, lines);
        return;
      }
      if (old != null) {
        lines.add("-" + path + ": " + serialization.asJson(old));
      }
      if (value != null) {
        lines.add("+" + path + ": " + serialization.asJson(value));
      }
    });
  }

  private static Map<String, Object> textKeys(Map<?, ?> map) {
    Map<String, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }
}
