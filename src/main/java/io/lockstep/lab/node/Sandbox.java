package io.lockstep.lab.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One node's filesystem: the directory {@code nodes/NAME/root} stands for the node's "/".
 *
 * <p>Contract: every path a command names goes through {@link #resolve}. Absolute node paths map
 * below the root, relative ones resolve against the working directory {@value #HOME}. A path whose
 * {@code ..} would climb above "/" or that runs through a symbolic link pointing outside the root
 * is refused with a {@link SandboxException}; nothing is clamped.
 *
 * <p>The used-bytes figure {@code df} reports is cached for {@value #USAGE_TTL_MILLIS} ms because
 * procedures poll it; commands that write call {@link #changed()} so the next figure is fresh.
 */
final class Sandbox {

  /** Root's home and the working directory of every command. */
  static final String HOME = "/root";

  private static final long USAGE_TTL_MILLIS = 2000;

  private final Path root;
  private long usageBytes;
  private long usageAt;
  private boolean usageValid;

  Sandbox(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The host directory standing for the node's "/". */
  Path root() {
    return root;
  }

  boolean exists() {
    return Files.isDirectory(root);
  }

  /** Maps a node path to the host path inside the sandbox. */
  Path resolve(String nodePath) {
    Path host = lexical(nodePath);
    checkLinks(nodePath, host);
    return host;
  }

  /**
   * Like {@link #resolve} but as a command-line argument for an external tool: a trailing "/"
   * (or "/.") is kept, because rsync gives it a meaning.
   */
  String argument(String nodePath) {
    Path host = resolve(nodePath);
    boolean trailing = nodePath.endsWith("/") || nodePath.endsWith("/.") || nodePath.equals(".");
    return trailing ? host + "/" : host.toString();
  }

  /** The node path of a host path inside this sandbox ("/" for the root itself). */
  String nodePath(Path host) {
    Path relative = root.relativize(host.toAbsolutePath().normalize());
    return "/" + relative.toString().replace('\\', '/');
  }

  /** Total apparent size in bytes of every file and directory of the node, cached briefly. */
  synchronized long usedBytes() {
    long now = System.currentTimeMillis();
    if (!usageValid || now - usageAt > USAGE_TTL_MILLIS) {
      usageBytes = exists() ? sizeOf(root) : 0;
      usageAt = now;
      usageValid = true;
    }
    return usageBytes;
  }

  /** Something below the root was written: the next {@link #usedBytes()} walks the tree again. */
  synchronized void changed() {
    usageValid = false;
  }

  /** Apparent size of a tree: the sum of the sizes of all its entries, symbolic links not followed. */
  static long sizeOf(Path tree) {
    long[] total = {0};
    try {
      Files.walkFileTree(tree, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          total[0] += attrs.size();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          total[0] += attrs.size();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return total[0];
  }

  private Path lexical(String nodePath) {
    if (nodePath.isEmpty()) {
      throw new SandboxException("''");
    }
    String absolute = nodePath.startsWith("/") ? nodePath : HOME + "/" + nodePath;
    Deque<String> parts = new ArrayDeque<>();
    for (String part : absolute.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          throw new SandboxException(nodePath);
        }
        parts.removeLast();
      } else {
        parts.addLast(part);
      }
    }
    Path host = root;
    for (String part : parts) {
      host = host.resolve(part);
    }
    return host;
  }

  /** The deepest existing ancestor, links followed, must still lie inside the root. */
  private void checkLinks(String nodePath, Path host) {
    Path existing = host;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null || !existing.startsWith(root)) {
      throw new SandboxException(nodePath);
    }
    try {
      Path realRoot = root.toRealPath();
      if (!existing.toRealPath().startsWith(realRoot)) {
        throw new SandboxException(nodePath);
      }
    } catch (IOException e) {
      throw new SandboxException(nodePath);
    }
  }
}
