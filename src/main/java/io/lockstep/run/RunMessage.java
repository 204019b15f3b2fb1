package io.lockstep.run;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's message as stored: a message key ({@code run.message.*} in messages-run) and its
 * arguments, so that each reader sees it in their language. An argument is plain text, or names a
 * phase (its id) or a step ({@code phase.step}), which readers see as that phase's or step's name.
 *
 * <p>Stored in the run's {@code message} column as a small JSON object (it starts with
 * {@value #PREFIX}); a row written before messages were keys holds a plain sentence, which reads as
 * itself in every language ({@link #decode} gives a message with a null key).
 *
 * @param key the message key; null for a plain sentence (kept in {@code args.get(0)})
 * @param args the arguments, as text or ids
 * @param kinds for each argument: {@code text}, {@code phase}, {@code step}, {@code key} (a word
 *     of the console's own, by its message key) or {@code line} (a phrase of its own: a nested
 *     message, stored as its JSON, from an executor's {@link StepPreview.Line})
 */
public record RunMessage(String key, List<String> args, List<String> kinds) {

  static final String PREFIX = "{\"key\":";
  static final String TEXT = "text";
  static final String PHASE = "phase";
  static final String STEP = "step";
  static final String KEY = "key";
  static final String LINE = "line";
  /** Longest argument kept: a stored message must fit its column (4000) as JSON. */
  private static final int MAX_ARG = 900;
  /** The most a stored message may take (the store cuts longer text to 3900 characters). */
  private static final int MAX_STORED = 3800;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public RunMessage {
    args = List.copyOf(args);
    kinds = List.copyOf(kinds);
  }

  /** A keyed message; build its arguments with {@link #text}, {@link #phase} and {@link #step}. */
  static RunMessage of(String key, Arg... args) {
    List<String> values = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (Arg arg : args) {
      values.add(arg.value());
      kinds.add(arg.kind());
    }
    return new RunMessage(key, values, kinds);
  }

  /** One argument of a message. */
  record Arg(String value, String kind) {}

  static Arg text(Object value) {
    String text = value == null ? "" : value.toString();
    return new Arg(cut(text, MAX_ARG), TEXT);
  }

  private static String cut(String text, int most) {
    return text.length() > most ? text.substring(0, most) + " …" : text;
  }

  static Arg phase(String phaseId) {
    return new Arg(phaseId, PHASE);
  }

  /** A word of the console's own, by its message key ("none recorded"): shown in the reader's language. */
  static Arg word(String key) {
    return new Arg(key, KEY);
  }

  /** A step by its key, {@code phase.step}. */
  static Arg step(String stepKey) {
    return new Arg(stepKey, STEP);
  }

  /**
   * An executor's summary ({@link StepContext#said}) as a message: the line's code and its
   * arguments, each text argument passed through {@code mask} (the run's secrets) and nested lines
   * kept as messages of their own. A line without a code (a plain text) is a plain sentence.
   */
  static RunMessage of(StepPreview.Line line, UnaryOperator<String> mask) {
    if (line.code() == null) {
      return new RunMessage(null, List.of(mask.apply(line.english())), List.of(TEXT));
    }
    List<String> values = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (Object arg : line.args()) {
      Arg kept = arg instanceof StepPreview.Line nested
          ? nested.code() == null ? text(mask.apply(nested.english()))
              : new Arg(JSON.writeValueAsString(tree(of(nested, mask))), LINE)
          : text(mask.apply(String.valueOf(arg)));
      values.add(kept.value());
      kinds.add(kept.kind());
    }
    return new RunMessage(line.code(), values, kinds);
  }

  /** The stored form: JSON for a keyed message; null stays null. */
  static String encode(RunMessage message) {
    if (message == null) {
      return null;
    }
    if (message.key() == null) {
      return message.args().isEmpty() ? null : message.args().get(0);
    }
    String json = JSON.writeValueAsString(tree(message));
    for (int most = MAX_ARG / 2; json.length() > MAX_STORED && most > 8; most /= 2) {
      // escapes made it longer than its column: shorter arguments, nested lines' too, until it fits whole
      json = JSON.writeValueAsString(tree(shortened(message, most)));
    }
    // still too long (a great many nested phrases): the English sentence, cut to its column
    return json.length() > MAX_STORED ? cut(message.english(), MAX_STORED) : json;
  }

  /**
   * The message as a JSON object: {@code key}, {@code args}, {@code kinds}. A nested line's
   * argument is an object in it rather than a string of JSON, so that nesting does not escape
   * quotes again at every level (a sentence of twelve nested phrases stays the size of its text).
   */
  private static ObjectNode tree(RunMessage message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("key", message.key());
    ArrayNode args = node.putArray("args");
    for (int i = 0; i < message.args().size(); i++) {
      String arg = message.args().get(i);
      JsonNode nested = LINE.equals(message.kinds().get(i)) ? object(arg) : null;
      if (nested != null) {
        args.add(nested);
      } else {
        args.add(arg);
      }
    }
    ArrayNode kinds = node.putArray("kinds");
    message.kinds().forEach(kinds::add);
    return node;
  }

  /** {@code json} read as an object; null when it is not one. */
  private static JsonNode object(String json) {
    if (json == null || !json.startsWith(PREFIX)) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(json);
      return node != null && node.isObject() ? node : null;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** {@code message} with every text argument, nested lines' included, cut to {@code most} characters. */
  private static RunMessage shortened(RunMessage message, int most) {
    List<String> shorter = new ArrayList<>();
    for (int i = 0; i < message.args().size(); i++) {
      String arg = message.args().get(i);
      RunMessage nested = LINE.equals(message.kinds().get(i)) ? decode(arg) : null;
      shorter.add(nested == null || nested.key() == null ? cut(arg, most) // not one of ours: it reads as its text
          : JSON.writeValueAsString(tree(shortened(nested, most))));
    }
    return new RunMessage(message.key(), shorter, message.kinds());
  }

  /**
   * Reads a stored message: a keyed one, or a plain sentence (written before messages were keys, or
   * cut short to fit its column) as a message with a null key; null for null.
   */
  public static RunMessage decode(String stored) {
    if (stored == null) {
      return null;
    }
    JsonNode node = object(stored);
    if (node != null && node.get("key") != null && node.get("key").isString() && node.get("args") != null
        && node.get("args").isArray() && node.get("kinds") != null && node.get("kinds").isArray()
        && node.get("args").size() == node.get("kinds").size()) {
      List<String> args = new ArrayList<>();
      List<String> kinds = new ArrayList<>();
      for (int i = 0; i < node.get("args").size(); i++) {
        JsonNode arg = node.get("args").get(i);
        // a nested line is an object (stored as a string of JSON by nobody, but read either way)
        args.add(arg.isObject() ? JSON.writeValueAsString(arg) : arg.isNull() ? "" : arg.asString());
        kinds.add(node.get("kinds").get(i).asString());
      }
      return new RunMessage(node.get("key").stringValue(), args, kinds);
    }
    return new RunMessage(null, List.of(stored), List.of(TEXT));
  }

  /**
   * The message in {@code locale}'s words: {@code texts} gives a key's pattern, {@code names} the
   * name of an argument that is a phase or step ({@code kind + ":" + id}).
   */
  String render(UnaryOperator<String> texts, java.util.function.BinaryOperator<String> names, Locale locale) {
    if (key == null) {
      return args.isEmpty() ? "" : args.get(0);
    }
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) {
      String kind = kinds.get(i);
      String word = KEY.equals(kind) ? texts.apply(args.get(i)) : null;
      values[i] = TEXT.equals(kind) ? args.get(i) : KEY.equals(kind) ? (word == null ? args.get(i) : word)
          : LINE.equals(kind) ? decode(args.get(i)).render(texts, names, locale)
          : names.apply(kind, args.get(i));
    }
    String pattern = texts.apply(key);
    if (pattern == null) {
      return key + " " + String.join(" · ", Arrays.asList(values).stream().map(String::valueOf).toList());
    }
    // a text without arguments is read as it is (as Spring reads it: its quotes single)
    return values.length == 0 ? pattern : new MessageFormat(pattern, locale).format(values);
  }

  /**
   * The message in English with ids for phases and steps, for logs, notifications and the API's
   * {@code run.message}; pages render it in the reader's language instead.
   */
  public String english() {
    return render(RunMessage::englishPattern, (kind, id) -> id, Locale.ENGLISH);
  }

  private static String englishPattern(String key) {
    try {
      return ResourceBundle.getBundle("messages-run", Locale.ROOT,
          ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)).getString(key);
    } catch (MissingResourceException e) {
      return null;
    }
  }
}
