package io.lockstep.lab.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code du [-s] [-c] [-b|-k|-h] [--apparent-size] PATH…}. Disk usage counts whole 4 KiB blocks
 * per entry; {@code -b} and {@code --apparent-size} count bytes as {@code stat} reports them,
 * directories included, exactly as GNU du does. Without {@code -s} every directory is listed after
 * its contents; entries are visited in name order.
 */
final class Du implements NodeCommand {

  private final Sandbox sandbox;

  Du(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  private record Options(boolean summarize, boolean total, boolean apparent, boolean human, long unit) {}

  @Override
  public int run(Invocation call) throws IOException {
    boolean summarize = false;
    boolean total = false;
    boolean apparent = false;
    boolean human = false;
    long unit = 1024;
    List<String> paths = new ArrayList<>();
    for (String arg : call.args()) {
      if (arg.equals("--apparent-size")) {
        apparent = true;
      } else if (arg.equals("--summarize")) {
        summarize = true;
      } else if (arg.startsWith("-") && arg.length() > 1 && arg.chars().skip(1).allMatch(c -> "sbkhc".indexOf(c) >= 0)) {
        summarize |= arg.indexOf('s') > 0;
        total |= arg.indexOf('c') > 0;
        human |= arg.indexOf('h') > 0;
        if (arg.indexOf('b') > 0) {
          apparent = true;
          unit = 1;
        }
        unit = arg.indexOf('k') > 0 ? 1024 : unit;
      } else if (arg.startsWith("-")) {
        return call.fail(1, "invalid option -- '" + arg.substring(1) + "'");
      } else {
        paths.add(arg);
      }
    }
    Options options = new Options(summarize, total, apparent, human, unit);
    int status = 0;
    long grandTotal = 0;
    for (String path : paths.isEmpty() ? List.of(".") : paths) {
      Path host = sandbox.resolve(path);
      if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
        call.err("du: cannot access '" + path + "': No such file or directory");
        status = 1;
        continue;
      }
      grandTotal += walk(call, host, path, options, true);
    }
    if (total) {
      call.out(format(grandTotal, options) + "\ttotal");
    }
    return status;
  }

  /** Size of a tree; prints the lines du prints for it. */
  private long walk(Invocation call, Path host, String shown, Options options, boolean top) throws IOException {
    BasicFileAttributes attrs = Files.readAttributes(host, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    long size = options.apparent() ? attrs.size() : Sizes.onDisk(attrs.size());
    if (attrs.isDirectory()) {
      List<Path> children;
      try (Stream<Path> list = Files.list(host)) {
        children = list.sorted().toList();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      for (Path child : children) {
        String childShown = shown.endsWith("/") ? shown + child.getFileName() : shown + "/" + child.getFileName();
        size += walk(call, child, childShown, options, false);
      }
    }
    if (top || (attrs.isDirectory() && !options.summarize())) {
      call.out(format(size, options) + "\t" + shown);
    }
    return size;
  }

  private static String format(long bytes, Options options) {
    return options.human() ? Sizes.human(bytes) : Long.toString(Sizes.ceilDiv(bytes, options.unit()));
  }
}
