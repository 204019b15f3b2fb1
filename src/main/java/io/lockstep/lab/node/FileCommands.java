package io.lockstep.lab.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * {@code mkdir [-p] [-v] [-m MODE]}, {@code sha256sum FILE…} (real digests, {@code HASH  PATH}
 * with the path as given), {@code cat [FILE…]}, {@code tee [-a] FILE…} (stdin into every file and
 * onto stdout: how the console writes a file from data it holds) and {@code chmod MODE FILE…}
 * (octal modes only) over one node's sandbox, with coreutils' messages and exit statuses.
 */
final class FileCommands {

  private final Sandbox sandbox;

  FileCommands(Sandbox sandbox) {
    this.sandbox = sandbox;
  }

  int mkdir(Invocation call) throws IOException {
    boolean parents = false;
    boolean verbose = false;
    Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rwxr-xr-x");
    List<String> paths = new ArrayList<>();
    List<String> args = call.args();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("-m") && i + 1 < args.size()) {
        try {
          mode = Modes.fromOctal(args.get(++i));
        } catch (IllegalArgumentException e) {
          return call.fail(1, "invalid mode '" + args.get(i) + "'");
        }
      } else if (arg.startsWith("-") && arg.length() > 1 && arg.chars().skip(1).allMatch(c -> c == 'p' || c == 'v')) {
        parents |= arg.indexOf('p') > 0;
        verbose |= arg.indexOf('v') > 0;
      } else if (arg.startsWith("-")) {
        return call.fail(1, "invalid option -- '" + arg.substring(1) + "'");
      } else {
        paths.add(arg);
      }
    }
    if (paths.isEmpty()) {
      return call.fail(1, "missing operand");
    }
    int status = 0;
    for (String path : paths) {
      Path dir = sandbox.resolve(path);
      try {
        if (parents && Files.isDirectory(dir)) {
          continue;
        }
        if (parents) {
          Files.createDirectories(dir.getParent());
        }
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, mode);
        if (verbose) {
          call.out("mkdir: created directory '" + path + "'");
        }
      } catch (FileAlreadyExistsException e) {
        status = call.fail(1, "cannot create directory '" + path + "': File exists");
      } catch (IOException e) {
        status = call.fail(1, "cannot create directory '" + path + "': " + FileErrors.describe(e));
      } finally {
        sandbox.changed();
      }
    }
    return status;
  }

  int sha256sum(Invocation call) throws IOException {
    int status = 0;
    for (String path : call.args()) {
      Path file = sandbox.resolve(path);
      if (Files.isDirectory(file)) {
        status = call.fail(1, path + ": Is a directory");
        continue;
      }
      try (InputStream in = Files.newInputStream(file)) {
        call.out(HexFormat.of().formatHex(digest(in)) + "  " + path);
      } catch (IOException e) {
        status = call.fail(1, path + ": " + FileErrors.describe(e));
      }
    }
    return status;
  }

  int cat(Invocation call) throws IOException {
    if (call.args().isEmpty()) {
      call.in().transferTo(call.out());
      return 0;
    }
    int status = 0;
    for (String path : call.args()) {
      if (path.equals("-")) {
        call.in().transferTo(call.out());
        continue;
      }
      Path file = sandbox.resolve(path);
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        status = call.fail(1, path + ": Is a directory");
        continue;
      }
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(call.out());
      } catch (IOException e) {
        status = call.fail(1, path + ": " + FileErrors.describe(e));
      }
    }
    return status;
  }

  /**
   * {@code tee [-a] [FILE…]}: copies stdin to stdout and into every FILE (truncated first, or
   * appended to with {@code -a}); a FILE that cannot be opened is reported and skipped, the others
   * are still written, and the exit status is then 1. A new file gets mode 0644, as under umask 022;
   * an existing one keeps its mode.
   */
  int tee(Invocation call) throws IOException {
    boolean append = false;
    boolean options = true;
    List<String> paths = new ArrayList<>();
    for (String arg : call.args()) {
      if (options && arg.equals("--")) {
        options = false;
      } else if (options && (arg.equals("-a") || arg.equals("--append"))) {
        append = true;
      } else if (options && arg.startsWith("-") && arg.length() > 1) {
        return call.fail(1, "invalid option -- '" + arg.substring(1) + "'");
      } else {
        paths.add(arg);
      }
    }
    int status = 0;
    List<OutputStream> files = new ArrayList<>();
    try {
      for (String path : paths) {
        try {
          files.add(open(path, append));
        } catch (IOException e) {
          status = call.fail(1, path + ": " + FileErrors.describe(e));
        }
      }
      byte[] buffer = new byte[64 * 1024];
      for (int n = call.in().read(buffer); n >= 0; n = call.in().read(buffer)) {
        call.out().write(buffer, 0, n);
        for (OutputStream file : files) {
          file.write(buffer, 0, n);
        }
      }
    } finally {
      for (OutputStream file : files) {
        file.close();
      }
      sandbox.changed();
    }
    return status;
  }

  private OutputStream open(String path, boolean append) throws IOException {
    Path file = sandbox.resolve(path);
    if (Files.isDirectory(file)) {
      throw new FileSystemException(path, null, "Is a directory");
    }
    boolean created = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    if (created) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
    return out;
  }

  /** {@code chmod MODE FILE…} with an octal MODE ({@code 0600}); symbolic modes are refused. */
  int chmod(Invocation call) throws IOException {
    List<String> args = call.args();
    if (args.isEmpty()) {
      return call.fail(1, "missing operand");
    }
    Set<PosixFilePermission> mode;
    try {
      mode = Modes.fromOctal(args.get(0));
    } catch (IllegalArgumentException e) {
      return call.fail(1, "invalid mode: '" + args.get(0) + "' (the lab's chmod takes octal modes)");
    }
    if (args.size() == 1) {
      return call.fail(1, "missing operand after '" + args.get(0) + "'");
    }
    int status = 0;
    for (String path : args.subList(1, args.size())) {
      try {
        Files.setPosixFilePermissions(sandbox.resolve(path), mode);
      } catch (IOException e) {
        status = call.fail(1, "cannot access '" + path + "': " + FileErrors.describe(e));
      }
    }
    return status;
  }

  static byte[] digest(InputStream in) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha.update(buffer, 0, n);
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
