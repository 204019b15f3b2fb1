package io.lockstep.system;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * API tokens as stored rows, found by the SHA-256 of the token. Rows are never deleted: a revoked
 * token keeps its row with {@code revoked_at} set.
 */
@Repository
class ApiTokens {

  private static final String COLUMNS = "id, owner, label, created_at, last_used_at, expires_at, revoked_at";

  private final JdbcClient jdbc;

  ApiTokens(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Stores a new token by its hash and returns it as its owner sees it. */
  ApiToken add(String owner, String label, String tokenHash, Instant createdAt, Instant expiresAt) {
    KeyHolder keys = new GeneratedKeyHolder();
    jdbc.sql("""
            INSERT INTO api_token (owner, label, token_hash, created_at, expires_at)
            VALUES (:owner, :label, :hash, :created, :expires)""")
        .param("owner", owner)
        .param("label", label)
        .param("hash", tokenHash)
        .param("created", at(createdAt))
        .param("expires", at(expiresAt), Types.TIMESTAMP_WITH_TIMEZONE)
        .update(keys, "id");
    long id = keys.getKeyAs(Number.class).longValue();
    return new ApiToken(id, owner, label, createdAt, null, expiresAt, null);
  }

  /** The owner's tokens, newest first, revoked and expired ones included. */
  List<ApiToken> ownedBy(String owner) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_token WHERE owner = :owner ORDER BY id DESC")
        .param("owner", owner)
        .query(ApiTokens::token)
        .list();
  }

  Optional<ApiToken> find(long id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_token WHERE id = :id")
        .param("id", id)
        .query(ApiTokens::token)
        .optional();
  }

  /** The token whose hash this is, whatever its state. */
  Optional<ApiToken> findByHash(String tokenHash) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_token WHERE token_hash = :hash")
        .param("hash", tokenHash)
        .query(ApiTokens::token)
        .optional();
  }

  /** Marks the token revoked unless it already is; true if this call revoked it. */
  boolean revoke(long id, Instant at) {
    return jdbc.sql("UPDATE api_token SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
        .param("at", at(at))
        .param("id", id)
        .update() == 1;
  }

  void markUsed(long id, Instant at) {
    jdbc.sql("UPDATE api_token SET last_used_at = :at WHERE id = :id")
        .param("at", at(at))
        .param("id", id)
        .update();
  }

  private static ApiToken token(ResultSet rs, int row) throws SQLException {
    return new ApiToken(rs.getLong("id"), rs.getString("owner"), rs.getString("label"),
        instant(rs, "created_at"), instant(rs, "last_used_at"), instant(rs, "expires_at"), instant(rs, "revoked_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime at(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
