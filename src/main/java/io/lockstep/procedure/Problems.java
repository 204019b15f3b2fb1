package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.List;

/** The problems found in one file so far: loading goes on after a problem to find the others. */
final class Problems {

  private final String file;
  private final List<Problem> found = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  String file() {
    return file;
  }

  void add(int line, String message) {
    found.add(new Problem(file, line, message));
  }

  void add(YamlNode at, String message) {
    add(at.line(), message);
  }

  int count() {
    return found.size();
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  List<Problem> list() {
    return List.copyOf(found);
  }
}
