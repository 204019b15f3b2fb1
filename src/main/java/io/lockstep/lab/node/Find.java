package io.lockstep.lab.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code find PATH… [-mindepth N] [-maxdepth N] [-type f|d] [-print] [-quit]}: enough for the
 * emptiness test the procedures use ({@code find DIR -mindepth 1 -maxdepth 1 -print -quit} prints
 * the first entry, nothing for an empty directory). Actions run in the order written; without
 * any, entries are printed. Entries are visited in name order (real find uses directory order).
 */
final class Find implements NodeCommand {

  private final Sandbox sandbox;

  Find(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  private record Query(int minDepth, int maxDepth, Character type, List<String> actions) {}

  /** Thrown out of the walk by {@code -quit}. */
  private static final class Quit extends Exception {
    private static final long serialVersionUID = 1L;
  }

  @Override
  public int run(Invocation call) throws IOException {
    List<String> args = call.args();
    List<String> roots = new ArrayList<>();
    int i = 0;
    while (i < args.size() && !args.get(i).startsWith("-")) {
      roots.add(args.get(i++));
    }
    int minDepth = 0;
    int maxDepth = Integer.MAX_VALUE;
    Character type = null;
    List<String> actions = new ArrayList<>();
    for (; i < args.size(); i++) {
      String arg = args.get(i);
      boolean valued = arg.equals("-mindepth") || arg.equals("-maxdepth") || arg.equals("-type");
      if (valued && i + 1 >= args.size()) {
        return call.fail(1, "missing argument to `" + arg + "'");
      }
      try {
        switch (arg) {
          case "-mindepth" -> minDepth = Integer.parseInt(args.get(++i));
          case "-maxdepth" -> maxDepth = Integer.parseInt(args.get(++i));
          case "-type" -> type = args.get(++i).charAt(0);
          case "-print", "-quit" -> actions.add(arg);
          default -> {
            return call.fail(1, "unknown predicate `" + arg + "'");
          }
        }
      } catch (NumberFormatException e) {
        return call.fail(1, "Expected a positive decimal integer argument to " + arg + ", but got `" + args.get(i) + "'");
      }
    }
    Query query = new Query(minDepth, maxDepth, type, actions.isEmpty() ? List.of("-print") : actions);
    int status = 0;
    try {
      for (String root : roots.isEmpty() ? List.of(".") : roots) {
        Path host = sandbox.resolve(root);
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
          call.err("find: '" + root + "': No such file or directory");
          status = 1;
          continue;
        }
        visit(call, host, root, 0, query);
      }
    } catch (Quit quit) {
      return status;
    }
    return status;
  }

  private void visit(Invocation call, Path host, String shown, int depth, Query query) throws IOException, Quit {
    boolean directory = Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
    boolean typeMatches = query.type() == null || (query.type() == 'd') == directory;
    if (depth >= query.minDepth() && depth <= query.maxDepth() && typeMatches) {
      for (String action : query.actions()) {
        if (action.equals("-quit")) {
          throw new Quit();
        }
        call.out(shown);
      }
    }
    if (directory && depth < query.maxDepth()) {
      List<Path> children;
      try (Stream<Path> list = Files.list(host)) {
        children = list.sorted().toList();
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      for (Path child : children) {
        String name = child.getFileName().toString();
        visit(call, child, shown.endsWith("/") ? shown + name : shown + "/" + name, depth + 1, query);
      }
    }
  }
}
