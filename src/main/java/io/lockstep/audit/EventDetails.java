package io.lockstep.audit;

import io.lockstep.system.SecretMasker;
import io.lockstep.system.SecretScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an event's details into the canonical JSON the chain hashes: every string value masked
 * (and values under keys ending in a credential word, {@code password}, {@code dbToken}, …, masked
 * whole), keys sorted at every level, no
 * whitespace. Values other than strings, numbers, booleans, maps and lists are stored as their
 * text. The mapper is this class's own, so application JSON settings never change stored text.
 */
final class EventDetails {

  private static final Pattern SECRET_KEY =
      Pattern.compile("(?i).*(password|passwd|secret|token|api[_-]?key|private[_-]?key|credentials?)");
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private EventDetails() {}

  /** The canonical JSON text of {@code details} masked in {@code masker}'s scope ({@code {}} for null or empty). */
  static String canonical(Map<String, ?> details, SecretScope masker) {
    if (details == null || details.isEmpty()) {
      return "{}";
    }
    return JSON.writeValueAsString(maskMap(details, masker));
  }

  /** The stored JSON text read back as a map, in its stored (sorted) order. */
  static Map<String, Object> parse(String json) {
    return json == null || json.isBlank() ? Map.of() : JSON.readValue(json, MAP);
  }

  private static Map<String, Object> maskMap(Map<?, ?> map, SecretScope masker) {
    Map<String, Object> sorted = new TreeMap<>();
    map.forEach((key, value) -> {
      String name = String.valueOf(key);
      sorted.put(name, SECRET_KEY.matcher(name).matches() && value != null && !(value instanceof Boolean)
          ? SecretMasker.MASK
          : mask(value, masker));
    });
    return sorted;
  }

  private static Object mask(Object value, SecretScope masker) {
    if (value == null || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      return maskMap(map, masker);
    }
    if (value instanceof Collection<?> items) {
      List<Object> masked = new ArrayList<>(items.size());
      items.forEach(item -> masked.add(mask(item, masker)));
      return masked;
    }
    return masker.mask(String.valueOf(value));
  }
}
