package io.lockstep.procedure;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks and converts values given for parameters; see {@link Parameter#accept}. Each type accepts
 * one grammar and refuses everything else, so that no value can carry a shell metacharacter, an
 * option ({@code --foo}), a control, bidi or zero-width character or an unbounded length into a
 * plan. Messages name the parameter and show the value only as {@link #shown} renders it.
 */
final class ParameterValues {

  /** An RFC 1123 label: what Kubernetes allows for namespaces and each part of a node name. */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LONG = Pattern.compile("[+-]?\\d{1,18}");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  /** One element of a node set: an @group (with its source) or a host pattern with ranges. */
  private static final Pattern GROUP = Pattern.compile("@([A-Za-z0-9][A-Za-z0-9_.-]{0,63}:)?[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern RANGE = Pattern.compile("\\d{1,6}(-\\d{1,6})?");
  private static final Pattern HOST_PART = Pattern.compile("[A-Za-z0-9_.-]*");
  private static final String PATH_ASCII = "._/+@:=,-";
  private static final int MAX_NAME = 253;
  private static final int MAX_NODESET = 1024;
  private static final int MAX_PATH = 4096;
  private static final int MAX_LIST_TEXT = 16_384;
  private static final int MAX_ITEMS = 256;
  private static final int MAX_SHOWN = 60;

  private ParameterValues() {}

  static Object accept(String name, Parameter.Type type, List<String> values, Object min, Object max, Object value) {
    String label = "parameter '" + name + "'";
    if (value == null) {
      throw new IllegalArgumentException(label + " has no value");
    }
    return switch (type) {
      case TEXT -> text(label, single(label, value), (Long) max);
      case SECRET -> secret(label, secretSingle(label, value), (Long) max);
      case INT -> whole(label, value, (Long) min, (Long) max);
      case BOOL -> bool(label, value);
      case DURATION -> duration(label, value, (Duration) min, (Duration) max);
      case NODE -> node(label, single(label, value));
      case NODES -> nodes(label, value);
      case NAMES -> names(label, value);
      case NODESET -> nodeset(label, single(label, value));
      case K8S_NAME -> k8sName(label, single(label, value));
      case K8S_NAMESPACE -> namespace(label, single(label, value));
      case USER -> user(label, single(label, value));
      case PATH -> path(label, single(label, value));
      case ENUM -> choice(label, values, single(label, value));
    };
  }

  /**
   * A bound ({@code min} or {@code max}) of a parameter, converted, or the type's default; null
   * for a type without bounds.
   *
   * @throws IllegalArgumentException for a bound the type does not take or cannot read
   */
  static Object bound(String name, Parameter.Type type, String which, Object given) {
    String label = "'" + which + "' of parameter '" + name + "'";
    boolean isMin = which.equals("min");
    return switch (type) {
      case INT -> given == null ? (Long) (isMin ? Parameter.DEFAULT_MIN_INT : Parameter.DEFAULT_MAX_INT)
          : whole(label, given, Long.MIN_VALUE, Long.MAX_VALUE);
      case DURATION -> given == null ? (isMin ? Duration.ZERO : Parameter.DEFAULT_MAX_DURATION)
          : duration(label, given, Duration.ZERO, Duration.ofDays(36_500));
      case TEXT, SECRET -> {
        if (isMin) {
          yield refuseBound(given, label, type);
        }
        yield given == null ? Parameter.DEFAULT_MAX_LENGTH : whole(label, given, 1L, Parameter.MOST_LENGTH);
      }
      default -> refuseBound(given, label, type);
    };
  }

  private static Object refuseBound(Object given, String label, Parameter.Type type) {
    if (given != null) {
      throw new IllegalArgumentException(label + ": a parameter of type " + type.written() + " takes no such bound"
          + " (int and duration take min and max, text and secret take max)");
    }
    return null;
  }

  /** An allowed value of an enum: one line of printable text. */
  static void requireEnumValue(String name, String value) {
    printable("the values of enum parameter '" + name + "'", value, Parameter.DEFAULT_MAX_LENGTH);
  }

  /**
   * A single value as text; refused when it is a list or a map or holds a character that is not
   * printable (see {@link #printable}), which the message names by code point only.
   */
  private static String single(String label, Object value) {
    if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Boolean) {
      String text = value.toString();
      text.codePoints().filter(c -> !isPrintable(c)).findFirst().ifPresent(c -> {
        throw new IllegalArgumentException(label + " holds " + character(c) + ", which is not a printable character");
      });
      return text;
    }
    throw new IllegalArgumentException(label + " takes a single value, not " + kind(value));
  }

  /**
   * A secret's single value, refused as {@link #single} refuses one, but never shown: a value that is
   * no text (a number too long for a whole number, a fraction) is named by its kind only.
   */
  private static String secretSingle(String label, Object value) {
    if (value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Boolean) {
      return single(label, value);
    }
    String kind = value instanceof List<?> ? "a list" : value instanceof Map<?, ?> ? "a map"
        : value instanceof Number ? "a number that is no whole number of at most 18 digits (give it as text)"
        : "a value that is no text";
    throw new IllegalArgumentException(label + " takes a single value, not " + kind);
  }

  /** Free text: stripped, not blank, at most {@code max} characters, printable. */
  private static String text(String label, String value, long max) {
    printable(label, value, max);
    return value.strip();
  }

  /**
   * A credential: kept as given (spaces count), not empty, at least {@link
   * Parameter#MIN_SECRET_LENGTH} and at most {@code max} characters, printable.
   */
  private static String secret(String label, String value, long max) {
    printable(label, value, max);
    if (value.strip().length() < Parameter.MIN_SECRET_LENGTH) {
      throw new IllegalArgumentException(label + " is a secret of at least " + Parameter.MIN_SECRET_LENGTH
          + " characters (a shorter one could not be masked in logs)");
    }
    return value;
  }

  /**
   * Refuses text that is empty, longer than {@code max} characters, or holds a character that is
   * not printable: C0 and C1 controls (NUL, CR, LF, ESC, …), format characters (bidi embeddings
   * and overrides U+202A–U+202E, isolates U+2066–U+2069, zero-width space, joiners, BOM), line and
   * paragraph separators (U+2028, U+2029), lone surrogates and unassigned code points.
   */
  private static void printable(String label, String value, long max) {
    if (value.isEmpty() || value.isBlank()) {
      throw new IllegalArgumentException(label + " is blank");
    }
    if (value.length() > max * 2 || value.codePointCount(0, value.length()) > max) {
      throw new IllegalArgumentException(label + " is longer than " + max + " characters");
    }
    value.codePoints().filter(c -> !isPrintable(c)).findFirst().ifPresent(c -> {
      throw new IllegalArgumentException(label + " holds " + character(c) + ", which is not a printable character");
    });
  }

  static boolean isPrintable(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> false;
      default -> true;
    };
  }

  private static Long whole(String label, Object value, Long min, Long max) {
    Long number = null;
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      number = ((Number) value).longValue();
    } else if (value instanceof String s && LONG.matcher(single(label, s).strip()).matches()) {
      number = Long.parseLong(s.strip());
    }
    if (number == null) {
      throw new IllegalArgumentException(label + " must be a whole number"
          + (value instanceof BigInteger ? " that fits in 18 digits" : "") + ", not " + kind(value));
    }
    if (number < min || number > max) {
      throw new IllegalArgumentException(label + " must be from " + min + " to " + max + ", not " + number);
    }
    return number;
  }

  private static Boolean bool(String label, Object value) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (single(label, s).strip().equals("true") || s.strip().equals("false"))) {
      return Boolean.valueOf(s.strip());
    }
    throw new IllegalArgumentException(label + " must be true or false, not " + kind(value));
  }

  private static Duration duration(String label, Object value, Duration min, Duration max) {
    Duration duration;
    if (value instanceof Duration d) {
      duration = d;
    } else {
      String text = single(label, value);
      try {
        duration = Durations.parse(text.length() > 64 ? "-" : text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(label + ": " + shown(text) + " is not a duration (" + Durations.HINT + ")", e);
      }
    }
    if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
      throw new IllegalArgumentException(label + " must be from " + Durations.format(min) + " to "
          + Durations.format(max) + ", not " + Durations.format(duration));
    }
    return duration;
  }

  private static String node(String label, String value) {
    String node = value.strip();
    if (!isSubdomain(node)) {
      throw new IllegalArgumentException(label + ": " + shown(value) + " is not a node name"
          + " (lower-case letters, digits, '-' and '.', like node-1)");
    }
    return node;
  }

  /** An RFC 1123 DNS subdomain: labels joined by dots, at most 253 characters. */
  private static boolean isSubdomain(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return false;
    }
    for (String part : name.split("\\.", -1)) {
      if (!LABEL.matcher(part).matches()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> nodes(String label, Object value) {
    LinkedHashSet<String> nodes = new LinkedHashSet<>();
    for (Object item : items(label, value)) {
      String node = node(label, single(label, item));
      if (!nodes.add(node)) {
        throw new IllegalArgumentException(label + " names node '" + node + "' twice");
      }
    }
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException(label + " needs at least one node");
    }
    return List.copyOf(new ArrayList<>(nodes));
  }

  /**
   * A list of names of things that are not nodes (VMs, volumes, where replicas go), written as node
   * names are. Order is kept and a name may repeat (P6: two replicas placed in one member cluster).
   */
  private static List<String> names(String label, Object value) {
    List<String> names = new ArrayList<>();
    for (Object item : items(label, value)) {
      String name = single(label, item).strip();
      if (!isSubdomain(name)) {
        throw new IllegalArgumentException(label + ": " + shown(name) + " is not a name"
            + " (lower-case letters, digits, '-' and '.', like volspoms1)");
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException(label + " needs at least one name");
    }
    return List.copyOf(names);
  }

  /** The items of a list value, or of text split at commas and white space; at most 256. */
  private static List<?> items(String label, Object value) {
    List<?> items;
    if (value instanceof List<?> list) {
      items = list;
    } else {
      String text = single(label, value);
      if (text.length() > MAX_LIST_TEXT) {
        throw new IllegalArgumentException(label + " is longer than " + MAX_LIST_TEXT + " characters");
      }
      items = Arrays.stream(text.split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
    }
    if (items.size() > MAX_ITEMS) {
      throw new IllegalArgumentException(label + " has more than " + MAX_ITEMS + " items");
    }
    return items;
  }

  /**
   * A ClusterShell node set as clush {@code -w} reads it: elements separated by commas, each an
   * {@code @group} or {@code @source:group}, or a host name pattern with numeric ranges in
   * brackets ({@code top[1-3]}, {@code ns[1,3-5]}). Nothing else: no '*', '!', '&', '^', spaces,
   * quotes or a leading '-', so the value can be neither an option nor a shell word.
   */
  private static String nodeset(String label, String value) {
    String set = value.strip();
    if (set.isEmpty() || set.length() > MAX_NODESET) {
      throw new IllegalArgumentException(label + " must be a node set of 1 to " + MAX_NODESET + " characters");
    }
    for (String element : set.split(",(?![^\\[]*])", -1)) {
      if (!isNodesetElement(element)) {
        throw new IllegalArgumentException(label + ": " + shown(set) + " is not a node set: write host names"
            + " with ranges and groups separated by commas, like top[1-3],worker1,@island_worker");
      }
    }
    return set;
  }

  private static boolean isNodesetElement(String element) {
    if (element.startsWith("@")) {
      return GROUP.matcher(element).matches();
    }
    if (element.isEmpty() || !Character.isLetterOrDigit(element.charAt(0)) || element.charAt(0) > 127) {
      return false;
    }
    String rest = element;
    while (true) {
      int open = rest.indexOf('[');
      if (open < 0) {
        return HOST_PART.matcher(rest).matches();
      }
      int close = rest.indexOf(']', open);
      if (close < 0 || !HOST_PART.matcher(rest.substring(0, open)).matches()) {
        return false;
      }
      for (String range : rest.substring(open + 1, close).split(",", -1)) {
        if (!RANGE.matcher(range).matches()) {
          return false;
        }
        String[] bounds = range.split("-");
        if (bounds.length == 2 && Integer.parseInt(bounds[0]) > Integer.parseInt(bounds[1])) {
          return false;
        }
      }
      rest = rest.substring(close + 1);
    }
  }

  private static String k8sName(String label, String value) {
    if (!isSubdomain(value)) {
      throw new IllegalArgumentException(label + ": " + shown(value) + " is not a Kubernetes name (a DNS-1123"
          + " subdomain: lower-case letters, digits, '-' and '.', at most 253 characters, like message-center)");
    }
    return value;
  }

  private static String namespace(String label, String value) {
    if (!LABEL.matcher(value).matches()) {
      throw new IllegalArgumentException(label + ": " + shown(value) + " is not a Kubernetes namespace (a DNS-1123"
          + " label: lower-case letters, digits and '-', at most 63 characters, like anyshare)");
    }
    return value;
  }

  private static String user(String label, String value) {
    if (!USER.matcher(value).matches()) {
      throw new IllegalArgumentException(label + ": " + shown(value) + " is not an account name (letters, digits,"
          + " '_', '.' and '-', starting with a letter or digit, at most 64 characters, like admin)");
    }
    return value;
  }

  /**
   * An absolute, normalized path on a node, as the ssh module's RemotePaths requires it: starts with
   * '/', is not '/' itself, no empty, '.' or '..' segment, no trailing '/', at most 4096
   * characters of ASCII letters, digits, {@code . _ / + @ : = , -} and letters of other scripts.
   */
  private static String path(String label, String value) {
    String hint = " is not an absolute path (it starts with /, has no '..', '.' or '//', no trailing /, and only"
        + " letters, digits and . _ / + @ : = , -)";
    if (value.length() > MAX_PATH || !value.startsWith("/") || value.equals("/") || value.endsWith("/")
        || value.codePoints().anyMatch(c -> !isPathCharacter(c))) {
      throw new IllegalArgumentException(label + ": " + shown(value) + hint);
    }
    for (String segment : value.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.length() > 255) {
        throw new IllegalArgumentException(label + ": " + shown(value) + hint);
      }
    }
    return value;
  }

  private static boolean isPathCharacter(int c) {
    if (c < 128) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || PATH_ASCII.indexOf(c) >= 0;
    }
    return Character.isLetter(c);
  }

  private static String choice(String label, List<String> values, String value) {
    if (!values.contains(value)) {
      throw new IllegalArgumentException(label + " is one of " + String.join(", ", values) + ", not " + shown(value));
    }
    return value;
  }

  private static String kind(Object value) {
    if (value instanceof List<?>) {
      return "a list";
    }
    if (value instanceof Map<?, ?>) {
      return "a map";
    }
    return shown(String.valueOf(value));
  }

  /**
   * A refused value as a message shows it: in quotes, every character that is not printable or not
   * an ordinary space written as its code point ({@code \u202E}), cut after 60 characters with the
   * full length said, so that a value can neither forge a line of a log nor flood a message.
   */
  static String shown(String value) {
    StringBuilder shown = new StringBuilder("'");
    value.codePoints().limit(MAX_SHOWN).forEach(c -> {
      if (isPrintable(c) && (c == ' ' || !Character.isWhitespace(c) && !Character.isSpaceChar(c))) {
        shown.appendCodePoint(c);
      } else {
        shown.append(String.format("\\u%04X", c));
      }
    });
    shown.append('\'');
    int length = value.codePointCount(0, value.length());
    if (length > MAX_SHOWN) {
      shown.insert(shown.length() - 1, '…').append(" (").append(length).append(" characters)");
    }
    return shown.toString();
  }

  private static String character(int c) {
    return String.format("U+%04X", c);
  }
}
