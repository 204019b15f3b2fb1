package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a procedure's on-demand actions. An action is written either as one step (the short form:
 * {@code type}, {@code params} … at its top) or with {@code steps}, and then may name the phases it
 * takes back ({@code after}, {@code until}), the read-only {@code checks} that say what is down
 * while it is needed, and {@code requires: approver}.
 */
final class ActionReader {

  static final Set<String> ACTION_KEYS = Set.of("id", "name", "name_zh", "description", "description_zh", "steps",
      "checks", "after", "until", "requires");

  private final Problems problems;
  private final StepTypes stepTypes;
  private final StepReader steps;

  ActionReader(Problems problems, StepTypes stepTypes, Map<String, Parameter.Type> declared) {
    this.problems = problems;
    this.stepTypes = stepTypes;
    this.steps = new StepReader(problems, stepTypes, declared);
  }

  /** The actions; incomplete when problems were recorded. {@code phases} are the procedure's phase ids. */
  List<Action> read(YamlNode.Sequence list, List<String> phases) {
    List<Action> actions = new ArrayList<>();
    if (list == null) {
      return actions;
    }
    Map<String, Integer> firstLines = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      YamlNode node = list.items().get(i);
      boolean whole = node instanceof YamlNode.Mapping map && map.entries().containsKey("steps");
      if (whole) {
        action(node, i, phases, firstLines).ifPresent(actions::add);
      } else {
        steps.read(node, i, "the actions", firstLines).map(Action::of).ifPresent(actions::add);
      }
    }
    return actions;
  }

  private Optional<Action> action(YamlNode node, int index, List<String> phases, Map<String, Integer> firstLines) {
    String label = Fields.label(node, "action", "id", index);
    Optional<Fields> read = Fields.of(node, label, ACTION_KEYS, problems);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    Fields f = read.get();
    int before = problems.count();
    String id = f.slug("id", "action id");
    if (id != null) {
      int line = f.node("id").orElseThrow().line();
      Integer first = firstLines.putIfAbsent(id, line);
      if (first != null) {
        problems.add(line, "the actions have two with id '" + id + "' (the first is at line " + first + ")");
      }
    }
    List<Step> actionSteps = stepList(f.list("steps", true), label);
    List<Step> checks = checks(f.list("checks", false), label);
    List<String> after = phaseIds(f, "after", phases, label);
    List<String> until = phaseIds(f, "until", phases, label);
    boolean approver = requires(f, label);
    if (problems.count() > before) {
      return Optional.empty();
    }
    try {
      return Optional.of(new Action(id, f.text("name", false), f.text("name_zh", false), f.text("description", false),
          f.text("description_zh", false), actionSteps, checks, after, until, approver));
    } catch (IllegalArgumentException e) {
      problems.add(f.line(), e.getMessage());
      return Optional.empty();
    }
  }

  private List<Step> stepList(YamlNode.Sequence list, String label) {
    List<Step> found = new ArrayList<>();
    if (list == null) {
      return found;
    }
    if (list.items().isEmpty()) {
      problems.add(list, label + " has no steps; give at least one");
    }
    Map<String, Integer> firstLines = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      steps.read(list.items().get(i), i, label, firstLines).ifPresent(found::add);
    }
    return found;
  }

  /** Checks must change nothing: their executors must be read-only, and they must be repeatable. */
  private List<Step> checks(YamlNode.Sequence list, String label) {
    List<Step> found = stepList(list, label + "'s checks");
    for (int i = 0; i < found.size(); i++) {
      Step check = found.get(i);
      YamlNode at = list.items().get(Math.min(i, list.items().size() - 1));
      if (!stepTypes.readOnly().contains(check.type())) {
        problems.add(at, "check '" + check.id() + "' of " + label + " has type '" + check.type() + "', which may change"
            + " things; a check runs whenever someone looks, so it needs a read-only type: "
            + String.join(", ", new java.util.TreeSet<>(stepTypes.readOnly())));
      }
      if (!check.repeatable()) {
        problems.add(at, "check '" + check.id() + "' of " + label + " must be repeatable: it runs whenever someone looks");
      }
    }
    return found;
  }

  private List<String> phaseIds(Fields f, String key, List<String> phases, String label) {
    List<String> ids = new ArrayList<>();
    YamlNode.Sequence list = f.list(key, false);
    if (list == null) {
      return ids;
    }
    for (YamlNode item : list.items()) {
      if (item instanceof YamlNode.Scalar s && s.value() instanceof String id && phases.contains(id)) {
        ids.add(id);
      } else {
        problems.add(item, "'" + key + "' of " + label + " names phases of the procedure (" + String.join(", ", phases)
            + "), not " + item.described());
      }
    }
    return ids;
  }

  private boolean requires(Fields f, String label) {
    String requires = f.text("requires", false);
    if (requires == null || requires.equals("operator")) {
      return false;
    }
    if (requires.equals("approver")) {
      return true;
    }
    problems.add(f.node("requires").orElseThrow(), "'requires' of " + label + " is 'operator' (the default) or"
        + " 'approver' (one who did not request the run), not '" + requires + "'");
    return false;
  }
}
