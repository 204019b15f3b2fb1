package io.lockstep.system;

/**
 * Masks text for one reader's scope: the secrets of one run (its plan's secret parameters, the
 * Secret data it read from the cluster) or of one plan, always with the credential shapes that
 * {@link SecretMasker} recognises everywhere. Obtained from {@link SecretMasker#forRun}, {@link
 * SecretMasker#forPlan} or {@link SecretMasker#shapesOnly}; it looks its secrets up at each call,
 * so one kept for a long time still masks what was learned later.
 */
@FunctionalInterface
public interface SecretScope {

  /** The text with every secret of this scope and every credential shape replaced by {@value SecretMasker#MASK}. */
  String mask(String text);

  /**
   * The exception as a log line may print it: a copy whose message, and its causes' messages, are
   * masked in this scope (each naming the class it copies), with the original stack traces. Log
   * this, never the original, when its message may quote a secret (a library's error quoting a
   * command line, say).
   */
  default Throwable mask(Throwable exception) {
    return Masked.of(this, exception, 0);
  }

  /** A masked copy of an exception; see {@link SecretScope#mask(Throwable)}. */
  final class Masked extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 16;

    private Masked(String message, Throwable cause) {
      super(message, cause, false, true);
    }

    private static Throwable of(SecretScope scope, Throwable e, int depth) {
      if (e == null) {
        return null;
      }
      Throwable cause = depth < MAX_CAUSES && e.getCause() != e ? of(scope, e.getCause(), depth + 1) : null;
      Masked copy = new Masked(e.getClass().getName() + (e.getMessage() == null ? "" : ": " + scope.mask(e.getMessage())),
          cause);
      copy.setStackTrace(e.getStackTrace());
      return copy;
    }
  }
}
