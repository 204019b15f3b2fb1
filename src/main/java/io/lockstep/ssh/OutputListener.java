package io.lockstep.ssh;

/**
 * Receives the output of a remote command line by line while it runs.
 *
 * <p>Lines of one stream arrive in the order the node sent them, one at a time, on the thread that
 * called {@link NodeShell#exec}; lines of stdout and stderr interleave roughly as they were
 * written. A slow listener holds the command back (through SSH flow control once a backlog of
 * lines is waiting), never the SSH connection or other commands. A line
 * ends at {@code \n}, {@code \r\n} or a lone {@code \r}, so the progress lines rsync redraws with
 * {@code \r} are seen as they come; the line break itself is not part of the line. Output is
 * decoded as UTF-8. A line longer than 64 KiB is delivered in pieces.
 *
 * <p>An exception thrown by the listener stops the command (its channel is closed) and propagates
 * to the caller of {@code exec}.
 */
@FunctionalInterface
public interface OutputListener {

  /** Which of the command's outputs a line came from. */
  enum Stream {
    STDOUT,
    STDERR
  }

  /** A listener that drops every line. */
  OutputListener IGNORE = (stream, line) -> {};

  void onLine(Stream stream, String line);
}
