package io.lockstep.run;

import io.lockstep.secrets.Sealer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Plans and their versions ({@code plan}, {@code plan_version}); joins the caller's transaction.
 * The values of secret parameters are sealed ({@link Sealer}) before they are written: {@code
 * values_json} keeps their names with null values, {@code secret_values} the sealed values, so
 * plain text never reaches a column.
 */
@Repository
class PlanStore {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final String SELECT = """
      SELECT p.id, p.procedure_id, p.title, p.created_by, p.created_at, v.version, v.plan_hash,
             v.procedure_hash, v.values_json, v.secret_values, v.data_json, v.edited_by, v.edited_at
      FROM plan p JOIN plan_version v ON v.plan_id = p.id""";

  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final Sealer sealer;

  PlanStore(DataSource dataSource, ObjectMapper json, Sealer sealer) {
    this.jdbc = JdbcClient.create(dataSource);
    this.json = json;
    this.sealer = sealer;
  }

  String nextId() {
    return "plan-" + IdCounter.next(jdbc, "plan");
  }

  /** Stores a new plan; the values named in {@code secret} are sealed. */
  void insert(Plan plan, Set<String> secret) {
    jdbc.sql("""
        INSERT INTO plan (id, procedure_id, title, version, plan_hash, created_by, created_at)
        VALUES (:id, :procedure, :title, :version, :hash, :by, :at)""")
        .param("id", plan.id()).param("procedure", plan.procedureId()).param("title", plan.title())
        .param("version", plan.version()).param("hash", plan.hash()).param("by", plan.createdBy())
        .param("at", utc(plan.createdAt()))
        .update();
    insertVersion(plan, secret);
  }

  /** Stores a new version and makes it current; false when someone else stored that version first. */
  boolean update(Plan plan, Set<String> secret) {
    int changed = jdbc.sql("""
        UPDATE plan SET title = :title, version = :version, plan_hash = :hash
        WHERE id = :id AND version = :previous""")
        .param("title", plan.title()).param("version", plan.version()).param("hash", plan.hash())
        .param("id", plan.id()).param("previous", plan.version() - 1)
        .update();
    if (changed == 0) {
      return false;
    }
    insertVersion(plan, secret);
    return true;
  }

  private void insertVersion(Plan plan, Set<String> secret) {
    Split split = split(plan.values(), secret);
    jdbc.sql("""
        INSERT INTO plan_version (plan_id, version, procedure_hash, values_json, secret_values, data_json, plan_hash,
                                  edited_by, edited_at)
        VALUES (:id, :version, :procedureHash, :values, :secrets, :data, :hash, :by, :at)""")
        .param("id", plan.id()).param("version", plan.version()).param("procedureHash", plan.procedureHash())
        .param("values", split.open()).param("secrets", split.sealed())
        .param("data", json.writeValueAsString(plan.data()))
        .param("hash", plan.hash()).param("by", plan.editedBy()).param("at", utc(plan.editedAt()))
        .update();
  }

  /** Values as stored: the open ones (secret names kept, with null) and the secret ones sealed. */
  record Split(String open, String sealed) {}

  Split split(Map<String, Object> values, Set<String> secret) {
    Map<String, Object> open = new LinkedHashMap<>();
    Map<String, Object> hidden = new LinkedHashMap<>();
    values.forEach((name, value) -> {
      if (secret.contains(name) && value != null) {
        open.put(name, null);
        hidden.put(name, value);
      } else {
        open.put(name, value);
      }
    });
    return new Split(json.writeValueAsString(open), sealer.seal(json.writeValueAsString(hidden)));
  }

  /** The values of a stored version: the open ones with the sealed ones put back in their places. */
  Map<String, Object> joined(String open, String sealed) {
    Map<String, Object> values = json.readValue(open, MAP);
    if (sealed != null) {
      values.putAll(json.readValue(sealer.open(sealed), MAP));
    }
    return values;
  }

  // ---- sealing at rest (start-up)

  /** A stored version whose secret values are in clear or sealed with an older key. */
  record Unsealed(String planId, int version, String procedureId, String values, String sealed) {}

  /** Versions stored before sealing (no secret_values), or sealed with a key other than the current one. */
  List<Unsealed> unsealed() {
    return jdbc.sql("""
        SELECT v.plan_id, v.version, p.procedure_id, v.values_json, v.secret_values
        FROM plan_version v JOIN plan p ON p.id = v.plan_id
        WHERE v.secret_values IS NULL OR v.secret_values NOT LIKE :current""")
        .param("current", "lss1:" + sealer.currentKeyId() + ":%")
        .query((rs, row) -> new Unsealed(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
            rs.getString(5)))
        .list();
  }

  /** Writes a version's values again, the secret ones sealed with the current key. */
  void reseal(Unsealed row, Set<String> secret) {
    Split split = split(joined(row.values(), row.sealed()), secret);
    jdbc.sql("UPDATE plan_version SET values_json = :values, secret_values = :secrets WHERE plan_id = :id AND version = :v")
        .param("values", split.open()).param("secrets", split.sealed()).param("id", row.planId())
        .param("v", row.version()).update();
  }

  /** The plan's secret values of every version (opened). */
  List<String> secretValues(String planId) {
    List<String> found = new ArrayList<>();
    jdbc.sql("SELECT secret_values FROM plan_version WHERE plan_id = :id AND secret_values IS NOT NULL")
        .param("id", planId).query(String.class).list()
        .forEach(sealed -> json.readValue(sealer.open(sealed), MAP).values().stream()
            .filter(java.util.Objects::nonNull).map(String::valueOf).forEach(found::add));
    return found;
  }

  /** The current version. */
  Optional<Plan> current(String id) {
    return jdbc.sql(SELECT + " WHERE p.id = :id AND v.version = p.version").param("id", id).query(this::plan).optional();
  }

  Optional<Plan> version(String id, int version) {
    return jdbc.sql(SELECT + " WHERE p.id = :id AND v.version = :version")
        .param("id", id).param("version", version).query(this::plan).optional();
  }

  /**
   * Everyone who wrote a version of the plan: its creator and every editor, in the order they
   * first wrote one. Four-eyes keeps all of them from approving its runs.
   */
  Set<String> authors(String id) {
    Set<String> authors = new LinkedHashSet<>();
    jdbc.sql("SELECT created_by FROM plan WHERE id = :id").param("id", id).query(String.class).list()
        .forEach(authors::add);
    jdbc.sql("SELECT edited_by FROM plan_version WHERE plan_id = :id ORDER BY version").param("id", id)
        .query(String.class).list().forEach(authors::add);
    return authors;
  }

  /** Current versions, newest plan first. */
  List<Plan> recent(int max) {
    return jdbc.sql(SELECT + " WHERE v.version = p.version ORDER BY p.created_at DESC, p.id DESC LIMIT :max")
        .param("max", max).query(this::plan).list();
  }

  private Plan plan(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
    return new Plan(rs.getString("id"), rs.getString("procedure_id"), rs.getString("title"),
        rs.getInt("version"), rs.getString("plan_hash"), rs.getString("procedure_hash"),
        joined(rs.getString("values_json"), rs.getString("secret_values")), json.readValue(rs.getString("data_json"), MAP),
        rs.getString("created_by"), instant(rs, "created_at"), rs.getString("edited_by"), instant(rs, "edited_at"));
  }

  static OffsetDateTime utc(Instant at) {
    return at == null ? null : OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
  }

  static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
    OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
    return at == null ? null : at.toInstant();
  }
}
