package io.lockstep.run;

/**
 * Input refused as it is given (a checklist not fully ticked): an {@link IllegalArgumentException}
 * whose message stays the English sentence (API, audit, log) and which carries the same refusal as
 * a key and arguments, for a page in the reader's language.
 */
final class RefusedInput extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;
  private final transient RunMessage said;

  RefusedInput(String message, RunMessage said) {
    super(message);
    this.said = said;
  }

  RunMessage said() {
    return said;
  }
}
