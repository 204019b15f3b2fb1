package io.lockstep.procedure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the phases of a procedure file and, through {@link StepReader}, their steps. */
final class PhaseReader {

  static final Set<String> PHASE_KEYS =
      Set.of("id", "name", "name_zh", "description", "description_zh", "downtime", "budget", "steps", "when");

  private final Problems problems;
  private final StepReader steps;

  /**
   * @param declared the procedure's parameters by name (the type is null where it was broken),
   *     against which {@code ${params.X}} references are checked
   */
  PhaseReader(Problems problems, StepTypes stepTypes, Map<String, Parameter.Type> declared) {
    this.problems = problems;
    this.steps = new StepReader(problems, stepTypes, declared);
  }

  /** The phases; incomplete when problems were recorded. */
  List<Phase> read(YamlNode.Sequence list, Fields procedure) {
    List<Phase> phases = new ArrayList<>();
    if (list == null) {
      return phases;
    }
    if (list.items().isEmpty()) {
      problems.add(list, "the procedure has no phases; give at least one");
    }
    Map<String, Integer> firstLines = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      YamlNode node = list.items().get(i);
      String label = Fields.label(node, "phase", "id", i);
      Fields.of(node, label, PHASE_KEYS, problems)
          .flatMap(f -> phase(f, label, firstLines))
          .ifPresent(phases::add);
    }
    return phases;
  }

  private Optional<Phase> phase(Fields f, String label, Map<String, Integer> firstLines) {
    int before = problems.count();
    String id = f.slug("id", "phase id");
    if (id != null) {
      int line = f.node("id").orElseThrow().line();
      Integer first = firstLines.putIfAbsent(id, line);
      if (first != null) {
        problems.add(line, "two phases with id '" + id + "' (the first is at line " + first + ")");
      }
    }
    String name = f.text("name", true);
    Boolean downtime = f.bool("downtime", false, null);
    Duration budget = f.duration("budget");
    List<Step> stepList = stepsOf(f, label);
    String when = steps.when(f, label);
    if (problems.count() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Phase(id, name, f.text("name_zh", false), f.text("description", false),
          f.text("description_zh", false), downtime, budget, stepList, when));
    } catch (IllegalArgumentException e) {
      problems.add(f.line(), e.getMessage());
      return Optional.empty();
    }
  }

  private List<Step> stepsOf(Fields phase, String phaseLabel) {
    List<Step> stepList = new ArrayList<>();
    YamlNode.Sequence list = phase.list("steps", true);
    if (list == null) {
      return stepList;
    }
    if (list.items().isEmpty()) {
      problems.add(list, phaseLabel + " has no steps; give at least one");
    }
    Map<String, Integer> firstLines = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      steps.read(list.items().get(i), i, phaseLabel, firstLines).ifPresent(stepList::add);
    }
    return stepList;
  }
}
