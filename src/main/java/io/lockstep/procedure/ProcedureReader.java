package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns the YAML tree of one procedure file into a {@link Procedure}, recording every problem with
 * its line: the procedure's own keys and its parameters here, phases and steps in {@link
 * PhaseReader}. Builds the records only when the file has no problem at all.
 */
final class ProcedureReader {

  static final Set<String> PROCEDURE_KEYS =
      Set.of("id", "name", "name_zh", "description", "description_zh", "parameters", "phases", "actions",
          "warning", "warning_zh");
  static final Set<String> PARAMETER_KEYS =
      Set.of("name", "type", "required", "default", "description", "description_zh", "secret", "values", "min",
          "max");
  private static final String TYPES = Stream.of(Parameter.Type.values())
      .map(Parameter.Type::written).collect(Collectors.joining(", "));

  private final Problems problems;
  private final StepTypes stepTypes;

  ProcedureReader(Problems problems, StepTypes stepTypes) {
    this.problems = problems;
    this.stepTypes = stepTypes;
  }

  /** The procedure, or empty when the file has problems (all of them recorded). */
  Optional<Procedure> read(YamlNode root) {
    Optional<Fields> read = Fields.of(root, "the procedure", PROCEDURE_KEYS, problems);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Fields f = read.get();
    String id = f.slug("id", "procedure id");
    String name = f.text("name", true);
    Map<String, Parameter.Type> declared = new LinkedHashMap<>();
    List<Parameter> parameters = parameters(f.list("parameters", false), declared);
    List<Phase> phases = new PhaseReader(problems, stepTypes, declared).read(f.list("phases", true), f);
    List<Action> actions = new ActionReader(problems, stepTypes, declared).read(f.list("actions", false),
        phases.stream().map(Phase::id).toList());
    if (!problems.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Procedure(id, name, f.text("name_zh", false), f.text("description", false),
          f.text("description_zh", false), parameters, phases, actions, f.text("warning", false),
          f.text("warning_zh", false)));
    } catch (IllegalArgumentException e) {
      problems.add(f.line(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Reads the parameters; {@code declared} receives every name given, even of broken ones. */
  private List<Parameter> parameters(YamlNode.Sequence list, Map<String, Parameter.Type> declared) {
    List<Parameter> parameters = new ArrayList<>();
    if (list == null) {
      return parameters;
    }
    Map<String, Integer> firstLines = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      YamlNode node = list.items().get(i);
      String label = Fields.label(node, "parameter", "name", i);
      Fields.of(node, label, PARAMETER_KEYS, problems)
          .map(f -> parameter(f, label, declared, firstLines))
          .ifPresent(parameters::add);
    }
    return parameters;
  }

  private Parameter parameter(Fields f, String label, Map<String, Parameter.Type> declared,
      Map<String, Integer> firstLines) {
    int before = problems.count();
    String name = f.text("name", true);
    Parameter.Type type = type(f, label);
    if (name != null) {
      String problem = Names.parameterProblem(name);
      if (problem != null) {
        problems.add(f.node("name").orElseThrow(), problem);
      } else if (firstLines.containsKey(name)) {
        problems.add(f.node("name").orElseThrow(),
            "two parameters named '" + name + "' (the first is at line " + firstLines.get(name) + ")");
      } else {
        firstLines.put(name, f.node("name").orElseThrow().line());
        declared.put(name, type);
      }
    }
    Boolean required = f.bool("required", false, null);
    Boolean secret = f.bool("secret", false, null);
    List<String> values = values(f, label, type);
    if ((type == Parameter.Type.INT || type == Parameter.Type.DURATION)
        && (f.node("min").isEmpty() || f.node("max").isEmpty())) {
      problems.add(f.line(), type.written() + " " + label + " needs 'min' and 'max': the range a plan may give");
    }
    if (problems.count() > before) {
      return null;
    }
    Optional<YamlNode> defaultNode = f.node("default");
    try {
      return new Parameter(name, type, required, defaultNode.map(YamlNode::plain).orElse(null),
          f.text("description", false), f.text("description_zh", false), secret, values,
          f.node("min").map(YamlNode::plain).orElse(null), f.node("max").map(YamlNode::plain).orElse(null));
    } catch (IllegalArgumentException e) {
      problems.add(defaultNode.map(YamlNode::line).orElse(f.line()), e.getMessage());
      return null;
    }
  }

  private Parameter.Type type(Fields f, String label) {
    String written = f.text("type", true);
    if (written == null) {
      return null;
    }
    Optional<Parameter.Type> type = Parameter.Type.written(written);
    if (written.equals("string")) {
      problems.add(f.node("type").orElseThrow(), "'type' of " + label + " cannot be 'string' any more: say what the"
          + " value is (k8s_name, k8s_namespace, node, nodeset, user, path, secret, or text for free text of at most"
          + " 'max' characters, 256 unless set)");
      return null;
    }
    if (type.isEmpty()) {
      List<String> known = Stream.of(Parameter.Type.values()).map(Parameter.Type::written).toList();
      problems.add(f.node("type").orElseThrow(), "'type' of " + label + " must be one of " + TYPES
          + ", not '" + written + "'" + Names.suggestion(written, known));
    }
    return type.orElse(null);
  }

  private List<String> values(Fields f, String label, Parameter.Type type) {
    YamlNode.Sequence list = f.list("values", false);
    if (type == Parameter.Type.ENUM && (list == null || list.items().isEmpty())) {
      problems.add(f.line(), "enum " + label + " needs 'values': the list of allowed values");
    }
    if (list == null) {
      return List.of();
    }
    if (type != Parameter.Type.ENUM && type != null) {
      problems.add(list, label + " is of type " + type.written() + "; only enum parameters have 'values'");
    }
    List<String> values = new ArrayList<>();
    for (YamlNode item : list.items()) {
      if (item instanceof YamlNode.Scalar s && s.value() != null) {
        values.add(String.valueOf(s.value()));
      } else {
        problems.add(item, "the values of " + label + " must be single values, not " + item.described());
      }
    }
    return values;
  }
}
