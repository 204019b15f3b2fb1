package io.lockstep.run;

import io.lockstep.procedure.Procedure;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Renders a run's message ({@link RunMessage}) in a reader's language: the key's text from the
 * message bundles, and phases and steps named as the procedure names them in that language.
 */
@Component
public class RunMessages {

  private final MessageSource messages;

  RunMessages(MessageSource messages) {
    this.messages = messages;
  }

  /** {@code run}'s message in {@code locale}; null when it has none. */
  public String of(Run run, Procedure procedure, Locale locale) {
    return of(run.said(), procedure, locale);
  }

  /**
   * A line of the console's own words ({@link StepPreview.Line}: a preview's action, a plan check's
   * problem) in {@code locale}'s words; in English when its code has no text (a key missing from a
   * translation must not cost the reader the line).
   */
  public String line(StepPreview.Line line, Locale locale) {
    try {
      return messages.getMessage(line.in(locale), locale == null ? Locale.ENGLISH : locale);
    } catch (org.springframework.context.NoSuchMessageException e) {
      return line.english();
    }
  }

  /** {@code message} in {@code locale}, phases and steps named from {@code procedure} (ids when null). */
  public String of(RunMessage message, Procedure procedure, Locale locale) {
    if (message == null) {
      return null;
    }
    Locale reader = locale == null ? Locale.ENGLISH : locale;
    return message.render(key -> messages.getMessage(key, null, null, reader),
        (kind, id) -> name(procedure, kind, id, reader), reader);
  }

  private static String name(Procedure procedure, String kind, String id, Locale locale) {
    if (procedure == null) {
      return id;
    }
    if (RunMessage.PHASE.equals(kind)) {
      return procedure.phase(id).map(p -> p.name(locale)).orElse(id);
    }
    return procedure.step(id).map(s -> s.name(locale)).orElse(id);
  }

  /**
   * A refusal as a reader sees it: a refusal that carries a key ({@link RunException#said()}) in
   * {@code locale}'s words, phases and steps named from {@code procedure}; its English sentence
   * (the same one the API and the audit trail give) for an English reader and for a refusal
   * without a key.
   */
  public String refusal(RuntimeException refusal, Procedure procedure, Locale locale) {
    RunMessage said = refusal instanceof RunException e ? e.said()
        : refusal instanceof RefusedInput e ? e.said() : null;
    if (said == null || locale == null || locale.getLanguage().isEmpty()
        || Locale.ENGLISH.getLanguage().equals(locale.getLanguage())) {
      return refusal.getMessage();
    }
    return of(said, procedure, locale);
  }
}
