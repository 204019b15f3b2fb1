package io.lockstep.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Opens the anchor file before anything is audited. A new trail (no rows, head at 0) starts the
 * file at row 0, so from the first row on every commit is anchored; an existing trail without an
 * anchor file is left as it is: verify reports the missing file until an approver acknowledges
 * it, which starts a new one.
 */
@Configuration(proxyBeanMethods = false)
class AuditAnchorConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AuditAnchorConfiguration.class);

  @Bean(destroyMethod = "close")
  AuditAnchor auditAnchor(AuditProperties properties, AuditEvents events, Clock clock,
      @Value("${spring.datasource.url:}") String databaseUrl) {
    Path file = properties.anchorFile() != null ? properties.anchorFile() : defaultFile(databaseUrl);
    AuditAnchor anchor = AuditAnchor.open(file, AnchorKey.of(properties.anchorKey(), properties.anchorKeyFile()), clock);
    if (!anchor.exists() && events.head().seq() == 0 && events.count(AuditFilter.ALL) == 0) {
      anchor.start(0, AuditChain.GENESIS);
      log.info("Started the audit anchor file {}", file);
    }
    return anchor;
  }

  /**
   * Beside an H2 file database, {@code ./data/audit-anchor} for any other database, and a
   * temporary file for an in-memory H2, whose rows vanish with the process anyway (an anchor file
   * shared by every in-memory database would report each fresh one as cut off).
   */
  static Path defaultFile(String databaseUrl) {
    String url = databaseUrl == null ? "" : databaseUrl;
    if (url.startsWith("jdbc:h2:mem:")) {
      try {
        Path dir = Files.createTempDirectory("lockstep-audit-anchor-");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve("audit-anchor");
        file.toFile().deleteOnExit();
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a temporary audit anchor file", e);
      }
    }
    if (url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:")) {
      String path = url.substring("jdbc:h2:".length());
      path = path.startsWith("file:") ? path.substring("file:".length()) : path;
      int options = path.indexOf(';');
      return Path.of((options < 0 ? path : path.substring(0, options)) + ".audit-anchor");
    }
    return Path.of("./data/audit-anchor");
  }
}
