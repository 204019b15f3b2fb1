package io.lockstep.ssh;

import io.lockstep.ssh.OutputListener.Stream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a command on a node: opens an exec channel on the node's session, sends the command
 * and its stdin (empty, or the caller's input followed by EOF), relays its output line by line to
 * the listener on the calling thread, and collects its exit status.
 *
 * <p>A non-empty input is written by a thread of its own (from {@code readers}) while the output
 * is relayed: a command that echoes its input would otherwise fill its output window while the
 * console still waited to write, and neither side could go on.
 *
 * <p>Two reader threads (from {@code readers}) drain stdout and stderr and cut them into lines; the
 * calling thread delivers the lines. The readers wait when {@value #BACKLOG} lines are waiting for
 * the listener, and SSH flow control then makes the remote command wait too: a chatty command and
 * a slow listener can neither exhaust memory nor stall a connection other commands share.
 *
 * <p>Whatever ends the run early (timeout, interrupt, a failing listener) closes the channel,
 * which is all SSH can do to stop the remote command: the node's sshd closes its pipes and, with
 * OpenSSH, the command dies of SIGPIPE at its next write or sees EOF at its next read.
 */
final class CommandRun {

  private static final Logger log = LoggerFactory.getLogger(CommandRun.class);

  /** A channel that does not open within this time is on a dead connection. */
  private static final Duration CHANNEL_OPEN_LIMIT = Duration.ofSeconds(10);
  static final int BACKLOG = 1000;

  private record Line(@Nullable Stream stream, String text) {}

  /** Posted by a reader when its stream has ended. */
  private static final Line END = new Line(null, "");

  private final SshTarget target;
  private final RemoteCommand command;
  private final Duration timeout;
  private final byte[] input;
  private final OutputListener listener;
  private final Executor readers;
  private final BlockingQueue<Line> lines = new ArrayBlockingQueue<>(BACKLOG);
  private volatile boolean abandoned;

  CommandRun(SshTarget target, RemoteCommand command, Duration timeout, byte[] input,
      OutputListener listener, Executor readers) {
    this.target = target;
    this.command = command;
    this.timeout = timeout;
    this.input = input;
    this.listener = listener;
    this.readers = readers;
  }

  ExecResult run(NodeConnection node, Deadline deadline) throws InterruptedException {
    ChannelExec channel = open(node, deadline);
    long started = System.nanoTime();
    try {
      if (input.length > 0) {
        readers.execute(() -> feed(channel.getInvertedIn()));
      }
      readers.execute(() -> pump(channel.getInvertedOut(), Stream.STDOUT));
      readers.execute(() -> pump(channel.getInvertedErr(), Stream.STDERR));
      relayBothStreams(deadline);
      awaitClosed(channel, deadline);
    } finally {
      abandoned = true;
      if (!channel.isClosing()) {
        // graceful: tells the node to close its end (an immediate close would only forget ours)
        channel.close(false);
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Integer status = channel.getExitStatus();
    if (status == null) {
      String signal = channel.getExitSignal();
      String why = signal != null ? " (killed by signal " + signal + ")"
          : channel.getClientSession().isOpen() ? "" : ": the connection to the node was lost";
      throw new SshException(describe() + " ended without an exit status" + why);
    }
    log.debug("{} exited with status {} after {}", describe(), status, Shown.duration(took));
    return new ExecResult(status, took);
  }

  /**
   * Opens the channel. When the kept connection turns out dead (closed, or silent for {@link
   * #CHANNEL_OPEN_LIMIT}) it is closed and the channel is tried once more on a new one; the
   * command has not been sent at that point, so trying again is safe. A node that refuses the
   * channel (too many sessions, say) or a deadline that passed is reported as it is.
   */
  private ChannelExec open(NodeConnection node, Deadline deadline) throws InterruptedException {
    ClientSession session = node.session();
    try {
      return start(session, deadline);
    } catch (SshException e) {
      boolean refused = session.isOpen() && e.getCause() instanceof SshChannelOpenException;
      if (refused || deadline.passed()) {
        throw e;
      }
      log.debug("{}: connection broken ({}), logging in again", target, e.getMessage());
      node.discard(session);
      return start(node.session(), deadline);
    }
  }

  /**
   * Opens the exec channel on {@code session} and sends the command; without input its stdin is
   * closed at once (EOF), with input {@link #feed} closes it once the input is written.
   */
  private ChannelExec start(ClientSession session, Deadline deadline) throws InterruptedException {
    @Nullable ChannelExec channel = null;
    try {
      channel = session.createExecChannel(command.toShell());
      Duration openLimit = deadline.remaining(CHANNEL_OPEN_LIMIT);
      OpenFuture opened = channel.open();
      if (!opened.await(openLimit) || !opened.isOpened()) {
        throw opened.isDone()
            ? new SshException(describe() + " could not start: " + reason(opened.getException()),
                opened.getException())
            : new SshTimeoutException(describe() + " could not start: the node did not open a "
                + "channel within " + Shown.duration(openLimit));
      }
      if (input.length == 0) {
        channel.getInvertedIn().close();
      }
      log.debug("{} started", describe());
      return channel;
    } catch (InterruptedIOException e) {
      closeNow(channel);
      throw new InterruptedException("interrupted while starting " + describe());
    } catch (IOException | RuntimeException e) {
      closeNow(channel);
      throw e instanceof SshException known ? known
          : new SshException(describe() + " could not start: " + e.getMessage(), e);
    }
  }

  /**
   * Writer thread: sends the input, then EOF. SSH flow control makes a write wait while the
   * command does not read. A command that ended (or was stopped) before reading everything closes
   * the channel, which ends the write with an error that is no failure of the run: the exit status
   * tells what the command made of it. The input itself never reaches a log.
   */
  private void feed(OutputStream stdin) {
    int chunk = 32 * 1024;
    try (stdin) {
      for (int offset = 0; offset < input.length && !abandoned; offset += chunk) {
        stdin.write(input, offset, Math.min(chunk, input.length - offset));
      }
    } catch (IOException e) {
      log.debug("{}: stdin not fully written ({} bytes): {}", describe(), input.length,
          e.getMessage());
    }
  }

  /** Reader thread: cuts one output stream into lines and queues them until the stream ends. */
  private void pump(InputStream output, Stream stream) {
    try (LineSplitter splitter = new LineSplitter(text -> queue(new Line(stream, text)))) {
      byte[] chunk = new byte[8192];
      for (int n = output.read(chunk); n >= 0 && !abandoned; n = output.read(chunk)) {
        splitter.write(chunk, 0, n);
      }
    } catch (IOException e) {
      log.debug("{}: {} ended: {}", describe(), stream, e.getMessage());
    } finally {
      queue(END);
    }
  }

  private void queue(Line line) {
    try {
      while (!abandoned && !lines.offer(line, 100, TimeUnit.MILLISECONDS)) {
        // the listener is behind: wait, and let SSH flow control hold the command back meanwhile
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Hands queued lines to the listener until both streams have ended. Past the deadline, lines
   * already queued are no reason to wait longer: the command has run out of time.
   */
  private void relayBothStreams(Deadline deadline) throws InterruptedException {
    int ended = 0;
    while (ended < 2) {
      Line line = lines.poll(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
      if (line == null || deadline.passed() && line != END) {
        throw timedOut();
      }
      if (line == END) {
        ended++;
      } else {
        listener.onLine(line.stream(), line.text());
      }
    }
  }

  /** The exit status comes after the output; it is there once the node closed the channel. */
  private void awaitClosed(ChannelExec channel, Deadline deadline) {
    long left = TimeUnit.NANOSECONDS.toMillis(deadline.remainingNanos());
    // MINA waits forever for a timeout of 0, so an expired deadline is checked here
    if (left <= 0 ? !channel.isClosed()
        : channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), left)
            .contains(ClientChannelEvent.TIMEOUT)) {
      throw timedOut();
    }
  }

  private SshTimeoutException timedOut() {
    return new SshTimeoutException(describe() + " did not finish within "
        + Shown.duration(timeout) + "; its channel was closed to stop it");
  }

  private static void closeNow(@Nullable ChannelExec channel) {
    if (channel != null) {
      channel.close(true);
    }
  }

  private static String reason(@Nullable Throwable failure) {
    return failure == null || failure.getMessage() == null
        ? "the node refused"
        : failure.getMessage();
  }

  private String describe() {
    return "command '" + command + "' on " + target;
  }
}
