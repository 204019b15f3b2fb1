package io.lockstep.web;

import tools.jackson.core.JacksonException;

/** Where in a JSON body the parser gave up, as {@code values.replicas} or {@code items[2]}. */
final class JsonPaths {

  private JsonPaths() {}

  static String of(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JacksonException json && !json.getPath().isEmpty()) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : json.getPath()) {
          if (ref.getPropertyName() != null) {
            path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
          } else if (ref.getIndex() >= 0) {
            path.append('[').append(ref.getIndex()).append(']');
          }
        }
        return path.isEmpty() ? null : Problems.clean(path.toString(), 120);
      }
    }
    return null;
  }
}
