package io.lockstep.lab.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ls [-l] [-a] [-A] [-d] [-h] [-1] [PATH…]} as GNU ls prints to a pipe: one name per line,
 * names in byte order, file operands before directory listings, a {@code DIR:} heading when more
 * than one operand is given. {@code -l} shows mode, links, owner, group, size and modification
 * time (UTC).
 */
final class Ls implements NodeCommand {

  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMM", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("ppd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter YEAR = DateTimeFormatter.ofPattern("yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Sandbox sandbox;
  private final Clock clock;

  Ls(Sandbox sandbox, Clock clock) {
    this.sandbox = sandbox;
    this.clock = clock;
  }

  private record Entry(String name, Path path) {}

  @Override
  public int run(Invocation call) throws IOException {
    String flags = "";
    List<String> operands = new ArrayList<>();
    for (String arg : call.args()) {
      if (arg.startsWith("-") && arg.length() > 1) {
        String letters = arg.substring(1);
        for (char c : letters.toCharArray()) {
          if ("laAdh1".indexOf(c) < 0) {
            call.err("ls: invalid option -- '" + c + "'");
            call.err("Try 'ls --help' for more information.");
            return 2;
          }
        }
        flags += letters;
      } else {
        operands.add(arg);
      }
    }
    boolean listDirs = flags.indexOf('d') < 0;
    int status = 0;
    List<Entry> files = new ArrayList<>();
    List<Entry> dirs = new ArrayList<>();
    for (String operand : operands.isEmpty() ? List.of(".") : operands) {
      Path host = sandbox.resolve(operand);
      if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
        call.err("ls: cannot access '" + operand + "': No such file or directory");
        status = 2;
      } else {
        (listDirs && Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS) ? dirs : files).add(new Entry(operand, host));
      }
    }
    print(call, files, flags, false);
    boolean headings = operands.size() > 1;
    for (int i = 0; i < dirs.size(); i++) {
      if (i > 0 || !files.isEmpty()) {
        call.out("");
      }
      if (headings) {
        call.out(dirs.get(i).name() + ":");
      }
      print(call, contents(dirs.get(i).path(), flags), flags, true);
    }
    return status;
  }

  private List<Entry> contents(Path dir, String flags) throws IOException {
    List<Entry> entries = new ArrayList<>();
    if (flags.indexOf('a') >= 0) {
      entries.add(new Entry(".", dir));
      entries.add(new Entry("..", dir.equals(sandbox.root()) ? dir : dir.getParent()));
    }
    boolean hidden = flags.indexOf('a') >= 0 || flags.indexOf('A') >= 0;
    try (Stream<Path> list = Files.list(dir)) {
      list.map(p -> new Entry(p.getFileName().toString(), p))
          .filter(e -> hidden || !e.name().startsWith("."))
          .sorted((a, b) -> a.name().compareTo(b.name()))
          .forEach(entries::add);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return entries;
  }

  private void print(Invocation call, List<Entry> entries, String flags, boolean withTotal) throws IOException {
    if (flags.indexOf('l') < 0) {
      for (Entry e : entries) {
        call.out(e.name());
      }
      return;
    }
    List<String[]> rows = new ArrayList<>();
    long blocks = 0;
    for (Entry e : entries) {
      PosixFileAttributes a = Files.readAttributes(e.path(), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      blocks += Sizes.onDisk(a.size()) / 1024;
      String type = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "-";
      Object links = Files.getAttribute(e.path(), "unix:nlink", LinkOption.NOFOLLOW_LINKS);
      String size = flags.indexOf('h') >= 0 ? Sizes.human(a.size()) : Long.toString(a.size());
      Instant mtime = a.lastModifiedTime().toInstant();
      boolean recent = Duration.between(mtime, clock.instant()).toDays() < 182 && !mtime.isAfter(clock.instant());
      String name = a.isSymbolicLink() ? e.name() + " -> " + Files.readSymbolicLink(e.path()) : e.name();
      rows.add(new String[] {type + PosixFilePermissions.toString(a.permissions()), String.valueOf(links),
          a.owner().getName(), a.group().getName(), size, MONTH.format(mtime), DAY.format(mtime),
          recent ? TIME.format(mtime) : YEAR.format(mtime), name});
    }
    if (withTotal) {
      call.out("total " + (flags.indexOf('h') >= 0 ? Sizes.human(blocks * 1024) : Long.toString(blocks)));
    }
    if (!rows.isEmpty()) {
      for (String line : Columns.align(rows, Set.of(0, 2, 3, 5, 8))) {
        call.out(line);
      }
    }
  }
}
