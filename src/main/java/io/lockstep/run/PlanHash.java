package io.lockstep.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.ObjectMapper;

/**
 * The content hash naming a plan version: SHA-256 over a canonical JSON of the procedure's id and
 * content hash, the bound parameter values and the planner's data. Key order and how a value was
 * typed ({@code "3"} or {@code 3}) do not matter; any change of what would run does, including a
 * change of the procedure file itself.
 */
final class PlanHash {

  private PlanHash() {}

  static String of(ObjectMapper json, String procedureId, String procedureHash, Map<String, Object> boundValues,
      Map<String, Object> data) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("procedure", procedureId);
    canonical.put("procedureHash", procedureHash);
    canonical.put("values", canonical(boundValues));
    canonical.put("data", canonical(data));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }

  private static Object canonical(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new TreeMap<>();
      map.forEach((k, v) -> sorted.put(String.valueOf(k), canonical(v)));
      return sorted;
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>();
      list.forEach(item -> items.add(canonical(item)));
      return items;
    }
    if (value instanceof Duration d) {
      return d.toString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return value;
  }
}
