package io.lockstep.logstream.bench;

import io.lockstep.logstream.RunLog;
import io.lockstep.testing.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/**
 * The part of the console the benchmark measures, started for real: Tomcat on 127.0.0.1 (random
 * port), the security filter chain (HTTP Basic for {@code /api/**}), the logstream and system
 * modules, Flyway-migrated H2 in memory or the local PostgreSQL. The lab and the other modules stay
 * out, so their background work does not blur the figures.
 */
final class BenchConsole implements AutoCloseable {

  /**
   * What the benchmark starts. A test configuration, so that the console's own component scan in
   * tests ({@code LabConsoleTest}) leaves it out.
   */
  @TestConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @ComponentScan({"io.lockstep.logstream", "io.lockstep.system"})
  @ConfigurationPropertiesScan({"io.lockstep.logstream", "io.lockstep.system"})
  static class Application {}

  /** The demo password's bcrypt hash, as in application-lab.yml. */
  static final String DEMO_HASH = "$2a$10$EBSuLqIzrt7bWKhnYy1dWuEYR6xpcd1/l/EYflIT/DORnxZH2B086";

  private final ConfigurableApplicationContext context;
  private final String postgresSchema;

  private BenchConsole(ConfigurableApplicationContext context, String postgresSchema) {
    this.context = context;
    this.postgresSchema = postgresSchema;
  }

  /**
   * Starts the console on {@code database} ({@code h2} or {@code postgres}). The settings go in as
   * command-line arguments, which outrank application.yml (whose datasource is the console's own
   * H2 file under ./data, which a benchmark must never touch).
   */
  static BenchConsole start(String database) {
    Map<String, Object> properties = new HashMap<>();
    String schema = "postgres".equals(database) ? "lockstep_bench_" + System.nanoTime() : null;
    properties.put("spring.main.banner-mode", "off");
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    properties.put("logging.level.root", "WARN");
    properties.put("lockstep.security.users[0].name", "viewer");
    properties.put("lockstep.security.users[0].roles[0]", "VIEWER");
    properties.put("lockstep.security.users[0].password-hash", DEMO_HASH);
    if (schema != null) {
      properties.put("spring.datasource.url", TestDatabases.POSTGRES_URL + "?currentSchema=" + schema);
      properties.put("spring.datasource.username", TestDatabases.POSTGRES_USER);
      properties.put("spring.flyway.schemas", schema);
    } else {
      properties.put("spring.datasource.url", "jdbc:h2:mem:lockstep-bench;DB_CLOSE_DELAY=-1");
    }
    String[] arguments = properties.entrySet().stream().map(p -> "--" + p.getKey() + "=" + p.getValue())
        .toArray(String[]::new);
    ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
        .profiles("bench")
        .run(arguments);
    return new BenchConsole(context, schema);
  }

  /** The JDBC URL the console really uses. */
  String databaseUrl() {
    return context.getEnvironment().getProperty("spring.datasource.url");
  }

  int port() {
    return ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  RunLog runLog() {
    return context.getBean(RunLog.class);
  }

  /** Stops the console and drops the PostgreSQL schema it used. */
  @Override
  public void close() throws SQLException {
    context.close();
    if (postgresSchema != null) {
      PGSimpleDataSource admin = new PGSimpleDataSource();
      admin.setUrl(TestDatabases.POSTGRES_URL);
      admin.setUser(TestDatabases.POSTGRES_USER);
      try (Connection connection = admin.getConnection(); Statement drop = connection.createStatement()) {
        drop.execute("DROP SCHEMA IF EXISTS " + postgresSchema + " CASCADE");
      }
    }
  }
}
