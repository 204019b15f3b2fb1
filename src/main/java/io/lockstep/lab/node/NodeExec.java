package io.lockstep.lab.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH {@code exec} request on a lab node: runs the command line through the node's
 * {@link NodeShell} on a session thread and reports its exit status to the client. Closing the
 * channel interrupts the thread, which kills any process the command started.
 */
final class NodeExec implements Command {

  private static final Logger log = LoggerFactory.getLogger(NodeExec.class);

  private final NodeShell shell;
  private final String commandLine;
  private final ExecutorService sessions;
  private InputStream in;
  private OutputStream out;
  private OutputStream err;
  private ExitCallback exit;
  private Future<?> task;

  NodeExec(NodeShell shell, String commandLine, ExecutorService sessions) {
    this.shell = shell;
    this.commandLine = commandLine;
    this.sessions = sessions;
  }

  @Override
  public void setInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public void setOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void setErrorStream(OutputStream err) {
    this.err = err;
  }

  @Override
  public void setExitCallback(ExitCallback exit) {
    this.exit = exit;
  }

  @Override
  public void start(ChannelSession channel, Environment env) {
    task = sessions.submit(this::execute);
  }

  @Override
  public void destroy(ChannelSession channel) {
    if (task != null) {
      task.cancel(true);
    }
  }

  private void execute() {
    int status;
    try {
      status = shell.run(commandLine, in, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (IOException e) {
      log.debug("lab node: client went away during '{}'", commandLine, e);
      status = 255;
    } catch (RuntimeException e) {
      log.warn("lab node: '{}' failed", commandLine, e);
      status = 1;
      try {
        err.write(("lab shell: internal error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the client is gone; the exit status below is all that can still reach it
      }
    }
    try {
      out.flush();
      err.flush();
    } catch (IOException e) {
      log.debug("lab node: cannot flush the output of '{}'", commandLine, e);
    }
    exit.onExit(status);
  }
}
