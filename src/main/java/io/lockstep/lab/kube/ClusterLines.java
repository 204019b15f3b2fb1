package io.lockstep.lab.kube;

import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lines the lab cluster's files are made of, one JSON object each (JSON because it round-trips
 * every string exactly: a label value {@code 1e3} stays a string):
 * <ul>
 *   <li>a change, in a journal: {@code {"op":"put","path":P,"name":N,"rv":V,"object":{…}}} or
 *       {@code {"op":"delete","path":P,"name":N,"rv":V}};
 *   <li>a snapshot's header, {@code {"generation":G,"resourceVersion":V}}, and each of its objects,
 *       {@code {"path":P,"name":N,"object":{…}}}.
 * </ul>
 * {@code path} and {@code name} are the object's {@link StoreKey}; {@code object} is its state as the
 * API serves it, embedded as it is stored (no second serialization on the write path).
 */
final class ClusterLines {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private ClusterLines() {}

  static String put(StoreKey key, long version, String object) {
    return "{\"op\":\"put\"," + where(key) + ",\"rv\":" + version + ",\"object\":" + oneLine(object) + "}\n";
  }

  static String delete(StoreKey key, long version) {
    return "{\"op\":\"delete\"," + where(key) + ",\"rv\":" + version + "}\n";
  }

  static String header(long generation, long version) {
    return "{\"generation\":" + generation + ",\"resourceVersion\":" + version + "}\n";
  }

  static String object(StoreKey key, String object) {
    return "{" + where(key) + ",\"object\":" + oneLine(object) + "}\n";
  }

  /**
   * Line {@code number} of {@code file}, parsed.
   *
   * @throws IllegalStateException naming the file and line when it is not a JSON object
   */
  static JsonNode parse(String line, Path file, int number) {
    try {
      JsonNode node = line == null ? null : JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw new IllegalStateException(file + " line " + number + " is not a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw new IllegalStateException(file + " line " + number + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The object a parsed line is about. */
  static StoreKey key(JsonNode line, Path file, int number) {
    if (!line.path("path").isString() || !line.path("name").isString()) {
      throw new IllegalStateException(file + " line " + number + " names no object");
    }
    return new StoreKey(line.path("path").asString(), line.path("name").asString());
  }

  /** A parsed line's object, as JSON text. */
  static String objectOf(JsonNode line, Path file, int number) {
    if (!line.path("object").isObject()) {
      throw new IllegalStateException(file + " line " + number + " holds no object");
    }
    return JSON.writeValueAsString(line.get("object"));
  }

  private static String where(StoreKey key) {
    return "\"path\":" + JSON.writeValueAsString(key.path()) + ",\"name\":" + JSON.writeValueAsString(key.name());
  }

  /** A stored state on one line: JSON text has line breaks only between tokens, where a space does as well. */
  private static String oneLine(String object) {
    return object.indexOf('\n') < 0 && object.indexOf('\r') < 0 ? object : object.replace('\n', ' ').replace('\r', ' ');
  }
}
