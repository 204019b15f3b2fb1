package io.lockstep.migration;

import io.lockstep.procedure.Durations;
import io.lockstep.procedure.Parameter;
import io.lockstep.procedure.Procedure;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/**
 * What the planner page sends: a target node per row ({@code target.kafka-0}), a target data path
 * per component ({@code path.kafka}), the procedure's parameter values ({@code value.bwlimit}, as
 * the generic plan form names them), a title, the version edited, and the node mapping control
 * ({@code mapFrom}, {@code mapTo}). Converts into plan rows against the platform as it is. The checks
 * leave the secrets out; {@code given.value.<name>} says a secret's field is filled in, never what
 * it holds ({@code secretsGiven}).
 */
record PlannerForm(String title, Integer version, Map<String, String> targets, Map<String, String> paths,
    Map<String, String> values, String mapFrom, String mapTo, java.util.Set<String> secretsGiven) {

  private static final String TARGET = "target.";
  private static final String PATH = "path.";
  private static final String VALUE = "value.";
  private static final String GIVEN = "given.value.";

  PlannerForm {
    targets = Map.copyOf(targets);
    paths = Map.copyOf(paths);
    values = Map.copyOf(values);
    secretsGiven = java.util.Set.copyOf(secretsGiven);
  }

  PlannerForm(String title, Integer version, Map<String, String> targets, Map<String, String> paths,
      Map<String, String> values, String mapFrom, String mapTo) {
    this(title, version, targets, paths, values, mapFrom, mapTo, java.util.Set.of());
  }

  /** An empty form: every replica stays where it is. */
  static PlannerForm blank() {
    return new PlannerForm("", null, Map.of(), Map.of(), Map.of(), null, null);
  }

  static PlannerForm of(MultiValueMap<String, String> params) {
    return new PlannerForm(first(params, "title"), version(first(params, "version")), prefixed(params, TARGET),
        prefixed(params, PATH), prefixed(params, VALUE), first(params, "mapFrom"), first(params, "mapTo"),
        prefixed(params, GIVEN).entrySet().stream().filter(e -> "true".equals(e.getValue())).map(Map.Entry::getKey)
            .collect(java.util.stream.Collectors.toSet()));
  }

  /** The form showing a stored plan: its rows' targets and paths, its values (secrets left blank). */
  static PlannerForm of(io.lockstep.run.Plan plan, Procedure procedure) {
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, String> paths = new LinkedHashMap<>();
    PlanData.rows(plan.data()).rows().forEach(r -> {
      targets.put(r.key(), r.targetNode());
      paths.putIfAbsent(r.component(), r.targetPath());
    });
    Map<String, String> values = new LinkedHashMap<>();
    plan.values().forEach((name, value) -> {
      if (!procedure.secretParameters().contains(name)) {
        values.put(name, text(value));
      }
    });
    return new PlannerForm(plan.title(), plan.version(), targets, paths, values, null, null);
  }

  /** This form with every replica on {@code mapFrom} sent to {@code mapTo} (host services excepted). */
  PlannerForm mapped(Platform platform) {
    if (mapFrom == null || mapTo == null || mapFrom.isBlank() || mapTo.isBlank()) {
      return this;
    }
    Map<String, String> mapped = new LinkedHashMap<>(targets);
    platform.replicas().stream().filter(r -> !r.host() && mapFrom.equals(r.node()))
        .forEach(r -> mapped.put(r.key(), mapTo));
    // the mapping stays chosen: the person maps the next node from where they were
    return new PlannerForm(title, version, mapped, paths, values, mapFrom, mapTo, secretsGiven);
  }

  /** The target node of a replica: as chosen, else where it is. */
  String targetOf(Replica replica) {
    String chosen = targets.get(replica.key());
    return chosen == null || chosen.isBlank() ? replica.node() : chosen.strip();
  }

  /** The target path of a replica: its component's path as typed, else where it is. */
  String pathOf(Replica replica) {
    String typed = paths.get(replica.component());
    return typed == null || typed.isBlank() ? replica.path() : typed.strip();
  }

  /** The rows this form makes on {@code platform}, sizes as measured (0 until they are). */
  List<Row> rows(Platform platform, Facts facts) {
    return platform.replicas().stream().filter(r -> r.node() != null && r.path() != null)
        .map(r -> {
          Measured<Long> size = facts.size(new Place(r.node(), r.path()));
          return new Row(r.key(), r.component(), r.kind(), r.confKey(), r.ordinal(), r.node(), r.path(),
              targetOf(r), pathOf(r), size.isDone() ? size.value() : 0L);
        })
        .toList();
  }

  /**
   * The parameter values to store; a secret left blank keeps {@code current}'s value (the form
   * never shows it).
   */
  Map<String, Object> values(Procedure procedure, Map<String, Object> current) {
    Map<String, Object> result = new LinkedHashMap<>();
    for (Parameter parameter : procedure.parameters()) {
      String value = values.get(parameter.name());
      if (parameter.type() == Parameter.Type.BOOL) {
        value = "true".equals(value) ? "true" : "false";
      }
      if ((value == null || value.isBlank()) && parameter.secret() && current.containsKey(parameter.name())) {
        result.put(parameter.name(), current.get(parameter.name()));
      } else if (value != null && !value.isBlank()) {
        result.put(parameter.name(), value.strip());
      }
    }
    return result;
  }

  private static Map<String, String> prefixed(MultiValueMap<String, String> params, String prefix) {
    Map<String, String> found = new LinkedHashMap<>();
    params.forEach((name, list) -> {
      if (name.startsWith(prefix) && name.length() > prefix.length() && list != null && !list.isEmpty()) {
        found.put(name.substring(prefix.length()), list.get(list.size() - 1));
      }
    });
    return found;
  }

  private static String first(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    return value == null ? null : value.strip();
  }

  private static Integer version(String text) {
    try {
      return text == null || text.isEmpty() ? null : Integer.valueOf(text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof List<?> list) {
      return String.join(", ", list.stream().map(String::valueOf).toList());
    }
    return value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
  }
}
