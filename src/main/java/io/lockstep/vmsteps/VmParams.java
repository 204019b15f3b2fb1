package io.lockstep.vmsteps;

import io.lockstep.procedure.Durations;
import io.lockstep.ssh.NodeNames;
import io.lockstep.ssh.RemotePaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A step's resolved params as the vm-cluster executors read them: every getter checks its value
 * and names the step type and the param when it is wrong; params the type does not take are
 * refused. Names of VMs and volumes are plain names (letters, digits, '-', '_', '.'), so they can
 * go into a command as they are.
 */
final class VmParams {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final String type;
  private final Map<String, ?> values;

  private VmParams(String type, Map<String, ?> values) {
    this.type = type;
    this.values = values;
  }

  static VmParams of(String type, Map<String, ?> values, String... known) {
    Set<String> unknown = new TreeSet<>(values.keySet());
    List.of(known).forEach(unknown::remove);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(type + ": unknown param" + (unknown.size() > 1 ? "s " : " ")
          + String.join(", ", unknown) + "; " + type + " takes " + String.join(", ", known));
    }
    return new VmParams(type, values);
  }

  /** A host (hypervisor, workstation) named in {@code name}. */
  String host(String name) {
    String value = text(name).orElseThrow(() -> invalid(name, "is missing"));
    try {
      return NodeNames.require(value);
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  /** A list of hosts; nested lists (a parameter that is a list) are spliced in. */
  List<String> hosts(String name) {
    List<String> hosts = new ArrayList<>();
    for (String value : list(name).orElseThrow(() -> invalid(name, "is missing"))) {
      try {
        hosts.add(NodeNames.require(value));
      } catch (IllegalArgumentException e) {
        throw invalid(name, e.getMessage());
      }
    }
    return List.copyOf(new LinkedHashSet<>(hosts));
  }

  /** A list of VM or volume names, or empty when the param is absent. */
  Optional<List<String>> names(String name) {
    return list(name).map(items -> {
      for (String item : items) {
        if (!NAME.matcher(item).matches()) {
          throw invalid(name, "'" + item + "' is not a plain name (letters, digits, '-', '_', '.')");
        }
      }
      return List.copyOf(new LinkedHashSet<>(items));
    });
  }

  String name(String name, String fallback) {
    String value = text(name).orElse(fallback);
    if (!NAME.matcher(value).matches()) {
      throw invalid(name, "'" + value + "' is not a plain name (letters, digits, '-', '_', '.')");
    }
    return value;
  }

  String choice(String name, String... allowed) {
    String value = text(name).orElseThrow(() -> invalid(name, "is missing: one of " + String.join(", ", allowed)));
    if (!List.of(allowed).contains(value)) {
      throw invalid(name, "is one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }
    return value;
  }

  String path(String name, String fallback) {
    String value = text(name).orElse(fallback);
    try {
      return RemotePaths.requireAbsolute(value);
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  boolean flag(String name, boolean fallback) {
    Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw invalid(name, "must be true or false");
  }

  Duration duration(String name, Duration fallback) {
    Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Duration d) {
      return d;
    }
    try {
      return Durations.parse(String.valueOf(value));
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  /** The raw text of a param, if given. */
  Optional<String> text(String name) {
    Object value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text) || text.isBlank()) {
      throw invalid(name, "must be text");
    }
    return Optional.of(text.strip());
  }

  private Optional<List<String>> list(String name) {
    Object value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    List<String> items = new ArrayList<>();
    splice(name, value, items);
    if (items.isEmpty()) {
      throw invalid(name, "is an empty list");
    }
    return Optional.of(items);
  }

  private void splice(String name, Object value, List<String> into) {
    if (value instanceof String text) {
      into.add(text.strip());
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        splice(name, item, into);
      }
    } else {
      throw invalid(name, "must be a name or a list of names");
    }
  }

  IllegalArgumentException invalid(String name, String problem) {
    return new IllegalArgumentException(type + ": param '" + name + "' " + problem);
  }
}
