package io.lockstep.ssh;

import org.jspecify.annotations.Nullable;

/**
 * Checks paths on a node (data directories, configuration files) before they are put on a command
 * line such as {@code rsync} or {@code mkdir}.
 *
 * <p>A remote path must be absolute and normalized: it starts with {@code '/'}, is not {@code '/'}
 * itself, has no empty, {@code .} or {@code ..} segments and no trailing {@code '/'} (rsync steps
 * add the trailing slash themselves where they mean "the contents of"). At most 4096 characters.
 *
 * <p><b>Character policy.</b> Allowed are ASCII letters and digits, {@code . _ / + @ : = , -} and
 * letters of other scripts (a data directory may have a Chinese name). Everything else is refused,
 * <em>including spaces</em>: quoting would make a space harmless to the shell that runs the
 * command, but rsync hands the path of its remote side to a second shell on the other node, which
 * splits it at spaces unless every rsync involved protects its arguments (the default only since
 * rsync 3.2.4). Proton data paths never contain spaces, so refusing them costs nothing and removes
 * a class of silent mis-copies. Quotes, {@code $}, backticks, globs and control characters are
 * refused for the same reason, although {@link RemoteCommand} would quote them correctly.
 */
public final class RemotePaths {

  static final int MAX_LENGTH = 4096;
  private static final String ALLOWED_ASCII = "._/+@:=,-";

  private RemotePaths() {}

  /**
   * Returns {@code path} if it is an absolute, normalized remote path made of allowed characters.
   *
   * @throws IllegalArgumentException naming the value and the rule it breaks
   */
  public static String requireAbsolute(@Nullable String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("remote path is missing");
    }
    String shown = Shown.value(path);
    if (path.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "remote path " + shown + " is longer than " + MAX_LENGTH + " characters");
    }
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "remote path " + shown + " is not absolute: it must start with '/'");
    }
    path.codePoints().filter(c -> !isAllowed(c)).findFirst().ifPresent(c -> {
      throw new IllegalArgumentException("remote path " + shown + " contains "
          + Shown.character(c) + ", which is not allowed: use letters, digits and "
          + ALLOWED_ASCII.replace("", " ").trim());
    });
    if (path.equals("/")) {
      throw new IllegalArgumentException("remote path '/' is the root directory; name a directory");
    }
    if (path.endsWith("/")) {
      throw new IllegalArgumentException(
          "remote path " + shown + " ends with '/'; write it without");
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("remote path " + shown
            + " is not normalized: it contains '//', '/./' or '/../'");
      }
    }
    return path;
  }

  private static boolean isAllowed(int c) {
    if (c < 128) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || ALLOWED_ASCII.indexOf(c) >= 0;
    }
    return Character.isLetter(c);
  }
}
