package io.lockstep.procedure;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A value the operator supplies when planning a run, referenced in steps as {@code
 * ${params.NAME}}. Every parameter has a {@link Type} whose grammar a value must follow before a
 * plan is stored: a value that does not fit is refused with the parameter named, so nothing built
 * from it reaches a node.
 *
 * @param name a lower-case name with '_' ({@code app_namespace})
 * @param type what kind of value it is; values are checked and converted by {@link #accept}
 * @param required whether a plan must give a value; a required parameter has no default
 * @param defaultValue the value used when a plan gives none, already converted; null for none
 * @param description what the value is for; empty when not given
 * @param descriptionZh the description in Chinese; null when there is none
 * @param secret whether the value is a credential: masked wherever it is shown, never given a
 *     default (it would sit in the file in clear); true exactly for the {@link Type#SECRET} type
 * @param values the allowed values of an {@link Type#ENUM enum}; empty for the other types
 * @param min the smallest value: a Long for {@link Type#INT int}, a Duration for {@link
 *     Type#DURATION duration}; null for the other types. Defaults: {@link #DEFAULT_MIN_INT}, zero.
 * @param max the largest value: a Long for int, a Duration for duration, the most characters (a
 *     Long) for {@link Type#TEXT text} and {@link Type#SECRET secret}; null for the other types.
 *     Defaults: {@link #DEFAULT_MAX_INT}, {@link #DEFAULT_MAX_DURATION}, {@link
 *     #DEFAULT_MAX_LENGTH}.
 */
public record Parameter(
    String name,
    Type type,
    boolean required,
    Object defaultValue,
    String description,
    String descriptionZh,
    boolean secret,
    List<String> values,
    Object min,
    Object max) {

  /** The most characters of a text or secret value unless the procedure says otherwise. */
  public static final long DEFAULT_MAX_LENGTH = 256;
  /**
   * The fewest characters of a secret value: the console masks only values at least this long
   * (shorter ones would blank out ordinary words, see {@code SecretMasker}), so a shorter secret
   * would be shown in clear wherever it went.
   */
  public static final int MIN_SECRET_LENGTH = 4;
  /** The most characters a procedure may allow a text or secret value. */
  public static final long MOST_LENGTH = 65_536;
  static final long DEFAULT_MIN_INT = Integer.MIN_VALUE;
  static final long DEFAULT_MAX_INT = Integer.MAX_VALUE;
  static final Duration DEFAULT_MAX_DURATION = Duration.ofDays(365);

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
    for (String value : values) {
      ParameterValues.requireEnumValue(name, value);
    }
    if (secret && type != Type.SECRET) {
      throw new IllegalArgumentException("parameter '" + name + "' is secret: give it type secret, not "
          + type.written());
    }
    secret = type == Type.SECRET;
    min = ParameterValues.bound(name, type, "min", min);
    max = ParameterValues.bound(name, type, "max", max);
    if (min instanceof Long low && max instanceof Long high && low > high
        || min instanceof Duration low2 && max instanceof Duration high2 && low2.compareTo(high2) > 0) {
      throw new IllegalArgumentException("parameter '" + name + "': 'min' is larger than 'max'");
    }
    if (defaultValue != null) {
      if (required) {
        throw new IllegalArgumentException("parameter '" + name + "' is required and has a default; drop one of them");
      }
      if (secret) {
        throw new IllegalArgumentException("secret parameter '" + name + "' cannot have a default:"
            + " it would sit in the file in clear");
      }
      defaultValue = ParameterValues.accept(name, type, values, min, max, defaultValue);
    }
  }

  /** A parameter without translation, enum values or bounds of its own; for tests and object mothers. */
  public Parameter(String name, Type type, boolean required, Object defaultValue) {
    this(name, type, required, defaultValue, null, null, type == Type.SECRET, null, null, null);
  }

  /** A parameter with the default bounds of its type. */
  public Parameter(String name, Type type, boolean required, Object defaultValue, String description,
      String descriptionZh, boolean secret, List<String> values) {
    this(name, type, required, defaultValue, description, descriptionZh, secret, values, null, null);
  }

  /**
   * Checks a value given for this parameter and converts it to its Java form: String for text,
   * secret, the name types, nodeset, path and enum; Long for int; Boolean for bool; {@link
   * java.time.Duration} for duration; an unmodifiable List of String for nodes and names. Text is
   * accepted for every type ({@code "3"}, {@code "true"}, {@code "10m"}, {@code "node-1, node-2"}),
   * as forms submit it.
   *
   * @throws IllegalArgumentException naming the parameter and what is wrong with the value; the
   *     message shows the value only when it is short and printable, and never a secret's
   */
  public Object accept(Object value) {
    return ParameterValues.accept(name, type, values, min, max, value);
  }

  /** The description to show in {@code locale}. */
  public String description(Locale locale) {
    return Values.localized(locale, description, descriptionZh);
  }

  /**
   * The kinds of parameter value; {@link #written()} is how a procedure file names them. Each
   * accepts exactly one safe grammar (see config/procedures/README.md): a value that fits can go on
   * a command line or into a Kubernetes request as it is.
   */
  public enum Type {
    /** Free text of at most {@code max} characters (256 unless set): no control, bidi or zero-width characters. */
    TEXT,
    /** A credential: any printable characters, at most {@code max} (256 unless set); always masked. */
    SECRET,
    /** A whole number from {@code min} to {@code max}. */
    INT,
    /** true or false. */
    BOOL,
    /** A duration like 90s or 1h30m, from {@code min} to {@code max}. */
    DURATION,
    /** A node's host name: an RFC 1123 DNS subdomain in lower case, like node-1. */
    NODE,
    /** Distinct node names, separated by commas or spaces. */
    NODES,
    /** Names of other things (VMs, volumes, member clusters) written as node names; they may repeat. */
    NAMES,
    /** A ClusterShell node set: host patterns with ranges and @groups, like top[1-3],@worker. */
    NODESET,
    /** The name of a Kubernetes object: a DNS-1123 subdomain, like message-center. */
    K8S_NAME,
    /** A Kubernetes namespace: a DNS-1123 label, like anyshare. */
    K8S_NAMESPACE,
    /** An account name on a host or a BMC: letters, digits, '_', '.', '-', like admin. */
    USER,
    /** An absolute, normalized path on a node, like /root/.ipmi/password. */
    PATH,
    /** One of the listed {@code values}. */
    ENUM;

    /** The name in procedure files and in JSON: {@code text}, {@code int}, {@code k8s_name}, … */
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
