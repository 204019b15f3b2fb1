package io.lockstep.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The audit tables in SQL that runs on H2 and PostgreSQL. Rows of {@code audit_event} are only
 * ever inserted; the one row of {@code audit_head} is locked by each appender and moved forward.
 */
@Repository
class AuditEvents {

  private static final String COLUMNS =
      "seq, occurred_at, actor, type, run_id, summary, details, prev_hash, hash";

  private final JdbcClient jdbc;

  AuditEvents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The last sealed row, as the head records it. */
  record Head(long seq, String hash) {}

  /** Locks the head row until the surrounding transaction ends; concurrent appenders wait here. */
  Head lockHead() {
    return jdbc.sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE")
        .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
  }

  Head head() {
    return jdbc.sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
        .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
  }

  void insert(StoredEvent e) {
    jdbc.sql("INSERT INTO audit_event (" + COLUMNS + ") VALUES "
            + "(:seq, :at, :actor, :type, :run, :summary, :details, :prev, :hash)")
        .param("seq", e.seq())
        .param("at", OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC))
        .param("actor", e.actor())
        .param("type", e.type())
        .param("run", e.runId())
        .param("summary", e.summary())
        .param("details", e.details())
        .param("prev", e.prevHash())
        .param("hash", e.hash())
        .update();
  }

  void moveHead(Head next) {
    jdbc.sql("UPDATE audit_head SET last_seq = :seq, last_hash = :hash WHERE id = 1")
        .param("seq", next.seq())
        .param("hash", next.hash())
        .update();
  }

  /** Rows with {@code after < seq <= upTo} matching {@code filter}, in chain order. */
  List<StoredEvent> after(AuditFilter filter, long after, long upTo, int limit) {
    Where where = Where.of(filter).and("seq > :after", "after", after).and("seq <= :upTo", "upTo", upTo);
    return jdbc.sql("SELECT " + COLUMNS + " FROM audit_event" + where.sql() + " ORDER BY seq LIMIT :limit")
        .params(where.params()).param("limit", limit)
        .query(AuditEvents::row).list();
  }

  List<StoredEvent> page(AuditFilter filter, AuditOrder order, long offset, int limit) {
    Where where = Where.of(filter);
    String direction = order == AuditOrder.OLDEST_FIRST ? "ASC" : "DESC";
    return jdbc.sql("SELECT " + COLUMNS + " FROM audit_event" + where.sql()
            + " ORDER BY seq " + direction + " LIMIT :limit OFFSET :offset")
        .params(where.params()).param("limit", limit).param("offset", offset)
        .query(AuditEvents::row).list();
  }

  long count(AuditFilter filter) {
    Where where = Where.of(filter);
    return jdbc.sql("SELECT COUNT(*) FROM audit_event" + where.sql()).params(where.params())
        .query(Long.class).single();
  }

  /** How many rows matching {@code filter} come before row {@code seq} in {@code order}. */
  long countBefore(AuditFilter filter, AuditOrder order, long seq) {
    Where where = Where.of(filter).and(order == AuditOrder.OLDEST_FIRST ? "seq < :pivot" : "seq > :pivot", "pivot", seq);
    return jdbc.sql("SELECT COUNT(*) FROM audit_event" + where.sql()).params(where.params())
        .query(Long.class).single();
  }

  List<String> types() {
    return jdbc.sql("SELECT DISTINCT type FROM audit_event ORDER BY type").query(String.class).list();
  }

  /** Rows per type matching {@code filter}, in the order each type first occurred. */
  List<TypeCount> typeCounts(AuditFilter filter, long upTo) {
    Where where = Where.of(filter).and("seq <= :upTo", "upTo", upTo);
    return jdbc.sql("SELECT type, COUNT(*), MIN(occurred_at), MAX(occurred_at), MIN(seq) FROM audit_event"
            + where.sql() + " GROUP BY type ORDER BY MIN(seq)")
        .params(where.params())
        .query((rs, n) -> new TypeCount(rs.getString(1), rs.getLong(2), instant(rs, 3), instant(rs, 4)))
        .list();
  }

  private static StoredEvent row(ResultSet rs, int n) throws SQLException {
    return new StoredEvent(rs.getLong("seq"), instant(rs, 2), rs.getString("actor"), rs.getString("type"),
        rs.getString("run_id"), rs.getString("summary"), rs.getString("details"),
        rs.getString("prev_hash"), rs.getString("hash"));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** A WHERE clause built only from the filter's present parts, every value bound. */
  private record Where(List<String> conditions, Map<String, Object> params) {

    static Where of(AuditFilter f) {
      Where w = new Where(new ArrayList<>(), new HashMap<>());
      return w.and(f.runId() == null ? null : "run_id = :run", "run", f.runId())
          .and(f.actor() == null ? null : "actor = :actor", "actor", f.actor())
          .and(f.type() == null ? null : "type = :type", "type", f.type())
          .and(f.from() == null ? null : "occurred_at >= :from", "from", utc(f.from()))
          .and(f.to() == null ? null : "occurred_at < :to", "to", utc(f.to()));
    }

    Where and(String condition, String name, Object value) {
      if (condition != null) {
        conditions.add(condition);
        params.put(name, value);
      }
      return this;
    }

    String sql() {
      return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static OffsetDateTime utc(Instant instant) {
      return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
  }
}
