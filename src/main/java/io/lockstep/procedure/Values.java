package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The values a step's parameters may hold, as YAML gives them: text, numbers, booleans, lists and
 * maps with text keys (in the order written). No nulls: a parameter without a value is left out.
 */
final class Values {

  private Values() {}

  /**
   * A deep, unmodifiable copy.
   *
   * @param where how the value is named in messages, e.g. {@code params.command}
   * @throws IllegalArgumentException for a null or a value of another kind, naming {@code where}
   */
  static Object copy(Object value, String where) {
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(copy(list.get(i), where + "[" + i + "]"));
      }
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (!(k instanceof String key)) {
          throw new IllegalArgumentException(where + " has a key that is not text: " + k);
        }
        copy.put(key, copy(v, where + "." + key));
      });
      return Collections.unmodifiableMap(copy);
    }
    if (value == null) {
      throw new IllegalArgumentException(where + " has no value");
    }
    throw new IllegalArgumentException(where + " holds a " + value.getClass().getSimpleName()
        + "; parameters hold text, numbers, true/false, lists and maps");
  }

  /** A deep, unmodifiable copy of a map of values. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> copyMap(Map<String, ?> map, String where) {
    return (Map<String, Object>) copy(map == null ? Map.of() : map, where);
  }

  /** Calls {@code visitor(where, text)} for every string inside {@code value}, depth first. */
  static void strings(Object value, String where, BiConsumer<String, String> visitor) {
    if (value instanceof String text) {
      visitor.accept(where, text);
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        strings(list.get(i), where + "[" + i + "]", visitor);
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> strings(v, where + "." + k, visitor));
    }
  }

  /** Picks the Chinese text for a Chinese locale when there is one, the English text otherwise. */
  static String localized(Locale locale, String english, String chinese) {
    boolean zh = locale != null && "zh".equals(locale.getLanguage());
    return zh && chinese != null && !chinese.isBlank() ? chinese : english;
  }

  /** Null and blank text become the empty string; other text is kept as written. */
  static String orEmpty(String text) {
    return text == null || text.isBlank() ? "" : text;
  }

  /** Null and blank text become null: an optional translation that is not there. */
  static String orNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }
}
