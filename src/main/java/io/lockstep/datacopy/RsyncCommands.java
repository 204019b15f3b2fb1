package io.lockstep.datacopy;

import io.lockstep.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The commands a copy runs, as argument lists (every path was checked by {@link CopyRow}).
 *
 * <p>Every rsync runs on the source node. Across nodes it pushes to {@code root@ADDRESS:DIR/} over
 * the nodes' own SSH trust (P1 phase 1); within a node it copies {@code DIR/} to {@code DIR/}.
 * Both operands end with {@code /}: the source directory's content and its own mode, owner and
 * times go into the target directory, whatever the two are called. {@code -a} keeps permissions,
 * owners, groups, times, links and devices; {@code --numeric-ids} keeps owner and group ids as
 * numbers, because the data belongs to users inside containers that the nodes need not know by
 * the same names. rsync makes a missing target directory itself when its parent exists; otherwise
 * {@code mkdir -p} makes it first, which works with every rsync version (rsync's own {@code
 * --mkpath} needs 3.2.3).
 */
final class RsyncCommands {

  private static final List<String> RSYNC = List.of("rsync", "-a", "--numeric-ids");
  /** How many files one repair command names at most. */
  static final int FILES_PER_COMMAND = 100;
  /** A byte rsync printed in octal because it would not print it: {@code \#012}. */
  private static final Pattern OCTAL_BYTE = Pattern.compile("\\\\#[0-7]{3}");

  private RsyncCommands() {}

  /**
   * The copy of a row: {@code --info=progress2 --no-inc-recursive} for one overall progress line
   * redrawn as it goes (the whole file list first, so the percentage is of everything), {@code
   * --stats} for the bytes moved; the final copy with {@code --delete}, so the target mirrors the
   * source; {@code --bwlimit} when given.
   */
  static RemoteCommand copy(CopyRow row, Mode mode, int bwlimit, String targetHost) {
    return copy(row, mode, bwlimit, targetHost, false);
  }

  /**
   * {@link #copy(CopyRow, Mode, int, String)}, with {@code checksum} comparing every file by
   * checksum instead of size and time ({@code --checksum}): the repair of a row whose verification
   * found more differing files than it could list. Reads every byte on both nodes.
   */
  static RemoteCommand copy(CopyRow row, Mode mode, int bwlimit, String targetHost,
      boolean checksum) {
    List<String> argv = new ArrayList<>(RSYNC);
    if (mode == Mode.FINAL) {
      argv.add("--delete");
    }
    if (checksum) {
      argv.add("--checksum");
    }
    if (bwlimit > 0) {
      argv.add("--bwlimit=" + bwlimit);
    }
    argv.addAll(List.of("--info=progress2", "--no-inc-recursive", "--stats"));
    return operands(argv, row, targetHost);
  }

  /**
   * The repair of files a verification found different: only {@code files} (paths relative to the
   * row's directory, as rsync's itemized output printed them) are compared, by checksum, and sent
   * when they differ, whatever their sizes and times say. Filter rules name them, each of its
   * directories included so rsync descends there and everything else excluded, so rsync reads no
   * other file and walks no other directory. {@code --itemize-changes} names in the log each file
   * it re-sent. No {@code --delete}: the final copy before it mirrored deletions already.
   *
   * <p>Long lists are split into several commands ({@value #FILES_PER_COMMAND} files each at most),
   * so that a command line stays well within what SSH and the node's shell take. (The list could
   * go on stdin with {@code --files-from=-}, but the lab refuses {@code --files-from}, and the
   * same commands run on the lab and on real nodes.)
   */
  static List<RemoteCommand> resend(CopyRow row, List<String> files, String targetHost) {
    List<RemoteCommand> commands = new ArrayList<>();
    for (int from = 0; from < files.size(); from += FILES_PER_COMMAND) {
      List<String> argv = new ArrayList<>(RSYNC);
      argv.addAll(List.of("--checksum", "--itemize-changes", "--info=progress2",
          "--no-inc-recursive", "--stats"));
      Set<String> rules = new LinkedHashSet<>();
      for (String file : files.subList(from, Math.min(files.size(), from + FILES_PER_COMMAND))) {
        for (int slash = file.indexOf('/'); slash > 0; slash = file.indexOf('/', slash + 1)) {
          rules.add("--include=" + pattern(file.substring(0, slash)) + "/");
        }
        rules.add("--include=" + pattern(file));
      }
      argv.addAll(rules);
      argv.add("--exclude=*");
      commands.add(operands(argv, row, targetHost));
    }
    return commands;
  }

