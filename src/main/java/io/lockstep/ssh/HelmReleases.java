package io.lockstep.ssh;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks Helm release names before they are put on a {@code helm3} command line.
 *
 * <p>A release name is a DNS-1123 label of at most 53 characters (Helm keeps 10 of the 63 for the
 * names it derives, such as the release Secret): lowercase letters, digits and {@code '-'},
 * starting and ending with a letter or digit. So it never needs quoting and is never an option.
 */
public final class HelmReleases {

  static final int MAX_LENGTH = 53;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

  private HelmReleases() {}

  /**
   * Returns {@code release} if it is a valid Helm release name.
   *
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public static String require(@Nullable String release) {
    if (release == null || release.isEmpty()) {
      throw new IllegalArgumentException("Helm release name is missing");
    }
    if (release.length() > MAX_LENGTH || !NAME.matcher(release).matches()) {
      throw new IllegalArgumentException("Helm release name " + Shown.value(release)
          + " is not valid: use lowercase letters, digits and '-', start and end with a letter "
          + "or digit, at most " + MAX_LENGTH + " characters");
    }
    return release;
  }
}
