package io.lockstep.procedure;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A value the operator supplies when planning a run, referenced in steps as {@code
 * ${params.NAME}}.
 *
 * @param name a lower-case name with '_' ({@code app_namespace})
 * @param type what kind of value it is; values are checked and converted by {@link #accept}
 * @param required whether a plan must give a value; a required parameter has no default
 * @param defaultValue the value used when a plan gives none, already converted; null for none
 * @param description what the value is for; empty when not given
 * @param descriptionZh the description in Chinese; null when there is none
 * @param secret whether the value is a credential: masked wherever it is shown, never given a
 *     default (it would sit in the file in clear)
 * @param values the allowed values of an {@link Type#ENUM enum}; empty for the other types
 */
public record Parameter(
    String name,
    Type type,
    boolean required,
    Object defaultValue,
    String description,
    String descriptionZh,
    boolean secret,
    List<String> values) {

  public Parameter {
    Names.require(Names.parameterProblem(name));
    if (type == null) {
      throw new IllegalArgumentException("parameter '" + name + "' has no type");
    }
    description = Values.orEmpty(description);
    descriptionZh = Values.orNull(descriptionZh);
    values = List.copyOf(values == null ? List.of() : values);
    if (type == Type.ENUM && (values.isEmpty() || new HashSet<>(values).size() != values.size())) {
      throw new IllegalArgumentException("enum parameter '" + name + "' needs a list of distinct values");
    }
    if (type != Type.ENUM && !values.isEmpty()) {
      throw new IllegalArgumentException("parameter '" + name + "' is of type " + type.written()
          + "; only enum parameters have values");
    }
    if (defaultValue != null) {
      if (required) {
        throw new IllegalArgumentException("parameter '" + name + "' is required and has a default; drop one of them");
      }
      if (secret) {
        throw new IllegalArgumentException("secret parameter '" + name + "' cannot have a default:"
            + " it would sit in the file in clear");
      }
      defaultValue = ParameterValues.accept(name, type, values, defaultValue);
    }
  }

  /** A plain parameter: not secret, no translation; for tests and object mothers. */
  public Parameter(String name, Type type, boolean required, Object defaultValue) {
    this(name, type, required, defaultValue, null, null, false, null);
  }

  /**
   * Checks a value given for this parameter and converts it to its Java form: String for string,
   * node, path and enum; Long for int; Boolean for bool; {@link java.time.Duration} for duration;
   * an unmodifiable List of String for nodes and names. Text is accepted for every type ({@code "3"},
   * {@code "true"}, {@code "10m"}, {@code "node-1, node-2"}), as forms submit it.
   *
   * @throws IllegalArgumentException naming the parameter and what is wrong with the value
   */
  public Object accept(Object value) {
    return ParameterValues.accept(name, type, values, value);
  }

  /** The description to show in {@code locale}. */
  public String description(Locale locale) {
    return Values.localized(locale, description, descriptionZh);
  }

  /** The kinds of parameter value; {@link #written()} is how a procedure file names them. */
  public enum Type {
    STRING, INT, BOOL, DURATION, NODE, NODES, NAMES, PATH, ENUM;

    /** The name in procedure files and in JSON: {@code string}, {@code int}, … */
    @JsonValue
    public String written() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The type a procedure file names, if it is one. */
    public static Optional<Type> written(String name) {
      return Arrays.stream(values()).filter(t -> t.written().equals(name)).findFirst();
    }
  }
}
