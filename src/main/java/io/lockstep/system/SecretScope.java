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
}
