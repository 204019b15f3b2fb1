package io.lockstep.logstream;

import io.lockstep.system.SecretMasker;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import tools.jackson.databind.json.JsonMapper;

/** Run logs over a given database, wired by hand the way the console wires them. */
final class ARunLog {

  private ARunLog() {}

  /** A run log over {@code database} with default settings. */
  static RunLog on(DataSource database, SecretMasker masker) {
    return on(database, masker, subscribers(database));
  }

  /** A run log over {@code database} that fans out to {@code subscribers}. */
  static RunLog on(DataSource database, SecretMasker masker, LogSubscribers subscribers) {
    RunLogLines lines = new RunLogLines(database);
    return new RunLog(lines, new RunSequences(lines, subscribers), subscribers, masker,
        LogstreamProperties.defaults(), new JdbcTransactionManager(database), Clock.systemUTC());
  }

  static LogSubscribers subscribers(DataSource database) {
    LogSubscribers subscribers = new LogSubscribers(new RunLogLines(database), views(), LogstreamProperties.defaults());
    subscribers.start();
    return subscribers;
  }

  /** The views with the real templates from the classpath. */
  static LogLineViews views() {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
    resolver.setPrefix("templates/");
    resolver.setSuffix(".html");
    SpringTemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(resolver);
    return new LogLineViews(engine, JsonMapper.builder().build());
  }

  /** {@code count} stdout lines of step {@code step} on node-1, numbered from {@code from} in their text. */
  static List<LogLine> lines(String step, int from, int count) {
    return java.util.stream.IntStream.range(from, from + count)
        .mapToObj(i -> LogLine.out(step, "node-1", "line " + i))
        .toList();
  }
}
