package io.lockstep.ssh;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while open, rendered with arguments and exceptions: at DEBUG and above, except
 * MINA SSHD at {@code sshdLevel}.
 */
final class CapturedLogs implements AutoCloseable {

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger sshd = (Logger) LoggerFactory.getLogger("org.apache.sshd");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level rootBefore = root.getLevel();
  private final Level sshdBefore = sshd.getLevel();

  CapturedLogs(Level sshdLevel) {
    // MINA logs from its own threads while a test reads: the appender's list must allow that.
    appender.list = new java.util.concurrent.CopyOnWriteArrayList<>();
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
    sshd.setLevel(sshdLevel);
  }

  List<String> lines() {
    return appender.list.stream().map(CapturedLogs::rendered).toList();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(rootBefore);
    sshd.setLevel(sshdBefore);
  }

  private static String rendered(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getMessage());
    }
    return text.append(' ').append(Arrays.toString(event.getArgumentArray())).toString();
  }
}
