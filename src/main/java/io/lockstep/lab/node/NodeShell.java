package io.lockstep.lab.node;

import io.lockstep.lab.node.Script.Command;
import io.lockstep.lab.node.Script.Redirect;
import io.lockstep.lab.node.Script.Step;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shell behind a lab node's SSH {@code exec} channel: parses the command line
 * ({@link ShellParser}), applies redirections inside the node's {@link Sandbox}, runs each simple
 * command from the node's {@link NodeCommands} and returns the exit status of the last one, as
 * {@code bash -c} does. Nothing is ever handed to a real shell.
 */
final class NodeShell {

  private final ShellParser parser = new ShellParser();
  private final Sandbox sandbox;
  private final NodeCommands commands;

  NodeShell(Sandbox sandbox, NodeCommands commands) {
    this.sandbox = sandbox;
    this.commands = commands;
  }

  /**
   * Runs a command line. {@code out} and {@code err} are the channel's streams; output is flushed
   * as it is written. Throws IOException only when the client's streams fail.
   */
  int run(String line, InputStream in, OutputStream out, OutputStream err)
      throws IOException, InterruptedException {
    OutputStream stdout = new FlushingOutputStream(out);
    OutputStream stderr = new FlushingOutputStream(err);
    Script script;
    try {
      script = parser.parse(line);
    } catch (ShellSyntaxException e) {
      stderr.write((e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      return 2;
    }
    int status = 0;
    for (Step step : script.steps()) {
      if (step.connector().runsAfter(status)) {
        status = execute(step.command(), in, stdout, stderr);
      }
    }
    return status;
  }

  private int execute(Command command, InputStream in, OutputStream out, OutputStream err)
      throws IOException, InterruptedException {
    Map<Integer, Object> fds = new HashMap<>(Map.of(0, in, 1, out, 2, err));
    List<Closeable> opened = new ArrayList<>();
    try {
      for (Redirect redirect : command.redirects()) {
        Optional<String> failure = apply(redirect, fds, opened);
        if (failure.isPresent()) {
          ((OutputStream) fds.get(2)).write(("bash: " + failure.get() + "\n").getBytes(StandardCharsets.UTF_8));
          return 1;
        }
      }
      if (command.words().isEmpty()) {
        return 0;
      }
      String name = command.words().get(0);
      Invocation call = new Invocation(NodeCommands.baseName(name),
          command.words().subList(1, command.words().size()),
          (InputStream) fds.get(0), (OutputStream) fds.get(1), (OutputStream) fds.get(2));
      Optional<NodeCommand> found = commands.find(name);
      if (found.isEmpty()) {
        call.err("bash: " + name + (name.contains("/") ? ": No such file or directory" : ": command not found"));
        return 127;
      }
      return runGuarded(found.get(), call);
    } finally {
      for (Closeable c : opened) {
        closeOpened(c);
      }
    }
  }

  /** Runs a command; a path that leaves the sandbox is its error message and exit status 1. */
  static int runGuarded(NodeCommand command, Invocation call) throws IOException, InterruptedException {
    try {
      return command.run(call);
    } catch (SandboxException e) {
      return call.fail(1, e.getMessage());
    }
  }

  /** Applies one redirection to the descriptor table; returns the error text when it fails. */
  private Optional<String> apply(Redirect redirect, Map<Integer, Object> fds, List<Closeable> opened) {
    if (redirect.kind() == Redirect.Kind.DUPLICATE) {
      Object target = fds.get(redirect.toFd());
      if (target == null) {
        return Optional.of(redirect.toFd() + ": Bad file descriptor");
      }
      fds.put(redirect.fd(), target);
      return Optional.empty();
    }
    String target = redirect.target();
    try {
      Object stream = open(redirect.kind(), target);
      if (stream instanceof Closeable c && !target.equals("/dev/null")) {
        opened.add(c);
      }
      if (redirect.fd() == Redirect.BOTH) {
        fds.put(1, stream);
        fds.put(2, stream);
      } else {
        fds.put(redirect.fd(), stream);
      }
      return Optional.empty();
    } catch (SandboxException e) {
      return Optional.of(e.getMessage());
    } catch (IOException e) {
      return Optional.of(target + ": " + FileErrors.describe(e));
    }
  }

  private Object open(Redirect.Kind kind, String target) throws IOException {
    if (target.equals("/dev/null")) {
      return kind == Redirect.Kind.READ ? InputStream.nullInputStream() : OutputStream.nullOutputStream();
    }
    Path file = sandbox.resolve(target);
    if (kind == Redirect.Kind.READ) {
      return Files.newInputStream(file);
    }
    if (Files.isDirectory(file)) {
      throw new FileSystemException(target, null, "Is a directory");
    }
    StandardOpenOption mode = kind == Redirect.Kind.APPEND
        ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    sandbox.changed();
    return new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode));
  }

  private void closeOpened(Closeable c) throws IOException {
    c.close();
    if (c instanceof OutputStream) {
      sandbox.changed();
    }
  }
}
