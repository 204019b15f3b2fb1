package io.lockstep.run;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSourceResolvable;

/**
 * What a step will do, for the approver: one line per command or Kubernetes change, in the order
 * it happens ({@code node-1: systemctl stop kubelet}, {@code scale Deployment anyshare/web to 0,
 * recording 3}), and, for steps that edit something, a diff of the edit.
 *
 * <p>Each line is a message code with its arguments and its English text ({@link Line}), so a page
 * shows it in the reader's language through Spring's {@code MessageSource}, while {@link #actions()}
 * stays the English the API and the tests read.
 *
 * @param lines what happens, in order; at least one
 * @param diff a unified diff of what the step edits, with secret values masked; null when the
 *     step edits nothing
 */
public record StepPreview(List<Line> lines, String diff) {

  public StepPreview {
    lines = List.copyOf(lines);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("a preview names at least one action");
    }
  }

  /** The lines in English, as the API gives them. */
  public List<String> actions() {
    return lines.stream().map(Line::english).toList();
  }

  public static StepPreview of(Line... lines) {
    return new StepPreview(List.of(lines), null);
  }

  public static StepPreview of(List<Line> lines) {
    return new StepPreview(lines, null);
  }

  /**
   * Lines shown as they are in every language: for test executors and text that is all command
   * (an operator's own instructions); the console's own words go through {@link Line#of}.
   */
  public static StepPreview plain(String... actions) {
    return new StepPreview(Arrays.stream(actions).map(Line::plain).toList(), null);
  }

  /**
   * One line of a preview: a message code (in {@code messages-run}), its arguments and its English
   * text, a {@link MessageFormat} pattern. Arguments are text shown as it is in every language
   * (commands, object and node names, paths, counts: never translated) or lines of their own (a
   * phrase of the console's, translated in turn). Numbers are kept as text, so that no locale's
   * number format changes a value (a secret made of digits must still read as itself to be masked).
   *
   * @param code the message code; null for a line shown as it is in every language
   * @param args the arguments, each a {@link String} or a {@link Line}
   * @param english the English pattern (as in {@code messages-run.properties}); the whole text when
   *     there are no arguments, as Spring reads a message without arguments
   * @param chinese for a line without a code only: the text a procedure gives in Chinese (a manual
   *     step's {@code instructions_zh}), shown to Chinese readers; null when it gives none
   */
  public record Line(String code, List<Object> args, String english, String chinese)
      implements MessageSourceResolvable {

    public Line {
      if (english == null) {
        throw new IllegalArgumentException("a preview line has its English text");
      }
      List<Object> kept = new ArrayList<>();
      for (Object arg : args) {
        kept.add(arg instanceof Line line ? line : String.valueOf(arg));
      }
      args = List.copyOf(kept);
    }

    /** The line {@code code}, in English {@code english}, with {@code args} (text or lines). */
    public static Line of(String code, String english, Object... args) {
      if (code == null || code.isBlank()) {
        throw new IllegalArgumentException("a preview line has its message code");
      }
      return new Line(code, Arrays.asList(args), english, null);
    }

    /**
     * A text the procedure gives in English and in Chinese (its {@code *_zh}), shown as written in
     * the reader's language; {@code chinese} may be null or blank (then English for everyone).
     */
    public static Line text(String english, String chinese) {
      return new Line(null, List.of(), english, chinese == null || chinese.isBlank() ? null : chinese);
    }

    /**
     * {@code a or b or c} in the reader's language; the items shown as they are (Kubernetes phases,
     * names).
     */
    public static Line or(List<String> items) {
      if (items.isEmpty()) {
        return plain("");
      }
      Object joined = items.get(0);
      for (String item : items.subList(1, items.size())) {
        joined = Line.of("preview.or", "{0} or {1}", joined, item);
      }
      return joined instanceof Line line ? line : plain(items.get(0));
    }

    /** A line shown as it is in every language. */
    public static Line plain(String text) {
      return new Line(null, List.of(), text, null);
    }

    /**
     * This line for a reader of {@code locale}: texts the procedure gives in Chinese (see
     * {@link #text}) chosen for a Chinese reader, here and in the arguments; the rest as it is.
     */
    public Line in(Locale locale) {
      if (code == null) {
        boolean zh = locale != null && "zh".equals(locale.getLanguage());
        return zh && chinese != null ? plain(chinese) : this;
      }
      if (args.stream().noneMatch(Line.class::isInstance)) {
        return this;
      }
      return new Line(code, args.stream().map(a -> a instanceof Line line ? line.in(locale) : a).toList(), english, null);
    }

    /** The line in English, arguments included. */
    public String english() {
      if (args.isEmpty()) {
        return english;
      }
      Object[] values = args.stream().map(a -> a instanceof Line line ? line.english() : a).toArray();
      return new MessageFormat(english, Locale.ENGLISH).format(values);
    }

    @Override
    public String[] getCodes() {
      return code == null ? null : new String[] {code};
    }

    @Override
    public Object[] getArguments() {
      return args.toArray();
    }

    @Override
    public String getDefaultMessage() {
      return english;
    }

    @Override
    public String toString() {
      return english();
    }
  }
}
