package io.lockstep.system;

/**
 * What a user asks for when creating an API token.
 *
 * @param label what the token is for, 1 to {@value #MAX_LABEL} characters
 * @param expiresInDays days until it stops working, 1 to {@value #MAX_DAYS}; null for never
 */
record NewApiToken(String label, Integer expiresInDays) {

  static final int MAX_LABEL = 100;
  static final int MAX_DAYS = 3650;

  NewApiToken {
    label = label == null ? "" : label.strip();
    if (label.isEmpty()) {
      throw new IllegalArgumentException("Give the token a label that says what it is for");
    }
    if (label.length() > MAX_LABEL) {
      throw new IllegalArgumentException("The label is " + label.length() + " characters long; at most "
          + MAX_LABEL + " are allowed");
    }
    if (label.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("The label must not contain control characters");
    }
    if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_DAYS)) {
      throw new IllegalArgumentException("expiresInDays must be between 1 and " + MAX_DAYS
          + " (leave it out for a token that does not expire), not " + expiresInDays);
    }
  }
}
