package io.lockstep.logstream;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The stored lines of run logs ({@code run_log_line}) and which logs have ended ({@code
 * run_log_end}). Plain SQL that H2 and PostgreSQL both run; joins the caller's transaction when one
 * is active. Reads go by the primary key (run, seq), so a page of a 100,000-line log costs as much as
 * a page of a short one.
 */
@Repository
class RunLogLines {

  private static final String COLUMNS = "seq, at, step, node, stream, line";

  private final JdbcClient jdbc;
  private final JdbcTemplate batches;

  RunLogLines(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
    this.batches = new JdbcTemplate(dataSource);
  }

  /** Stores {@code lines} of {@code runId} with one batch. */
  void insert(String runId, List<StoredLine> lines) {
    batches.batchUpdate("""
        INSERT INTO run_log_line (run_id, seq, at, step, node, stream, line)
        VALUES (?, ?, ?, ?, ?, ?, ?)""", lines, 500, (ps, line) -> {
          ps.setString(1, runId);
          ps.setLong(2, line.seq());
          ps.setObject(3, OffsetDateTime.ofInstant(line.at(), ZoneOffset.UTC));
          ps.setString(4, line.step());
          ps.setString(5, line.node());
          ps.setString(6, line.stream().code());
          ps.setString(7, line.text());
        });
  }

  /** The highest seq stored for the run, 0 when it has none. */
  long lastSeq(String runId) {
    return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM run_log_line WHERE run_id = :run")
        .param("run", runId)
        .query(Long.class)
        .single();
  }

  /** Up to {@code max} lines with a seq above {@code seq}, in order. */
  List<StoredLine> after(String runId, long seq, int max) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM run_log_line WHERE run_id = :run AND seq > :seq ORDER BY seq LIMIT :max")
        .param("run", runId)
        .param("seq", seq)
        .param("max", max)
        .query(RunLogLines::line)
        .list();
  }

  /** The last {@code max} lines, in order. */
  List<StoredLine> tail(String runId, int max) {
    List<StoredLine> newestFirst = jdbc.sql(
            "SELECT " + COLUMNS + " FROM run_log_line WHERE run_id = :run ORDER BY seq DESC LIMIT :max")
        .param("run", runId)
        .param("max", max)
        .query(RunLogLines::line)
        .list();
    List<StoredLine> lines = new ArrayList<>(newestFirst);
    Collections.reverse(lines);
    return lines;
  }

  /** Records that the run's log ended after {@code lastSeq}. */
  void end(String runId, long lastSeq, Instant at) {
    jdbc.sql("INSERT INTO run_log_end (run_id, last_seq, ended_at) VALUES (:run, :last, :at)")
        .param("run", runId)
        .param("last", lastSeq)
        .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
        .update();
  }

  /** Takes the end back: the run's log goes on (a way back from an aborted run writes into it). */
  void unend(String runId) {
    jdbc.sql("DELETE FROM run_log_end WHERE run_id = :run").param("run", runId).update();
  }

  /** When the run's log ended, if it has. */
  Optional<Instant> endedAt(String runId) {
    return jdbc.sql("SELECT ended_at FROM run_log_end WHERE run_id = :run")
        .param("run", runId)
        .query(OffsetDateTime.class)
        .optional()
        .map(OffsetDateTime::toInstant);
  }

  private static StoredLine line(ResultSet rs, int row) throws SQLException {
    return new StoredLine(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("step"),
        rs.getString("node"), LogLine.Stream.ofCode(rs.getString("stream")), rs.getString("line"));
  }
}
