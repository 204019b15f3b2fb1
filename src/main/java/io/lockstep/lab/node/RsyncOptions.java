package io.lockstep.lab.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an rsync command line far enough to tell options from operands and to refuse the options
 * that would let rsync reach outside the node sandboxes: another remote shell or remote rsync
 * ({@code -e}, {@code --rsync-path}, {@code -M}), files named outside the transfer
 * ({@code --temp-dir}, {@code --log-file}, {@code --files-from}, {@code --link-dest}, …), link
 * following ({@code -L}, {@code -k}, {@code -K}), filter files ({@code -f}, {@code -F}, whose merge
 * rules may name any file) and protected args ({@code -s}, which would move the path arguments out
 * of the command line where the lab maps them). Every other option is
 * passed to rsync untouched.
 */
final class RsyncOptions {

  private static final Set<String> DENIED_LONG = Set.of(
      "rsh", "rsync-path", "remote-option", "files-from", "exclude-from", "include-from", "filter",
      "log-file", "write-batch", "only-write-batch", "read-batch", "temp-dir", "partial-dir",
      "backup-dir", "compare-dest", "copy-dest", "link-dest", "password-file", "protect-args",
      "secluded-args", "copy-links", "copy-unsafe-links", "copy-dirlinks", "keep-dirlinks", "daemon",
      "config", "early-input", "dparam", "insecure-links");

  private static final Set<String> VALUED_LONG = Set.of(
      "bwlimit", "info", "debug", "timeout", "contimeout", "chmod", "exclude", "include", "max-size",
      "min-size", "max-delete", "modify-window", "block-size", "checksum-choice", "cc",
      "compress-choice", "zc", "compress-level", "zl", "port", "out-format", "log-file-format",
      "usermap", "groupmap", "chown", "iconv", "skip-compress", "stop-after", "stop-at", "protocol",
      "outbuf", "suffix", "checksum-seed", "max-alloc", "sockopts", "address", "time-limit", "stderr",
      "copy-as", "confine-root", "compress-threads", "zt");

  private static final String DENIED_SHORT = "eTfFMsLkK";
  private static final String VALUED_SHORT = "B@";
  /** Short options whose value follows in the same or the next argument. */
  private static final String VALUE_LETTERS = "B@eTfM";

  private RsyncOptions() {}

  /** The positions of the operands (paths) in a client command line. */
  static List<Integer> operands(List<String> args) {
    List<Integer> operands = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        operands.add(i);
      } else if (arg.equals("--")) {
        optionsEnded = true;
      } else if (takesNextArgument(arg)) {
        i++;
      }
    }
    return operands;
  }

  /** The first refused option of a client command line, if any. */
  static Optional<String> refusedClientOption(List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--")) {
        break;
      }
      Optional<String> refused = refused(arg, arg.length());
      if (refused.isPresent()) {
        return refused;
      }
      if (takesNextArgument(arg)) {
        i++;
      }
    }
    return Optional.empty();
  }

  /**
   * The first refused option among the server options (before the {@code .} argument). A server
   * option cluster ends with {@code e} followed by the protocol's capability letters, which are not
   * options. Every server option is one argument (values are attached), so anything not starting
   * with {@code -} before the {@code .} is refused too: it would be a path the lab did not map.
   */
  static Optional<String> refusedServerOption(List<String> serverOptions) {
    for (String arg : serverOptions) {
      if (!arg.startsWith("-")) {
        return Optional.of(arg);
      }
      int end = arg.startsWith("--") || arg.indexOf('e') < 0 ? arg.length() : arg.indexOf('e');
      Optional<String> refused = refused(arg, end);
      if (refused.isPresent()) {
        return refused;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> refused(String arg, int clusterEnd) {
    if (arg.startsWith("--")) {
      String name = arg.substring(2).split("=", 2)[0];
      return DENIED_LONG.contains(name) ? Optional.of("--" + name) : Optional.empty();
    }
    if (arg.startsWith("-")) {
      for (int i = 1; i < clusterEnd; i++) {
        char c = arg.charAt(i);
        if (DENIED_SHORT.indexOf(c) >= 0) {
          return Optional.of("-" + c);
        }
        if (VALUED_SHORT.indexOf(c) >= 0) {
          break;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean takesNextArgument(String arg) {
    if (arg.startsWith("--")) {
      return !arg.contains("=") && VALUED_LONG.contains(arg.substring(2));
    }
    for (int i = 1; i < arg.length(); i++) {
      if (VALUE_LETTERS.indexOf(arg.charAt(i)) >= 0) {
        return i == arg.length() - 1;
      }
    }
    return false;
  }
}
