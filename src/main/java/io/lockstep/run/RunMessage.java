package io.lockstep.run;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

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
 * @param kinds for each argument: {@code text}, {@code phase}, {@code step} or {@code key} (a word
 *     of the console's own, by its message key)
 */
public record RunMessage(String key, List<String> args, List<String> kinds) {

  static final String PREFIX = "{\"key\":";
  static final String TEXT = "text";
  static final String PHASE = "phase";
  static final String STEP = "step";
  static final String KEY = "key";
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

  /** The stored form: JSON for a keyed message; null stays null. */
  static String encode(RunMessage message) {
    if (message == null) {
      return null;
    }
    if (message.key() == null) {
      return message.args().isEmpty() ? null : message.args().get(0);
    }
    String json = JSON.writeValueAsString(message);
    for (int most = MAX_ARG / 2; json.length() > MAX_STORED && most > 8; most /= 2) {
      int m = most; // escapes made it longer than its column: shorter arguments until it fits whole
      json = JSON.writeValueAsString(new RunMessage(message.key(),
          message.args().stream().map(a -> cut(a, m)).toList(), message.kinds()));
    }
    return json;
  }

  /**
   * Reads a stored message: a keyed one, or a plain sentence (written before messages were keys, or
   * cut short to fit its column) as a message with a null key; null for null.
   */
  public static RunMessage decode(String stored) {
    if (stored == null) {
      return null;
    }
    if (stored.startsWith(PREFIX)) {
      try {
        RunMessage read = JSON.readValue(stored, RunMessage.class);
        if (read.key() != null && read.args().size() == read.kinds().size()) {
          return read;
        }
      } catch (JacksonException | IllegalArgumentException e) {
        // not one of ours after all: read as a sentence
      }
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
          : names.apply(kind, args.get(i));
    }
    String pattern = texts.apply(key);
    if (pattern == null) {
      return key + " " + String.join(" · ", args);
    }
    return new MessageFormat(pattern, locale).format(values);
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
