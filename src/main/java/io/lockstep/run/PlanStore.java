package io.lockstep.run;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

/** Plans and their versions ({@code plan}, {@code plan_version}); joins the caller's transaction. */
@Repository
class PlanStore {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final String SELECT = """
      SELECT p.id, p.procedure_id, p.title, p.created_by, p.created_at, v.version, v.plan_hash,
             v.procedure_hash, v.values_json, v.data_json, v.edited_by, v.edited_at
      FROM plan p JOIN plan_version v ON v.plan_id = p.id""";

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  PlanStore(DataSource dataSource, ObjectMapper json) {
    this.jdbc = JdbcClient.create(dataSource);
    this.json = json;
  }

  String nextId() {
    return "plan-" + IdCounter.next(jdbc, "plan");
  }

  void insert(Plan plan) {
    jdbc.sql("""
        INSERT INTO plan (id, procedure_id, title, version, plan_hash, created_by, created_at)
        VALUES (:id, :procedure, :title, :version, :hash, :by, :at)""")
        .param("id", plan.id()).param("procedure", plan.procedureId()).param("title", plan.title())
        .param("version", plan.version()).param("hash", plan.hash()).param("by", plan.createdBy())
        .param("at", utc(plan.createdAt()))
        .update();
    insertVersion(plan);
  }

  /** Stores a new version and makes it current; false when someone else stored that version first. */
  boolean update(Plan plan) {
    int changed = jdbc.sql("""
        UPDATE plan SET title = :title, version = :version, plan_hash = :hash
        WHERE id = :id AND version = :previous""")
        .param("title", plan.title()).param("version", plan.version()).param("hash", plan.hash())
        .param("id", plan.id()).param("previous", plan.version() - 1)
        .update();
    if (changed == 0) {
      return false;
    }
    insertVersion(plan);
    return true;
  }

  private void insertVersion(Plan plan) {
    jdbc.sql("""
        INSERT INTO plan_version (plan_id, version, procedure_hash, values_json, data_json, plan_hash, edited_by, edited_at)
        VALUES (:id, :version, :procedureHash, :values, :data, :hash, :by, :at)""")
        .param("id", plan.id()).param("version", plan.version()).param("procedureHash", plan.procedureHash())
        .param("values", json.writeValueAsString(plan.values())).param("data", json.writeValueAsString(plan.data()))
        .param("hash", plan.hash()).param("by", plan.editedBy()).param("at", utc(plan.editedAt()))
        .update();
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
        json.readValue(rs.getString("values_json"), MAP), json.readValue(rs.getString("data_json"), MAP),
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
