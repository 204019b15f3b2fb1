package io.lockstep.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh, Flyway-migrated databases for repository tests: an in-memory H2 and a schema of its own
 * in the PostgreSQL that runs on 127.0.0.1:5432 on every machine of this kind (trust auth,
 * database {@code test}). Each call gives an empty database, so tests never see each other's rows.
 */
public final class TestDatabases {

  public static final String POSTGRES_URL = System.getProperty(
      "lockstep.test.postgres-url", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String POSTGRES_USER = System.getProperty("lockstep.test.postgres-user", "postgres");

  private static final java.time.Duration STALE = java.time.Duration.ofHours(3);
  private static final java.util.regex.Pattern MADE_AT = java.util.regex.Pattern.compile("lockstep_test_(\\d{10})_[0-9a-f]{12}");
  private static boolean swept;

  private TestDatabases() {}

  /**
   * Drops the schemas earlier test runs left behind (once per JVM, before the first new one). Test
   * JVMs run side by side (forkCount), so only schemas made more than {@link #STALE} ago go: a
   * schema's name carries the second it was made ({@code lockstep_test_<epoch>_<random>}).
   */
  private static synchronized void sweep(PGSimpleDataSource admin) throws SQLException {
    if (swept) {
      return;
    }
    swept = true;
    long staleBefore = java.time.Instant.now().minus(STALE).getEpochSecond();
    try (Connection c = admin.getConnection(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'lockstep\\_test\\_%'")) {
      var names = new java.util.ArrayList<String>();
      while (rs.next()) {
        String name = rs.getString(1);
        java.util.regex.Matcher made = MADE_AT.matcher(name);
        if (!made.matches() || Long.parseLong(made.group(1)) < staleBefore) {
          names.add(name);
        }
      }
      for (String name : names) {
        try (Statement drop = c.createStatement()) {
          drop.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
        }
      }
    }
  }

  /** A new in-memory H2 database with every migration applied. */
  public static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    return migrate(ds, null);
  }

  /** A new schema in the local PostgreSQL with every migration applied; fails if PostgreSQL is down. */
  public static DataSource postgres() {
    String schema = "lockstep_test_" + java.time.Instant.now().getEpochSecond() + "_"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    PGSimpleDataSource admin = new PGSimpleDataSource();
    admin.setUrl(POSTGRES_URL);
    admin.setUser(POSTGRES_USER);
    try {
      sweep(admin);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + POSTGRES_URL + " is not reachable (start it with "
          + "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'): " + e.getMessage(), e);
    }
    try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + POSTGRES_URL + " is not reachable (start it with "
          + "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start'): " + e.getMessage(), e);
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(POSTGRES_URL);
    ds.setUser(POSTGRES_USER);
    ds.setCurrentSchema(schema);
    return migrate(ds, schema);
  }

  private static DataSource migrate(DataSource ds, String schema) {
    var config = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
    if (schema != null) {
      config.schemas(schema).defaultSchema(schema);
    }
    config.load().migrate();
    return ds;
  }
}
