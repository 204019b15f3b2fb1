package io.lockstep.lab.kube;

import io.lockstep.lab.KosmosSeed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data of the lab's MySQL clusters, kept in a real MySQL/MariaDB server (the Kosmos seed's
 * {@code database}): each MysqlCluster {@code NS/NAME} gets a database and a user of its own, both
 * named {@code lab_NS_NAME}, the user's password being the cluster's root password. A statement a
 * client sends to the cluster as {@code root} runs there as that user, over the MySQL protocol, so
 * the server checks the password and answers the statement. The server being absent or refusing
 * does not stop the lab: the operator says so in the log and tries again later; a client's
 * statement fails with the server's own error.
 */
final class MysqlDatabases {

  private static final Logger log = LoggerFactory.getLogger(MysqlDatabases.class);
  private static final long RETRY_AFTER_NANOS = 30_000_000_000L;
  private static final String OPTIONS = "?connectTimeout=3000&socketTimeout=30000";

  /** An answer: the column names and the rows (null for SQL NULL), or the server's error. */
  record Answer(List<String> columns, List<List<String>> rows, int updateCount) {}

  /** The server refused or failed the statement: its error number, SQL state and message. */
  static final class ServerError extends Exception {
    final int code;
    final String state;

    ServerError(int code, String state, String message) {
      super(message);
      this.code = code;
      this.state = state;
    }
  }

  private final KosmosSeed.Database server;
  /** Cluster key → the password its user was last given. */
  private final Map<String, String> ensured = new ConcurrentHashMap<>();
  /** Cluster key → when ensuring it last failed (System.nanoTime), so a missing server is not hammered. */
  private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

  /** @param server null: the lab has no database server, every statement fails saying so */
  MysqlDatabases(KosmosSeed.Database server) {
    this.server = server;
  }

  /** The database (and user) name of cluster {@code namespace/name}. */
  static String nameOf(String namespace, String name) {
    String plain = ("lab_" + namespace + "_" + name).replaceAll("[^A-Za-z0-9_]", "_");
    if (plain.length() <= 32) {
      return plain;
    }
    return plain.substring(0, 23) + "_" + String.format("%08x", plain.hashCode());
  }

  /**
   * Gives cluster {@code namespace/name} its database and user (password {@code rootPassword}), if it
   * has not got them with this password yet. Never throws: a failure is logged, and tried again
   * after a while.
   */
  void ensure(String namespace, String name, String rootPassword) {
    String key = namespace + "/" + name;
    if (server == null || rootPassword.equals(ensured.get(key))) {
      return;
    }
    Long failed = failedAt.get(key);
    if (failed != null && System.nanoTime() - failed < RETRY_AFTER_NANOS) {
      return;
    }
    try {
      create(nameOf(namespace, name), rootPassword);
      ensured.put(key, rootPassword);
      failedAt.remove(key);
      log.info("lab MySQL cluster {}: database and user {} on {}", key, nameOf(namespace, name), server);
    } catch (SQLException e) {
      failedAt.put(key, System.nanoTime());
      log.warn("lab MySQL cluster {}: cannot prepare its database on {}: {} (tried again later)", key, server,
          e.getMessage());
    }
  }

  private void create(String name, String password) throws SQLException {
    try (Connection admin = DriverManager.getConnection(server.url() + OPTIONS, server.user(), server.password());
        Statement sql = admin.createStatement()) {
      String user = "'" + name + "'@'%'";
      String secret = literal(password);
      sql.execute("CREATE DATABASE IF NOT EXISTS `" + name + "`");
      sql.execute("CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY " + secret);
      sql.execute("ALTER USER " + user + " IDENTIFIED BY " + secret);
      sql.execute("GRANT ALL PRIVILEGES ON `" + name + "`.* TO " + user);
    }
  }

  /**
   * Runs {@code statement} in cluster {@code namespace/name}'s database as its user {@code user}
   * ({@code root}: the cluster's own) with {@code password}.
   *
   * @param host what the client connected to, for its error messages
   */
  Answer run(String namespace, String name, String host, String user, String password, String statement)
      throws ServerError {
    return run(namespace, name, host, user, password, null, statement);
  }

  /** The same, running {@code initCommand} (if not null) first on the same connection. */
  Answer run(String namespace, String name, String host, String user, String password, String initCommand,
      String statement) throws ServerError {
    if (server == null) {
      throw new ServerError(2002, "HY000", "Can't connect to MySQL server on '" + host + "' (111) (the lab has no"
          + " database server: config/lab/kosmos.yml names none)");
    }
    if (!"root".equals(user)) {
      throw new ServerError(1045, "28000", "Access denied for user '" + user + "'@'%' (using password: "
          + (password.isEmpty() ? "NO" : "YES") + ")");
    }
    String db = nameOf(namespace, name);
    try (Connection c = DriverManager.getConnection(server.url() + db + OPTIONS, db, password);
        Statement sql = c.createStatement()) {
      if (initCommand != null) {
        sql.execute(initCommand);
      }
      if (!sql.execute(statement)) {
        return new Answer(List.of(), List.of(), sql.getUpdateCount());
      }
      try (ResultSet rs = sql.getResultSet()) {
        ResultSetMetaData meta = rs.getMetaData();
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.add(meta.getColumnLabel(i));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
          List<String> row = new ArrayList<>();
          for (int i = 1; i <= columns.size(); i++) {
            row.add(rs.getString(i));
          }
          rows.add(row);
        }
        return new Answer(columns, rows, -1);
      }
    } catch (SQLException e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage().replaceFirst("^\\(conn=\\d+\\) ", "");
      if (e.getErrorCode() == 1045) {
        throw new ServerError(1045, "28000", "Access denied for user 'root'@'%' (using password: "
            + (password.isEmpty() ? "NO" : "YES") + ")");
      }
      if (e.getErrorCode() == 0 || prefix(e.getSQLState()).equals("08")) {
        throw new ServerError(2002, "HY000", "Can't connect to MySQL server on '" + host + "' (111) (the lab's"
            + " database server " + server.url() + " does not answer: " + message + ")");
      }
      throw new ServerError(e.getErrorCode(), e.getSQLState() == null ? "HY000" : e.getSQLState(), message);
    }
  }

  private static String prefix(String state) {
    return state == null || state.length() < 2 ? "" : state.substring(0, 2);
  }

  private static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
