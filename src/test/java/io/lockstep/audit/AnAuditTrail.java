package io.lockstep.audit;

import io.lockstep.system.SecretMasker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.SecretKey;
import javax.sql.DataSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.support.ResourceBundleMessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit module wired by hand over a test database, as Spring wires it in the console: the log,
 * its exports and the PDF report with the real templates, messages and font.
 */
final class AnAuditTrail {

  static final Instant T0 = Instant.parse("2026-11-25T20:00:00Z");
  private static PdfReport sharedPdf;

  final DataSource database;
  final JdbcClient jdbc;
  final SecretMasker masker = new SecretMasker();
  final TestClock clock = new TestClock(T0);
  final Path anchorFile;
  final SecretKey anchorKey;
  final AuditAnchor anchor;
  final AuditLog log;
  final AuditExports exports;

  private AnAuditTrail(DataSource database) {
    this.database = database;
    this.jdbc = JdbcClient.create(database);
    this.anchorFile = tempDir().resolve("audit-anchor");
    this.anchorKey = AnchorKey.of(randomKey(), null);
    this.anchor = AuditAnchor.open(anchorFile, anchorKey, clock);
    anchor.start(0, AuditChain.GENESIS);
    this.log = new AuditLog(new AuditEvents(jdbc), masker, clock, new DataSourceTransactionManager(database), anchor);
    this.exports = new AuditExports(log, pdf(), JsonMapper.builder().build(),
        new StaticListableBeanFactory().getBeanProvider(RunReportSections.class),
        new AuditProperties(50, 500, 50_000, null, null, null), clock);
  }

  static AnAuditTrail on(DataSource database) {
    return new AnAuditTrail(database);
  }

  /**
   * The same database and anchor file as a console restarted on them would see: a new log whose
   * anchor reads the file afresh (nothing remembered from this one).
   */
  AnAuditTrail restarted() {
    return new AnAuditTrail(this);
  }

  private AnAuditTrail(AnAuditTrail before) {
    this.database = before.database;
    this.jdbc = before.jdbc;
    this.anchorFile = before.anchorFile;
    this.anchorKey = before.anchorKey;
    this.clock.advance(Duration.between(T0, before.clock.instant()));
    before.anchor.close();
    this.anchor = AuditAnchor.open(anchorFile, anchorKey, clock);
    this.log = new AuditLog(new AuditEvents(jdbc), masker, clock, new DataSourceTransactionManager(database), anchor);
    this.exports = new AuditExports(log, pdf(), JsonMapper.builder().build(),
        new StaticListableBeanFactory().getBeanProvider(RunReportSections.class),
        new AuditProperties(50, 500, 50_000, null, null, null), clock);
  }

  static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("lockstep-audit-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One PdfReport per JVM, as in the console: the font is read once. */
  static synchronized PdfReport pdf() {
    if (sharedPdf == null) {
      sharedPdf = new PdfReport(templates());
    }
    return sharedPdf;
  }

  static SpringTemplateEngine templates() {
    ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
    resolver.setPrefix("templates/");
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding("UTF-8");
    ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
    messages.setBasename("messages");
    messages.setDefaultEncoding("UTF-8");
    messages.setFallbackToSystemLocale(false);
    SpringTemplateEngine engine = new SpringTemplateEngine();
    engine.setTemplateResolver(resolver);
    engine.setTemplateEngineMessageSource(messages);
    return engine;
  }

  static final Locale ENGLISH = Locale.ENGLISH;

  /** A clock tests move by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
