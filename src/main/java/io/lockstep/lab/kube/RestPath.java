package io.lockstep.lab.kube;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A REST path of the Kubernetes API taken apart: {@code /api/v1/namespaces/resource/pods/kafka-0/log}
 * is group-version {@code v1}, namespace {@code resource}, plural {@code pods}, name {@code kafka-0}
 * and subresource {@code log}. Any part after the plural may be absent.
 */
record RestPath(String groupVersion, String namespace, String plural, String name, String subresource) {

  /** The path's parts, if it addresses a resource type; empty for discovery and other paths. */
  static Optional<RestPath> parse(String path) {
    String[] parts = withoutQuery(path).replaceAll("^/+|/+$", "").split("/");
    int start;
    if (parts.length >= 3 && parts[0].equals("api")) {
      start = 2;
    } else if (parts.length >= 4 && parts[0].equals("apis")) {
      start = 3;
    } else {
      return Optional.empty();
    }
    String groupVersion = start == 2 ? parts[1] : parts[1] + "/" + parts[2];
    boolean namespaced = parts[start].equals("namespaces") && parts.length >= start + 3;
    String namespace = namespaced ? parts[start + 1] : null;
    int type = namespaced ? start + 2 : start;
    int rest = parts.length - type - 1;
    if (rest > 2) {
      return Optional.empty();
    }
    return Optional.of(new RestPath(groupVersion, namespace, parts[type],
        rest >= 1 ? parts[type + 1] : null, rest == 2 ? parts[type + 2] : null));
  }

  /** The path without its query string. */
  static String withoutQuery(String pathWithQuery) {
    int query = pathWithQuery.indexOf('?');
    return query < 0 ? pathWithQuery : pathWithQuery.substring(0, query);
  }

  /** A query parameter's decoded value. */
  static Optional<String> parameter(String pathWithQuery, String name) {
    int start = pathWithQuery.indexOf('?');
    if (start < 0) {
      return Optional.empty();
    }
    for (String pair : pathWithQuery.substring(start + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  /** Whether the request path asks for a watch ({@code watch=true}). */
  static boolean isWatch(String pathWithQuery) {
    return parameter(pathWithQuery, "watch").filter(w -> w.equals("true") || w.equals("1")).isPresent();
  }

  /** The path of the object itself (without subresource). */
  String objectPath() {
    String prefix = groupVersion.contains("/") ? "/apis/" + groupVersion : "/api/" + groupVersion;
    return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural + "/" + name;
  }
}
