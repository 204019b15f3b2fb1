package io.lockstep.datacopy;

import io.lockstep.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

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

  private RsyncCommands() {}

  /**
   * The copy of a row: {@code --info=progress2 --no-inc-recursive} for one overall progress line
   * redrawn as it goes (the whole file list first, so the percentage is of everything), {@code
   * --stats} for the bytes moved; the final copy with {@code --delete}, so the target mirrors the
   * source; {@code --bwlimit} when given.
   */
  static RemoteCommand copy(CopyRow row, Mode mode, int bwlimit, String targetHost) {
    List<String> argv = new ArrayList<>(RSYNC);
    if (mode == Mode.FINAL) {
      argv.add("--delete");
    }
    if (bwlimit > 0) {
      argv.add("--bwlimit=" + bwlimit);
    }
    argv.addAll(List.of("--info=progress2", "--no-inc-recursive", "--stats"));
    return operands(argv, row, targetHost);
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
