package io.lockstep.migration;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;

/**
 * Something that keeps a plan from being stored, with the row it concerns. The text lives in
 * {@code messages-migration*.properties} under {@code migration.problem.<code>}.
 *
 * @param row the key of the row it concerns ({@code kafka-0}); null when it concerns the plan
 * @param code the message code's last part
 * @param args the message's arguments, already text or whole numbers
 */
record Problem(String row, String code, List<Object> args) {

  static final String PREFIX = "migration.problem.";

  Problem {
    args = args.stream().map(a -> a == null ? (Object) "—" : a).toList();
  }

  static Problem of(String row, String code, Object... args) {
    return new Problem(row, code, Arrays.asList(args));
  }

  static Problem general(String code, Object... args) {
    return of(null, code, args);
  }

  /** The problem's sentence, without the row. */
  String text(MessageSource messages, Locale locale) {
    return messages.getMessage(PREFIX + code, args.toArray(), locale);
  }

  /** The problem as a line of a list that is not next to its row: {@code kafka-0: …}. */
  String line(MessageSource messages, Locale locale) {
    return row == null ? text(messages, locale) : row + ": " + text(messages, locale);
  }
}
