package io.lockstep.procedure;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.MessageSourceResolvable;

/**
 * A maintenance procedure: the parameters an operator supplies and the phases that run, each
 * approved on its own. Immutable and always valid: ids are slugs and unique in their scope, and
 * every {@code ${params.X}} in a step names a declared parameter.
 *
 * @param id unique among all procedures; a slug, e.g. {@code restart-worker-node}
 * @param name shown to operators
 * @param nameZh the name in Chinese; null when there is none
 * @param description what the procedure is for and what it assumes; empty when not given
 * @param descriptionZh the description in Chinese; null when there is none
 * @param parameters the values a plan supplies, names unique
 * @param phases the phases in the order they run; at least one, ids unique
 * @param actions on-demand steps an operator may run while the run is stopped
 * @param warning what must hold for as long as a run of it is active ("make no changes to cluster
 *     resources"), shown on the run page until the run ends; null when there is none
 * @param warningZh the warning in Chinese; null when there is none
 */
public record Procedure(
    String id,
    String name,
    String nameZh,
    String description,
    String descriptionZh,
    List<Parameter> parameters,
    List<Phase> phases,
    List<Action> actions,
    String warning,
    String warningZh) {

  /** Phase id under which on-demand actions log and audit ({@code actions.restore-secrets}). */
  public static final String ACTIONS = "actions";
  private static final int MAX_UNKNOWN_SHOWN = 10;

  /** A procedure without on-demand actions. */
  public Procedure(String id, String name, String nameZh, String description, String descriptionZh,
      List<Parameter> parameters, List<Phase> phases) {
    this(id, name, nameZh, description, descriptionZh, parameters, phases, List.of());
  }

  /** A procedure without a warning. */
  public Procedure(String id, String name, String nameZh, String description, String descriptionZh,
      List<Parameter> parameters, List<Phase> phases, List<Action> actions) {
    this(id, name, nameZh, description, descriptionZh, parameters, phases, actions, null, null);
  }

  /** The warning to show in {@code locale}; empty when the procedure has none. */
  public Optional<String> warning(Locale locale) {
    return Optional.ofNullable(warning).map(w -> Values.localized(locale, w, warningZh));
  }

  public Procedure {
    Names.require(Names.slugProblem("procedure id", id));
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("procedure '" + id + "' has no name");
    }
    nameZh = Values.orNull(nameZh);
    description = Values.orEmpty(description);
    descriptionZh = Values.orNull(descriptionZh);
    warning = Values.orNull(warning);
    warningZh = Values.orNull(warningZh);
    parameters = List.copyOf(parameters == null ? List.of() : parameters);
    phases = List.copyOf(phases == null ? List.of() : phases);
    if (phases.isEmpty()) {
      throw new IllegalArgumentException("procedure '" + id + "' has no phases");
    }
    unique(parameters.stream().map(Parameter::name).toList(), "parameters named");
    unique(phases.stream().map(Phase::id).toList(), "phases with id");
    actions = List.copyOf(actions == null ? List.of() : actions);
    unique(actions.stream().map(Action::id).toList(), "actions with id");
    if (phases.stream().anyMatch(p -> p.id().equals(ACTIONS))) {
      throw new IllegalArgumentException("procedure '" + id + "': '" + ACTIONS + "' is reserved for on-demand actions;"
          + " give the phase another id");
    }
    Map<String, Parameter> declared = parameters.stream().collect(Collectors.toMap(Parameter::name, p -> p));
    for (Phase phase : phases) {
      for (Step step : phase.steps()) {
        checkReferences(phase.id(), step, declared);
      }
      checkWhen("phase '" + phase.id() + "'", phase.when(), declared);
    }
    for (Action action : actions) {
      for (Step step : action.steps()) {
        checkReferences(ACTIONS, step, declared);
      }
      for (Step check : action.checks()) {
        checkReferences(ACTIONS, check, declared);
      }
      for (String phase : concat(action.after(), action.until())) {
        if (phases.stream().noneMatch(p -> p.id().equals(phase))) {
          throw new IllegalArgumentException("action '" + action.id() + "' names phase '" + phase
              + "', which procedure '" + id + "' does not have");
        }
      }
    }
  }

  /** The name to show in {@code locale}. */
  public String name(Locale locale) {
    return Values.localized(locale, name, nameZh);
  }

  /** The description to show in {@code locale}. */
  public String description(Locale locale) {
    return Values.localized(locale, description, descriptionZh);
  }

  public Optional<Parameter> parameter(String parameterName) {
    return parameters.stream().filter(p -> p.name().equals(parameterName)).findFirst();
  }

  /**
   * An on-demand action: steps a person may run while the run is stopped (failed, waiting for a
   * decision, paused, waiting for approval, aborted), e.g. putting rewritten Secrets back.
   */
  public Optional<Action> action(String actionId) {
    return actions.stream().filter(a -> a.id().equals(actionId)).findFirst();
  }

  public Optional<Phase> phase(String phaseId) {
    return phases.stream().filter(p -> p.id().equals(phaseId)).findFirst();
  }

  /**
   * The step named {@code phase.step}, e.g. {@code stop-app.scale-down}: step ids are unique only
   * within their phase, and slugs hold no dots, so this names one step of the procedure.
   */
  public Optional<Step> step(String qualifiedId) {
    int dot = qualifiedId.indexOf('.');
    return dot < 0 ? Optional.empty()
        : phase(qualifiedId.substring(0, dot)).flatMap(p -> p.step(qualifiedId.substring(dot + 1)));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> both = new ArrayList<>(a);
    both.addAll(b);
    return both;
  }

  /** The names of the parameters whose values must be masked wherever they are shown. */
  public Set<String> secretParameters() {
    return parameters.stream().filter(Parameter::secret).map(Parameter::name).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The SHA-256 (lower-case hex) of this definition's canonical form: equal for definitions that
   * mean the same, whatever the key order, layout or comments of their files; different as soon
   * as anything a run would do or show differs. A run records it to name exactly what it ran.
   */
  public String contentHash() {
    return ContentHash.of(this);
  }

  /**
   * Checks the values a plan gives and completes them with defaults: the {@code params} scope of
   * {@link ParamResolver}. Optional parameters without a default and without a value are absent.
   *
   * @throws IllegalArgumentException listing every unknown name, missing required value and
   *     unacceptable value
   */
  public Map<String, Object> bind(Map<String, ?> given) {
    List<String> problems = new ArrayList<>();
    Map<String, String> byParameter = new LinkedHashMap<>();
    List<String> unknown = given.keySet().stream().filter(n -> parameter(n).isEmpty()).toList();
    unknown.stream().limit(MAX_UNKNOWN_SHOWN)
        .forEach(n -> problems.add("procedure '" + id + "' has no parameter " + ParameterValues.shown(n)));
    if (unknown.size() > MAX_UNKNOWN_SHOWN) {
      problems.add("and " + (unknown.size() - MAX_UNKNOWN_SHOWN) + " more names that are no parameter");
    }
    Map<String, Object> bound = new LinkedHashMap<>();
    for (Parameter p : parameters) {
      Object value = given.get(p.name());
      try {
        if (value != null) {
          bound.put(p.name(), p.accept(value));
        } else if (p.defaultValue() != null) {
          bound.put(p.name(), p.defaultValue());
        } else if (p.required()) {
          problems.add("parameter '" + p.name() + "' is required");
          byParameter.put(p.name(), "required");
        }
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
        byParameter.put(p.name(), e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidValues(String.join("; ", problems), byParameter);
    }
    return Collections.unmodifiableMap(bound);
  }

  /**
   * Values a procedure refuses: the message names every problem; {@link #byParameter()} says which
   * parameter each belongs to, so a form shows it next to the field.
   */
  public static final class InvalidValues extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Map<String, String> byParameter;
    private final transient Map<String, List<MessageSourceResolvable>> said;

    /**
     * @param message every problem, for the log and the audit trail
     * @param byParameter parameter name → what is wrong with its value
     */
    public InvalidValues(String message, Map<String, String> byParameter) {
      this(message, byParameter, Map.of());
    }

    /**
     * @param said parameter name → its problems as messages (a code, arguments and the English of
     *     {@code byParameter}), for a page in the reader's language; a parameter missing here is
     *     shown with its English detail
     */
    public InvalidValues(String message, Map<String, String> byParameter, Map<String, List<MessageSourceResolvable>> said) {
      super(message);
      this.byParameter = Map.copyOf(byParameter);
      this.said = Map.copyOf(said);
    }

    /** A parameter's problems as messages to render in a reader's language; empty when it has none. */
    public List<MessageSourceResolvable> said(String parameter) {
      return said.getOrDefault(parameter, List.of());
    }

    /** Parameter name → what is wrong with its value. */
    public Map<String, String> byParameter() {
      return byParameter;
    }

    /**
     * The problems as an RFC 9457 {@code errors} member, one per parameter in name order, as in
     * that RFC's example: {@code {"parameter": "namespace", "pointer": "#/values/namespace",
     * "detail": "…"}}.
     */
    public List<Map<String, String>> errors() {
      return byParameter.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .map(field -> Map.of("parameter", field.getKey(), "pointer", "#/values/" + field.getKey(),
              "detail", field.getValue()))
          .toList();
    }
  }

  private static void unique(List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw new IllegalArgumentException("the procedure has two " + what + " '" + name + "'");
      }
    }
  }

  private static void checkReferences(String phaseId, Step step, Map<String, Parameter> declared) {
    String where = "step '" + step.id() + "' of " + (phaseId.equals(ACTIONS) ? "the actions" : "phase '" + phaseId + "'");
    for (Template.Reference ref : step.references()) {
      if (ref.root().equals("params") && !declared.containsKey(ref.name())) {
        throw new IllegalArgumentException(where + " refers to " + ref.written() + ", which is not a declared parameter");
      }
    }
    checkWhen(where, step.when(), declared);
  }

  /** A {@code when} (of a step or a phase) names a declared bool parameter, when it names a parameter. */
  private static void checkWhen(String where, String when, Map<String, Parameter> declared) {
    if (when == null) {
      return;
    }
    Template.Reference ref = Template.parse(when).references().get(0);
    if (ref.root().equals("params") && !declared.containsKey(ref.name())) {
      throw new IllegalArgumentException(where + " refers to " + ref.written() + ", which is not a declared parameter");
    }
    Parameter p = ref.root().equals("params") ? declared.get(ref.name()) : null;
    if (p != null && p.type() != Parameter.Type.BOOL) {
      throw new IllegalArgumentException(where + ": 'when' needs a bool parameter; '" + p.name()
          + "' is " + p.type().written());
    }
  }
}