  /**
   * An rsync filter pattern matching exactly the path rsync printed, anchored at the transfer's
   * root ({@code /}). rsync compares a pattern without {@code *?[} literally; with one of them it
   * uses wildcards, where a backslash escapes the next character, so then {@code *?[\} of the
   * name are escaped. A byte rsync printed as {@code \#ooo} (a line break, a byte outside ASCII)
   * cannot go on a command line as it is: it becomes {@code ?}, which matches any one byte of a
   * name. At worst such a pattern also matches a sibling that differs in that byte only, and
   * comparing an equal file by checksum sends nothing.
   */
  static String pattern(String printed) {
    boolean wild = OCTAL_BYTE.matcher(printed).find()
        || printed.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    StringBuilder pattern = new StringBuilder("/");
    for (int i = 0; i < printed.length(); i++) {
      char c = printed.charAt(i);
      if (c == '\\' && OCTAL_BYTE.matcher(printed).region(i, printed.length()).lookingAt()) {
        pattern.append('?');
        i += 4;
      } else {
        pattern.append(wild && "*?[\\".indexOf(c) >= 0 ? "\\" + c : String.valueOf(c));
      }
    }
    return pattern.toString();
  }

  /** The proof after the final copy: prints one line per difference, nothing when equal. */
  static RemoteCommand verify(CopyRow row, String targetHost) {
    List<String> argv = new ArrayList<>(RSYNC);
    argv.addAll(List.of("--checksum", "--dry-run", "--itemize-changes", "--delete"));
    return operands(argv, row, targetHost);
  }

  /** What the final copy would move now, changing nothing. */
  static RemoteCommand measure(CopyRow row, String targetHost) {
    List<String> argv = new ArrayList<>(RSYNC);
    argv.addAll(List.of("--delete", "--dry-run", "--stats"));
    return operands(argv, row, targetHost);
  }

  /** Makes the target directory (and its parents) on the target node. */
  static RemoteCommand makeTarget(CopyRow row) {
    return RemoteCommand.of("mkdir", "-p", row.targetPath());
  }

  /** Prints the first entry of a directory; nothing when it is empty; fails when it is absent. */
  static RemoteCommand firstEntry(String directory) {
    return RemoteCommand.of("find", directory, "-mindepth", "1", "-maxdepth", "1", "-print",
        "-quit");
  }

  /** The apparent size in bytes of each tree: {@code BYTES<TAB>PATH} per path. */
  static RemoteCommand sizes(List<String> paths) {
    List<String> argv = new ArrayList<>(List.of("du", "-sb"));
    argv.addAll(paths);
    return new RemoteCommand(argv);
  }

  /** Free bytes, device and mount point of the filesystem holding each path that exists. */
  static RemoteCommand freeSpace(List<String> paths) {
    List<String> argv = new ArrayList<>(List.of("df", "-B1", "--output=avail,source,target"));
    argv.addAll(paths);
    return new RemoteCommand(argv);
  }

  /** The path and every ancestor up to {@code /}, deepest first. */
  static List<String> selfAndAncestors(String path) {
    List<String> paths = new ArrayList<>();
    for (String p = path; !p.isEmpty(); p = p.substring(0, p.lastIndexOf('/'))) {
      paths.add(p);
    }
    paths.add("/");
    return paths;
  }

  private static RemoteCommand operands(List<String> argv, CopyRow row, String targetHost) {
    argv.add(row.sourcePath() + "/");
    argv.add(row.crossNode() ? "root@" + bracketed(targetHost) + ":" + row.targetPath() + "/"
        : row.targetPath() + "/");
    return new RemoteCommand(argv);
  }

  /** rsync writes an IPv6 address in brackets ({@code root@[fd00::4]:/dir}). */
  private static String bracketed(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
